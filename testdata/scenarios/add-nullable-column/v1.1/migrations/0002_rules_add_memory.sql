ALTER TABLE rules ADD COLUMN memory VARCHAR(10);
ALTER TABLE rules ADD COLUMN instruction_set VARCHAR(1000) NULL DEFAULT NULL;
CREATE INDEX rules_memory_idx ON rules (memory);
