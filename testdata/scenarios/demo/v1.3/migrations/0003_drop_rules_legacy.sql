-- legacy_flag has not been read since 0.9.
ALTER TABLE rules DROP COLUMN legacy_flag;
