CREATE TYPE release_state AS ENUM ('draft', 'shipped');
CREATE DOMAIN priority AS INTEGER;
CREATE TABLE products (name TEXT PRIMARY KEY);
CREATE TABLE rules (
    rule_id BIGINT NOT NULL,
    alias TEXT,
    product TEXT,
    priority priority,
    state release_state
);
CREATE UNIQUE INDEX rules_rule_id_idx ON rules (rule_id);
CREATE TABLE permissions (username TEXT NOT NULL, permission TEXT NOT NULL);
