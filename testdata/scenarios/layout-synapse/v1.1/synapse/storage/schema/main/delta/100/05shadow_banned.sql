ALTER TABLE users ADD COLUMN shadow_banned BOOLEAN;
