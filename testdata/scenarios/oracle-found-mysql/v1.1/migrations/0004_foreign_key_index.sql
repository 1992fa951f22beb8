-- InnoDB creates an index for a foreign key that has none to use.
ALTER TABLE t1 ADD COLUMN e int DEFAULT 1 REFERENCES t2 (id);
