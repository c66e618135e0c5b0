-- Artifacts belong to a project; a run's artifacts outlive the run (run_id becomes NULL).
CREATE TABLE artifacts (
  id          BIGINT NOT NULL PRIMARY KEY,
  project_id  BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  run_id      BIGINT REFERENCES runs (id) ON DELETE SET NULL,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ('log', 'report', 'binary', 'other')),
  size_bytes  BIGINT NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
  sha256      TEXT,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX artifacts_project_id_idx ON artifacts (project_id);
CREATE INDEX artifacts_run_id_idx ON artifacts (run_id);
