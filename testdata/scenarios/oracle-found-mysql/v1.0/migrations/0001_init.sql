-- Disagreements the random DDL comparison found with MariaDB, one migration each.
CREATE TABLE t5 (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, a tinyint(1) NULL DEFAULT true);
CREATE TABLE t2 (id int AUTO_INCREMENT PRIMARY KEY);
