-- Disagreements the random DDL comparison found with SQLite, one migration each.
-- One index for the two unique keys over a.
CREATE TABLE t3 (id INTEGER PRIMARY KEY, a INT UNIQUE, b BOOLEAN, c VARCHAR(20), CONSTRAINT k1 UNIQUE (a));
