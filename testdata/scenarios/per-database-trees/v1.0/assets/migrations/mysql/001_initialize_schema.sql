-- +goose Up
CREATE TABLE tuple (store CHAR(26) NOT NULL, object_id VARCHAR(128) NOT NULL, _user VARCHAR(256) NOT NULL, PRIMARY KEY (store, object_id, _user));

-- +goose Down
DROP TABLE tuple;
