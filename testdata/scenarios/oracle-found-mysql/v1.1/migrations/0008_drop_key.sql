-- Known disagreement: DROP KEY, MySQL's synonym of DROP INDEX, is not read by the SQL
-- parser: the statement is unreadable (a needs-review error), and the replay keeps k3.
CREATE TABLE t10 (id int PRIMARY KEY, a int, CONSTRAINT k3 UNIQUE (a));
ALTER TABLE t10 DROP KEY k3;
