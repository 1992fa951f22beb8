CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, priority INT, data_version INT);
CREATE TABLE rules_history (change_id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, rule_id INT);
CREATE FUNCTION next_priority(p INT) RETURNS INT DETERMINISTIC RETURN p + 10;
CREATE PROCEDURE bump(IN r INT) UPDATE rules SET data_version = data_version + 1 WHERE rule_id = r;
CREATE TRIGGER rules_history_insert AFTER INSERT ON rules FOR EACH ROW INSERT INTO rules_history (rule_id) VALUES (NEW.rule_id);
