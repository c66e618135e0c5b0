-- Refused, changing nothing, while a run is still 'timed_out': decide what those runs become first.
ALTER TYPE run_status DROP VALUE 'timed_out';
