CREATE TABLE rules (
    rule_id INTEGER PRIMARY KEY,
    priority INTEGER,
    comment VARCHAR(100),
    amount NUMERIC(10, 2)
);
