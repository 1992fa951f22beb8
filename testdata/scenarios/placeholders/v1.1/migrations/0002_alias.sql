ALTER TABLE ${prefix}rules ADD COLUMN alias VARCHAR(50);
