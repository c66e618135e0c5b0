-- A task's version numbers are unique. SQLite cannot ALTER TABLE ... ADD CONSTRAINT; a unique
-- index enforces the same rule.
CREATE UNIQUE INDEX task_versions_task_id_number_key ON task_versions (task_id, number);
