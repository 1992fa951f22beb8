-- IF NOT EXISTS leaves the existing index i2 as it is.
CREATE UNIQUE INDEX i2 ON t3 (c, b);
CREATE UNIQUE INDEX IF NOT EXISTS i2 ON t3 (a);
