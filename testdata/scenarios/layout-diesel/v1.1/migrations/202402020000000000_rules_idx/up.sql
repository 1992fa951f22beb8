CREATE INDEX rules_name_idx ON rules (name);
