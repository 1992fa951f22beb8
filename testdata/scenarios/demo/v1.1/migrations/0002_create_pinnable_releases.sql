CREATE TABLE pinnable_releases (
    product VARCHAR(15) NOT NULL,
    channel VARCHAR(75) NOT NULL,
    version VARCHAR(75) NOT NULL,
    mapping VARCHAR(100) NOT NULL,
    data_version INT NOT NULL,
    PRIMARY KEY (product, channel, version)
);
