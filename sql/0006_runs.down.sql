DROP INDEX runs_status_idx;
DROP INDEX runs_task_id_idx;
DROP TABLE runs;
DROP TYPE run_status;
