-- MySQL calls every primary key PRIMARY: the name k5 given here names nothing, and the
-- unique key k5 stays.
CREATE TABLE t13 (a int, d char(3) NOT NULL, CONSTRAINT k5 UNIQUE (a));
ALTER TABLE t13 ADD CONSTRAINT k5 PRIMARY KEY (d);
