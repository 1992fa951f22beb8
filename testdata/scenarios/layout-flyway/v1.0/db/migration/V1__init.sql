CREATE TABLE rules (
    id INT NOT NULL PRIMARY KEY,
    name VARCHAR(100),
    legacy_flag INT
);
