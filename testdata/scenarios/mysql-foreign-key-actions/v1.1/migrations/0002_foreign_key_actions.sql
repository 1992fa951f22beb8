-- Rules keep their release name when it is renamed, but deleting a release is refused.
ALTER TABLE rules DROP FOREIGN KEY rules_release_fk;
ALTER TABLE rules ADD CONSTRAINT rules_release_fk FOREIGN KEY (release_name)
    REFERENCES releases (name) ON DELETE RESTRICT ON UPDATE CASCADE;
-- NO ACTION is what MySQL already enforced (as RESTRICT): no change.
ALTER TABLE release_assets DROP FOREIGN KEY release_assets_release_fk;
ALTER TABLE release_assets ADD CONSTRAINT release_assets_release_fk FOREIGN KEY (release_name)
    REFERENCES releases (name) ON DELETE NO ACTION;
