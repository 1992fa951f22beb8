-- Drops come first within one ALTER TABLE: a is replaced by a new a at the end.
CREATE TABLE t11 (id int NOT NULL PRIMARY KEY, a enum('x','y') NULL DEFAULT 'x', b char(3) NOT NULL);
ALTER TABLE t11 ADD COLUMN a tinyint, DROP COLUMN a;
