-- Retries: which attempt of its task a run is. Existing runs were first attempts.
ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
