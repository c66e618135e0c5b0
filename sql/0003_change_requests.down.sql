DROP INDEX change_requests_task_id_idx;
DROP TABLE change_requests;
