DROP INDEX change_requests_task_id_idx;
DROP TABLE change_requests;
DROP TYPE change_request_status;
