-- Known disagreement: MySQL rounds the default to the column's scale (decimal is
-- decimal(10,0)), so it reads back as 2; the replay keeps the default as written.
CREATE TABLE t9 (b decimal NOT NULL DEFAULT 1.5);
