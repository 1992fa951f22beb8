CREATE TABLE rules (
    rule_id SERIAL PRIMARY KEY,
    product VARCHAR(15),
    channel VARCHAR(75),
    priority INTEGER
);
CREATE INDEX rules_product ON rules (product);
CREATE INDEX rules_channel ON rules (channel);
CREATE TABLE releases_history (
    change_id SERIAL PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    data TEXT
);
CREATE INDEX releases_history_name ON releases_history (name);
CREATE TABLE events (
    event_id INTEGER NOT NULL,
    created DATE NOT NULL
) PARTITION BY RANGE (created);
CREATE TABLE events_2019 PARTITION OF events FOR VALUES FROM ('2019-01-01') TO ('2020-01-01');
CREATE TABLE events_2020 PARTITION OF events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
