-- SQLite cannot drop a column in place here: rebuild the table without legacy_flag.
CREATE TABLE rules_new (
    rule_id INTEGER PRIMARY KEY AUTOINCREMENT,
    mapping VARCHAR(100),
    comment VARCHAR(100)
);
INSERT INTO rules_new (rule_id, mapping, comment) SELECT rule_id, mapping, comment FROM rules;
DROP TABLE rules;
ALTER TABLE rules_new RENAME TO rules;
