CREATE TABLE rules (rule_id INTEGER PRIMARY KEY, data_version INTEGER);
CREATE TABLE rules_history (rule_id INTEGER, changed_at TEXT);
CREATE TRIGGER rules_history_update AFTER UPDATE ON rules BEGIN
    INSERT INTO rules_history VALUES (NEW.rule_id, datetime('now'));
END;
