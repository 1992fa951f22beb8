-- Enum value added before an existing one, composite attribute added, domain relaxed.
ALTER TYPE channel ADD VALUE 'beta' BEFORE 'nightly';
ALTER TYPE version_pair ADD ATTRIBUTE patch INTEGER;
ALTER DOMAIN product_name DROP CONSTRAINT product_name_filled;
ALTER DOMAIN product_name DROP NOT NULL;
-- A table from a query whose column types are known.
CREATE TABLE rule_priorities AS SELECT r.rule_id, r.priority, count(*) AS uses, r.priority > 0 AS live FROM rules r GROUP BY r.rule_id, r.priority;
SELECT name, size_kb INTO release_copies FROM releases;
CREATE INDEX rule_priorities_rule ON rule_priorities (rule_id);
-- Renames only the database sees; validation of a key added NOT VALID.
ALTER TABLE rules RENAME CONSTRAINT rules_pkey TO rules_key;
ALTER INDEX rules_priority RENAME TO rules_by_priority;
ALTER INDEX rules_by_priority SET (fillfactor = 80);
ALTER TABLE rules VALIDATE CONSTRAINT rules_release_fk;
REFRESH MATERIALIZED VIEW release_sizes;
CREATE SCHEMA audit;
-- Keys declared inline on an added column keep their constraint.
ALTER TABLE tags ADD COLUMN id SERIAL PRIMARY KEY;
ALTER TABLE tags ADD COLUMN code TEXT UNIQUE;
