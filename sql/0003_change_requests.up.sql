-- A change request proposes a change to one task.
CREATE TYPE change_request_status AS ENUM ('open', 'approved', 'rejected', 'merged', 'withdrawn');
CREATE TABLE change_requests (
  id          BIGINT NOT NULL PRIMARY KEY,
  task_id     BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL DEFAULT '',
  status      change_request_status NOT NULL DEFAULT 'open',
  created_at  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX change_requests_task_id_idx ON change_requests (task_id);
