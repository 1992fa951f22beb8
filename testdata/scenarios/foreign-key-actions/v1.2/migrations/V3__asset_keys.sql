-- Asset rows follow their release when it is deleted; signoffs are checked at once again.
ALTER TABLE release_assets DROP CONSTRAINT release_assets_release_name_fkey;
ALTER TABLE release_assets ADD CONSTRAINT release_assets_release_name_fkey
    FOREIGN KEY (release_name) REFERENCES releases (name) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE signoffs DROP CONSTRAINT signoffs_release_fk;
ALTER TABLE signoffs ADD CONSTRAINT signoffs_release_fk
    FOREIGN KEY (release_name) REFERENCES releases (name) ON DELETE SET NULL;
CREATE TABLE release_notes (
    id SERIAL PRIMARY KEY,
    release_name VARCHAR(100) REFERENCES releases (name) ON DELETE SET NULL ON UPDATE CASCADE
        DEFERRABLE INITIALLY IMMEDIATE,
    body TEXT
);
