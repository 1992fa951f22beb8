-- Ids are assigned by the application from now on.
ALTER TABLE rules MODIFY rule_id INT NOT NULL;
