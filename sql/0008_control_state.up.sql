-- Exactly one control row per project: the UNIQUE on project_id enforces it.
CREATE TABLE control_state (
  id          BIGINT NOT NULL PRIMARY KEY,
  project_id  BIGINT NOT NULL UNIQUE REFERENCES projects (id) ON DELETE CASCADE,
  paused      BOOLEAN NOT NULL DEFAULT FALSE,
  mode        TEXT NOT NULL DEFAULT 'auto' CHECK (mode IN ('auto', 'manual')),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
