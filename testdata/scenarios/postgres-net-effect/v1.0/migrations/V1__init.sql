CREATE TABLE rules (
    rule_id SERIAL PRIMARY KEY,
    product VARCHAR(15),
    channel VARCHAR(75),
    alias VARCHAR(50)
);
CREATE INDEX rules_product ON rules (product);
CREATE INDEX rules_channel ON rules (channel);
CREATE UNIQUE INDEX rules_alias ON rules (alias);
CREATE TABLE releases (
    name VARCHAR(100) PRIMARY KEY,
    product VARCHAR(15) NOT NULL
);
CREATE TABLE permissions (
    permission VARCHAR(50) NOT NULL,
    username VARCHAR(100) NOT NULL,
    CONSTRAINT permissions_user_key UNIQUE (username, permission)
);
