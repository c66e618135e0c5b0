-- A task's version numbers are unique. On SQLite the sqlite dialect rebuilds the table to add the
-- constraint, and refuses (changing nothing) if existing rows repeat a number.
ALTER TABLE task_versions ADD CONSTRAINT task_versions_task_id_number_key UNIQUE (task_id, number);
