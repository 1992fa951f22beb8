-- SQLite cannot add NOT NULL to a column in place: the standard rebuild.
CREATE TABLE new_rules (
    rule_id INTEGER PRIMARY KEY AUTOINCREMENT,
    mapping VARCHAR(100),
    priority INTEGER NOT NULL
);
INSERT INTO new_rules (rule_id, mapping, priority) SELECT rule_id, mapping, COALESCE(priority, 0) FROM rules;
DROP TABLE rules;
ALTER TABLE new_rules RENAME TO rules;
