-- +goose Up
CREATE INDEX idx_user_lookup ON tuple (store, _user, object_id);

-- +goose Down
DROP INDEX idx_user_lookup;
