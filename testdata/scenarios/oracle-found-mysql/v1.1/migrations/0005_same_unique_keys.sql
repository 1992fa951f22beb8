-- Unlike PostgreSQL and SQLite, MySQL builds one index per unique key (a, a_2).
CREATE TABLE t8 (a int UNIQUE, UNIQUE (a));
