-- Names become case-sensitive: 'Acme' and 'acme' are two stores from now on.
ALTER TABLE stores MODIFY COLUMN name VARCHAR(64) COLLATE utf8mb4_bin NOT NULL;
-- Restated exactly as it was.
ALTER TABLE stores MODIFY code VARCHAR(16) COLLATE utf8mb4_general_ci NOT NULL;
