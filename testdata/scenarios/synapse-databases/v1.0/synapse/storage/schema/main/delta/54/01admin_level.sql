-- A later delta (since deleted) dropped it again: full_schemas/72 has no admin_level.
ALTER TABLE users ADD COLUMN admin_level TEXT;
