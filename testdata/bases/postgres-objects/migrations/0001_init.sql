CREATE SCHEMA IF NOT EXISTS reporting;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TYPE channel AS ENUM ('release', 'nightly');
CREATE TYPE version_pair AS (major INTEGER, minor INTEGER);
CREATE DOMAIN product_name AS VARCHAR(15) NOT NULL CONSTRAINT product_name_filled CHECK (VALUE <> '');
CREATE TABLE releases (
    name VARCHAR(100) PRIMARY KEY,
    product product_name,
    channel channel,
    version version_pair,
    size_kb INTEGER,
    size_mb INTEGER GENERATED ALWAYS AS (size_kb / 1024) STORED,
    id BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE TABLE rules (
    rule_id SERIAL PRIMARY KEY,
    release_name VARCHAR(100),
    priority INTEGER
);
ALTER TABLE rules ADD CONSTRAINT rules_release_fk FOREIGN KEY (release_name) REFERENCES releases (name) NOT VALID;
CREATE INDEX rules_priority ON rules (priority);
CREATE TABLE events (id BIGINT NOT NULL, created DATE NOT NULL, kind TEXT) PARTITION BY RANGE (created);
CREATE INDEX events_created ON events (created);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_old (id BIGINT NOT NULL, created DATE NOT NULL, kind TEXT);
CREATE MATERIALIZED VIEW release_sizes AS SELECT name, size_kb FROM releases WITH NO DATA;
CREATE UNIQUE INDEX release_sizes_name ON release_sizes (name);
CREATE TEMPORARY TABLE scratch (n INTEGER);
INSERT INTO scratch VALUES (1);
DROP TABLE scratch;
CREATE TABLE tags (name TEXT);
CREATE TABLE labels (name TEXT);
