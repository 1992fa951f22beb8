CREATE OR REPLACE VIEW rule_names AS SELECT id, name FROM rules;
