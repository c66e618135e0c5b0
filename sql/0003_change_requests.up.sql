-- A change request proposes a change to one task.
CREATE TABLE change_requests (
  id          BIGINT NOT NULL PRIMARY KEY,
  task_id     BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL DEFAULT 'open'
              CHECK (status IN ('open', 'approved', 'rejected', 'merged', 'withdrawn')),
  created_at  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX change_requests_task_id_idx ON change_requests (task_id);
