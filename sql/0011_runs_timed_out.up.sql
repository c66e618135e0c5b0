-- Runs stopped by the scheduler's time limit get a status of their own. PostgreSQL cannot use a
-- label in the transaction that adds it, so nothing here uses 'timed_out' yet.
ALTER TYPE run_status ADD VALUE 'timed_out' AFTER 'failed';
