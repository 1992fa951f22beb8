CREATE INDEX CONCURRENTLY jobs_state_idx ON jobs (state);
