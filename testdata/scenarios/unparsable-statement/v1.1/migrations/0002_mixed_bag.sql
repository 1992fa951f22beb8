ALTER TABLE rules ADD COLUMN distribution VARCHAR(100);

-- A typo the database would reject too.
ALTER TABLE rules ADD COLUMNN os_version VARCHAR(1000);

CREATE INDEX rules_distribution_idx ON rules (distribution);
