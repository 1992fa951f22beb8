-- The trigger's action changes: what old code's writes do changes too.
DROP TRIGGER rules_history_update;
CREATE TRIGGER IF NOT EXISTS rules_history_update AFTER UPDATE ON rules BEGIN
    INSERT INTO rules_history VALUES (NEW.rule_id, datetime('now', 'utc'));
END;
CREATE TRIGGER rules_history_insert AFTER INSERT ON rules BEGIN
    INSERT INTO rules_history VALUES (NEW.rule_id, datetime('now'));
END;
