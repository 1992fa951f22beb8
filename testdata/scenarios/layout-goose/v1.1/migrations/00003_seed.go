package migrations

// A goose Go migration: the tool does not read Go.
