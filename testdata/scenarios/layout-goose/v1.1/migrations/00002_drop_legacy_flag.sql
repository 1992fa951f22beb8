-- Drops a column nothing reads since 1.0.

-- +goose Up
-- +goose StatementBegin
ALTER TABLE rules DROP COLUMN legacy_flag;
-- +goose StatementEnd

-- +goose Down
ALTER TABLE rules ADD COLUMN legacy_flag INT;
