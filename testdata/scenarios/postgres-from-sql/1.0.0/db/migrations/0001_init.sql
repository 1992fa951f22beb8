CREATE TABLE jobs (
    id SERIAL PRIMARY KEY,
    state VARCHAR(20) NOT NULL,
    payload JSONB
);
