CREATE TABLE rules (
    rule_id INTEGER PRIMARY KEY AUTOINCREMENT,
    mapping VARCHAR(100),
    priority INTEGER
);
