-- The same work without blocking reads and writes; none of it is reported.
REINDEX INDEX CONCURRENTLY rules_product;
VACUUM (ANALYZE) releases_history;
ANALYZE rules;
ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;
-- A table created in this release is not in use yet: rebuilding it blocks nobody.
CREATE TABLE rule_audit (audit_id INTEGER NOT NULL, rule_id INTEGER);
CREATE INDEX rule_audit_rule ON rule_audit (rule_id);
REINDEX TABLE rule_audit;
CLUSTER rule_audit USING rule_audit_rule;
DROP INDEX rule_audit_rule;
