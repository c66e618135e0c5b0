DROP INDEX approvals_change_request_id_idx;
DROP INDEX approvals_task_id_idx;
DROP TABLE approvals;
