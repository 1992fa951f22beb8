-- migrate:up
CREATE TABLE rules (id INT NOT NULL PRIMARY KEY, name VARCHAR(100));

-- migrate:down
DROP TABLE rules;
