CREATE TABLE products (name TEXT PRIMARY KEY);
CREATE TABLE releases (name TEXT PRIMARY KEY, product TEXT NOT NULL REFERENCES products (name));
