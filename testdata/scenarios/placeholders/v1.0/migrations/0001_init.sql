CREATE TABLE ${prefix}rules (rule_id INT NOT NULL PRIMARY KEY);
