-- IF NOT EXISTS leaves the existing index i4 as it is: unique, on a.
CREATE UNIQUE INDEX i4 ON t3 (a);
CREATE INDEX IF NOT EXISTS i4 ON t3 (b);
