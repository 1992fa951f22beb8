ALTER TABLE rules RENAME COLUMN mapping TO release_mapping;
