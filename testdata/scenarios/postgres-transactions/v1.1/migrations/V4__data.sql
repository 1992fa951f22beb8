UPDATE rules SET priority = 100, product = 'Firefox', priority = 90 WHERE rule_id = 1;
UPDATE rules SET priority = 90, product = 'Firefox' WHERE rule_id = 2;
TRUNCATE releases CASCADE;
DELETE FROM releases WHERE name LIKE 'Firefox-nightly-2019%';
