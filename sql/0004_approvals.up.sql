-- Approvals are given on a task, and optionally on one of its change requests.
CREATE TABLE approvals (
  id                 BIGINT NOT NULL PRIMARY KEY,
  task_id            BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  change_request_id  BIGINT REFERENCES change_requests (id) ON DELETE CASCADE,
  approver           TEXT NOT NULL,
  decision           TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
  comment            TEXT,
  decided_at         TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX approvals_task_id_idx ON approvals (task_id);
CREATE INDEX approvals_change_request_id_idx ON approvals (change_request_id);
