-- One CREATE TABLE builds one index for unique keys over the same columns (the named one
-- wins), and none for a unique key over the primary key.
CREATE TABLE t6 (
    id integer PRIMARY KEY UNIQUE,
    a integer UNIQUE,
    b integer,
    UNIQUE (a),
    CONSTRAINT k1 UNIQUE (a),
    UNIQUE (b),
    UNIQUE (b)
);
