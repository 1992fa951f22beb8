-- Renaming a table keeps its constraints' names: the key is still t9_pkey, so dropping
-- t10_pkey IF EXISTS does nothing.
CREATE TABLE t9 (id bigserial PRIMARY KEY, a varchar(40) NULL, UNIQUE (a));
ALTER TABLE t9 RENAME TO t10;
ALTER TABLE t10 DROP CONSTRAINT IF EXISTS t10_pkey;
