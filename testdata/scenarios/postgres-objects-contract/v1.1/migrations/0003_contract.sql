-- Partitions attached and detached, an enum that loses a value by being replaced.
ALTER TABLE events ATTACH PARTITION events_old FOR VALUES FROM ('2000-01-01') TO ('2025-01-01');
ALTER TABLE events DETACH PARTITION events_2025;
ALTER TYPE channel RENAME TO channel_old;
CREATE TYPE channel AS ENUM ('release', 'beta');
ALTER TABLE releases ALTER COLUMN channel TYPE channel USING channel::text::channel;
DROP TYPE channel_old;
ALTER TYPE version_pair DROP ATTRIBUTE patch;
DROP MATERIALIZED VIEW release_sizes;
DROP SCHEMA audit;
DROP EXTENSION pg_trgm;
ALTER TABLE releases ALTER COLUMN id DROP IDENTITY;
