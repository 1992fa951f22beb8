-- Squashed baseline of migrations 0001-0002. Databases already at 0002 are stamped, not migrated.
-- It declares releases.timestamp as INT: production keeps BIGINT, new databases get INT.
CREATE TABLE releases (
    name VARCHAR(100) NOT NULL PRIMARY KEY,
    product VARCHAR(15) NOT NULL,
    data LONGTEXT,
    data_version INT NOT NULL,
    timestamp INT NOT NULL DEFAULT 0
);

CREATE TABLE rules (
    rule_id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    priority INT,
    mapping VARCHAR(100),
    legacy_flag TINYINT(1),
    comment VARCHAR(500),
    data_version INT NOT NULL
);
