CREATE TABLE releases (
    name VARCHAR(100) NOT NULL PRIMARY KEY,
    product VARCHAR(15) NOT NULL
) ENGINE=InnoDB;
CREATE TABLE rules (
    rule_id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    release_name VARCHAR(100),
    KEY rules_release_idx (release_name),
    CONSTRAINT rules_release_fk FOREIGN KEY (release_name) REFERENCES releases (name)
        ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB;
CREATE TABLE release_assets (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    release_name VARCHAR(100) NOT NULL,
    KEY release_assets_release_idx (release_name),
    CONSTRAINT release_assets_release_fk FOREIGN KEY (release_name) REFERENCES releases (name)
) ENGINE=InnoDB;
