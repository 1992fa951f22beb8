-- Choices that cost later: a 32-bit serial key, a key that references it, blank-padded and
-- length-limited text, a timestamp without its offset, a name PostgreSQL truncates, and a
-- domain whose check the tables do not show.
CREATE TABLE release_events (
    event_id SERIAL PRIMARY KEY,
    release_name VARCHAR(100) NOT NULL REFERENCES releases (name),
    locale CHAR(5),
    happened_at TIMESTAMP NOT NULL
);
CREATE TABLE release_event_notes (
    note_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES release_events (event_id),
    body TEXT NOT NULL
);
CREATE INDEX release_event_notes_event_id_for_the_release_notes_search_page_idx ON release_event_notes (event_id);
CREATE DOMAIN locale_code AS TEXT CHECK (char_length(VALUE) <= 5);
