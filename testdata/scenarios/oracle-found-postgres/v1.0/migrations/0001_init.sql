-- Disagreements the random DDL comparison found with PostgreSQL, one migration each.
CREATE TABLE t3 (id serial PRIMARY KEY, a boolean, b smallint, CONSTRAINT k4 UNIQUE (a));
