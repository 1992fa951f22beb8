-- diesel runs each migration in a transaction unless told otherwise.
CREATE INDEX users_email_idx ON users (email);
ALTER TABLE users ALTER COLUMN name TYPE TEXT;
