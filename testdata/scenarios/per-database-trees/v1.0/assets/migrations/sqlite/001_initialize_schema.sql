-- +goose Up
CREATE TABLE tuple (store TEXT NOT NULL, object_id TEXT NOT NULL, _user TEXT NOT NULL, PRIMARY KEY (store, object_id, _user));

-- +goose Down
DROP TABLE tuple;
