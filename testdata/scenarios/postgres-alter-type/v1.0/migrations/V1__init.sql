CREATE TABLE rules (
    rule_id SERIAL PRIMARY KEY,
    comment VARCHAR(100),
    priority INTEGER
);
