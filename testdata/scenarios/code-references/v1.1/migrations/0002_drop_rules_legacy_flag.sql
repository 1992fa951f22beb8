ALTER TABLE rules DROP COLUMN legacy_flag;
