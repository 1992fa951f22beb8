-- SQLite's catalog names no indexed expression; it is compared as an expression.
CREATE INDEX i3 ON t3 (lower(c));
