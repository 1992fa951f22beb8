-- The same steps done the risky way.
ALTER TABLE rules ADD CONSTRAINT rules_priority_small CHECK (priority < 1000) NOT VALID;
ALTER TABLE rules VALIDATE CONSTRAINT rules_priority_small;
ALTER DOMAIN priority ADD CONSTRAINT priority_bounded CHECK (VALUE < 100000);
ALTER TYPE release_state ADD VALUE 'signed' BEFORE 'shipped';
ALTER TABLE permissions ADD COLUMN id SERIAL PRIMARY KEY;
