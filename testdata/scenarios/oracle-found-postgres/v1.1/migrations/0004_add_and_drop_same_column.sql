-- Drops come first within one ALTER TABLE: b is replaced by a new b at the end.
CREATE TABLE t4 (a varchar(40) NOT NULL, b boolean NOT NULL, c int);
ALTER TABLE t4 ADD COLUMN b varchar(40), DROP COLUMN b;
