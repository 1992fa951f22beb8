-- Found by the oracle: DROP KEY, MySQL's synonym of DROP INDEX, drops the unique key k3.
CREATE TABLE t10 (id int PRIMARY KEY, a int, CONSTRAINT k3 UNIQUE (a));
ALTER TABLE t10 DROP KEY k3;
