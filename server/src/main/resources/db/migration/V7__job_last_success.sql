-- When each job last ran successfully, kept through later failures: a job that has
-- failed for hours shows how long ago it last worked (tether_job_last_success_seconds).
ALTER TABLE job_run ADD COLUMN last_success_at TIMESTAMP WITH TIME ZONE;
UPDATE job_run SET last_success_at = finished_at WHERE outcome = 'OK';
