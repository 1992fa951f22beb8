-- Found by the random oracle: a foreign key named like a unique key leaves the key alone
-- (MySQL keeps index names apart from foreign key names).
CREATE TABLE t14 (id int NOT NULL PRIMARY KEY);
CREATE TABLE t15 (id int NOT NULL PRIMARY KEY, a boolean, CONSTRAINT k6 UNIQUE (a));
ALTER TABLE t15 ADD CONSTRAINT k6 FOREIGN KEY (id) REFERENCES t14 (id);
