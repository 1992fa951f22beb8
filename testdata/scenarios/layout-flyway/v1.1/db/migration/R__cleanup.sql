-- repeatable: runs after every versioned migration whenever it changes
ALTER TABLE rules DROP COLUMN legacy_flag;
