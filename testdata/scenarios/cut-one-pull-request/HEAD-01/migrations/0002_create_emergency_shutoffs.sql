CREATE TABLE emergency_shutoffs (
    product VARCHAR(15) NOT NULL,
    channel VARCHAR(75) NOT NULL,
    data_version INT NOT NULL,
    PRIMARY KEY (product, channel)
);
