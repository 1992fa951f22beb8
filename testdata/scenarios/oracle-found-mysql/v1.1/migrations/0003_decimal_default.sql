-- MariaDB states the default at the column's scale: 0.00.
CREATE TABLE t1 (c decimal(10,2) NULL DEFAULT 0);
