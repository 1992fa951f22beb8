-- Known disagreement: MariaDB keeps the keys of a column dropped and added again in one
-- statement (they now cover the new column); the replay drops them with the old column.
CREATE TABLE t12 (id int AUTO_INCREMENT PRIMARY KEY, a int NULL, CONSTRAINT k2 UNIQUE (a), KEY i4 (a));
ALTER TABLE t12 ADD COLUMN a float NULL, DROP COLUMN a;
