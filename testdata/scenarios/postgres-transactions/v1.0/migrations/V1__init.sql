CREATE TABLE releases (
    name VARCHAR(100) PRIMARY KEY,
    data TEXT
);
CREATE TABLE rules (
    rule_id SERIAL PRIMARY KEY,
    product VARCHAR(15),
    priority INTEGER,
    mapping VARCHAR(100) REFERENCES releases (name)
);
