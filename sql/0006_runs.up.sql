-- A run executes a task once.
CREATE TYPE run_status AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');
CREATE TABLE runs (
  id           BIGINT NOT NULL PRIMARY KEY,
  task_id      BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  status       run_status NOT NULL DEFAULT 'queued',
  exit_code    INTEGER,
  started_at   TIMESTAMPTZ,
  finished_at  TIMESTAMPTZ,
  CHECK (finished_at IS NULL OR started_at IS NOT NULL)
);
CREATE INDEX runs_task_id_idx ON runs (task_id);
CREATE INDEX runs_status_idx ON runs (status);
