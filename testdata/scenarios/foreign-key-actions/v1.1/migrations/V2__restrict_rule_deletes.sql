-- Deleting a release must no longer take its rules with it.
ALTER TABLE rules DROP CONSTRAINT rules_release_fk;
ALTER TABLE rules ADD CONSTRAINT rules_release_fk
    FOREIGN KEY (release_name) REFERENCES releases (name) ON DELETE RESTRICT;
