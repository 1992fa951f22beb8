-- Recreated as it was: nothing changes.
DROP TRIGGER rules_history_insert;
CREATE TRIGGER rules_history_insert AFTER INSERT ON rules FOR EACH ROW INSERT INTO rules_history (rule_id) VALUES (NEW.rule_id);
-- A procedure no code calls any more.
DROP PROCEDURE IF EXISTS bump;
-- A new function.
CREATE FUNCTION priority_band(p INT) RETURNS INT DETERMINISTIC RETURN p DIV 100;
