-- Every edit of a task keeps the previous text as a numbered version.
CREATE TABLE task_versions (
  id          BIGINT NOT NULL PRIMARY KEY,
  task_id     BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  number      INTEGER NOT NULL CHECK (number > 0),
  title       TEXT NOT NULL,
  body        TEXT NOT NULL DEFAULT '',
  created_at  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX task_versions_task_id_idx ON task_versions (task_id);
