-- t5 exists: the whole statement does nothing, its key i2 included.
CREATE TABLE IF NOT EXISTS t5 (a decimal NULL, b int, PRIMARY KEY (a, b), UNIQUE KEY i2 (a));
