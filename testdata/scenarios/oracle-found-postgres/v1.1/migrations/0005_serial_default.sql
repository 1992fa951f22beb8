-- A default set on a serial column replaces its nextval(): it no longer numbers rows.
CREATE TABLE t7 (id serial PRIMARY KEY, a integer);
ALTER TABLE t7 ALTER COLUMN id SET DEFAULT 0;
