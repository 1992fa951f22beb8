-- An inline primary key on an added column: NOT NULL without a default, and a key.
ALTER TABLE labels ADD COLUMN id INT PRIMARY KEY;
-- Dropping what the earlier migrations never created: the statement fails.
DROP TABLE shutoffs;
DROP TYPE IF EXISTS shutoff_kind;
-- The same table created twice with different columns.
CREATE TABLE pins (product TEXT);
CREATE TABLE pins (product TEXT, version TEXT);
-- A table whose column types come from expressions the tool does not type.
CREATE TABLE tag_names AS SELECT upper(name) AS shout FROM tags;
