-- A task's version numbers are unique.
ALTER TABLE task_versions ADD CONSTRAINT task_versions_task_id_number_key UNIQUE (task_id, number);
