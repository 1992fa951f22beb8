-- Dropping a column drops the indexes over expressions of it too.
CREATE TABLE t8 (id integer PRIMARY KEY, a varchar DEFAULT '', CONSTRAINT k3 UNIQUE (a));
CREATE UNIQUE INDEX i2 ON t8 (lower(a)) WHERE a IS NOT NULL;
ALTER TABLE t8 DROP COLUMN a;
