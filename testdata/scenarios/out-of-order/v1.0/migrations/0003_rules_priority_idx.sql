CREATE INDEX rules_priority_idx ON rules (priority);
