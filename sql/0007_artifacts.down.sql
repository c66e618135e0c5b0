DROP INDEX artifacts_run_id_idx;
DROP INDEX artifacts_project_id_idx;
DROP TABLE artifacts;
