CREATE TABLE rules (
    rule_id INTEGER PRIMARY KEY AUTOINCREMENT,
    mapping VARCHAR(100),
    comment VARCHAR(100),
    legacy_flag INTEGER
);
