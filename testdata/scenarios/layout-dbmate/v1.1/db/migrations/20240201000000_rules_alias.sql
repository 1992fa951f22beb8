-- migrate:up
ALTER TABLE rules ADD COLUMN alias VARCHAR(50) NULL;

-- migrate:down
ALTER TABLE rules DROP COLUMN alias;
