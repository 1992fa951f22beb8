-- Initial schema.
CREATE TABLE rules (
    rule_id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    priority INT,
    mapping VARCHAR(100),
    legacy_flag TINYINT(1),
    comment VARCHAR(500),
    data_version INT NOT NULL
);

CREATE TABLE releases (
    name VARCHAR(100) NOT NULL PRIMARY KEY,
    product VARCHAR(15) NOT NULL,
    data LONGTEXT,
    data_version INT NOT NULL
);
