DROP INDEX tasks_status_idx;
DROP INDEX tasks_project_id_idx;
DROP TABLE tasks;
DROP TYPE task_status;
