DROP INDEX task_versions_task_id_idx;
DROP TABLE task_versions;
