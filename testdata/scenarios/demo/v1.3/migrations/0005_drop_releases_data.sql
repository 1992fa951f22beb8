-- Release blobs moved to releases_json.
ALTER TABLE releases DROP COLUMN data;
