-- a dump of the schema, for reference
CREATE TABLE rules (id INT NOT NULL PRIMARY KEY, name VARCHAR(100), alias VARCHAR(50));
