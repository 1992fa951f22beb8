-- Privileges on tables granted to an account and revoked again, compared with MariaDB's
-- information_schema.TABLE_PRIVILEGES.
CREATE USER IF NOT EXISTS 'bsl_reader'@'%';
CREATE TABLE t16 (id int NOT NULL PRIMARY KEY, note text);
GRANT SELECT, INSERT, UPDATE ON t16 TO 'bsl_reader'@'%';
REVOKE INSERT ON t16 FROM 'bsl_reader'@'%';
