CREATE TABLE releases (
    name VARCHAR(100) PRIMARY KEY,
    product VARCHAR(15) NOT NULL
);
CREATE TABLE rules (
    rule_id SERIAL PRIMARY KEY,
    release_name VARCHAR(100),
    CONSTRAINT rules_release_fk FOREIGN KEY (release_name) REFERENCES releases (name)
        ON DELETE CASCADE
);
CREATE TABLE release_assets (
    id SERIAL PRIMARY KEY,
    release_name VARCHAR(100) NOT NULL REFERENCES releases (name) ON UPDATE CASCADE,
    path TEXT NOT NULL
);
CREATE TABLE signoffs (
    id SERIAL PRIMARY KEY,
    release_name VARCHAR(100),
    CONSTRAINT signoffs_release_fk FOREIGN KEY (release_name) REFERENCES releases (name)
        DEFERRABLE INITIALLY DEFERRED
);
