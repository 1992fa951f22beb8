-- Step two, in a later migration: VALIDATE lets writes through while it scans.
ALTER TABLE rules VALIDATE CONSTRAINT rules_product_fk;
-- Unique indexes that exist become constraints without a second build or a new check.
ALTER TABLE rules ADD CONSTRAINT rules_alias_key UNIQUE USING INDEX rules_alias_idx;
ALTER TABLE rules ADD PRIMARY KEY USING INDEX rules_rule_id_idx;
-- A value at the end of the enum, and a domain check that only new values must pass.
ALTER TYPE release_state ADD VALUE 'archived';
ALTER DOMAIN priority ADD CONSTRAINT priority_positive CHECK (VALUE > 0) NOT VALID;
