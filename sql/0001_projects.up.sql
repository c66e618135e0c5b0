-- Projects. Ids are assigned by the application (they name the per-project databases).
CREATE TABLE projects (
  id          BIGINT NOT NULL PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
