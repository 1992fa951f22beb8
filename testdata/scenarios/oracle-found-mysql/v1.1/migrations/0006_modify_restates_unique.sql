-- Known disagreement: MySQL adds a second unique key (a_2) for the restated UNIQUE. The
-- replay keeps one, because a restated definition from a declarative reader (Django's
-- AlterField) means the column stays unique, not that a key is added.
CREATE TABLE t7 (id int PRIMARY KEY, a varchar(40), UNIQUE (a));
ALTER TABLE t7 MODIFY COLUMN a varchar(40) UNIQUE;
