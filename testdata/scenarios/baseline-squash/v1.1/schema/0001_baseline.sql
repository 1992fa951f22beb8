-- Squashed baseline of migrations 0001-0003. Databases already at 0003 are stamped, not migrated.
CREATE TABLE releases (
    name VARCHAR(100) NOT NULL PRIMARY KEY,
    product VARCHAR(15) NOT NULL,
    data LONGTEXT,
    data_version INT NOT NULL
);
CREATE INDEX releases_product_idx ON releases (product);

CREATE TABLE rules (
    rule_id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    priority INT,
    mapping VARCHAR(100),
    legacy_flag TINYINT(1),
    comment VARCHAR(500),
    data_version INT NOT NULL,
    alias VARCHAR(50)
);
