-- +goose Up
CREATE TABLE tuple (store NCHAR(26) NOT NULL, object_id NVARCHAR(255) NOT NULL, _user NVARCHAR(256) NOT NULL, PRIMARY KEY (store, object_id, _user));

-- +goose Down
DROP TABLE tuple;
