-- An identical index rebuilt: nothing changes for any code.
DROP INDEX rules_product;
CREATE INDEX rules_product ON rules (product);
-- An ordinary index dropped: only speed changes.
DROP INDEX rules_channel;
-- A unique index and a unique constraint dropped: the schema accepts more rows.
DROP INDEX rules_alias;
ALTER TABLE permissions DROP CONSTRAINT permissions_user_key;
-- A table that never existed, dropped if it exists, then created.
DROP TABLE IF EXISTS emergency_shutoffs;
CREATE TABLE emergency_shutoffs (
    product VARCHAR(15) NOT NULL,
    channel VARCHAR(75) NOT NULL,
    PRIMARY KEY (product, channel)
);
-- Keys on columns added in this release: the new columns are all NULL.
ALTER TABLE rules ADD COLUMN release_name VARCHAR(100) REFERENCES releases (name);
ALTER TABLE rules ADD COLUMN code TEXT UNIQUE;
ALTER TABLE releases ADD COLUMN data_version INTEGER;
CREATE UNIQUE INDEX releases_data_version ON releases (data_version);
