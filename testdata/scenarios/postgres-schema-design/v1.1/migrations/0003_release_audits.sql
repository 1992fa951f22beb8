-- The same table written the way the rules suggest: nothing to report.
CREATE TABLE release_audits (
    audit_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    release_name TEXT NOT NULL REFERENCES releases (name),
    locale TEXT CHECK (char_length(locale) <= 5),
    happened_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX release_audits_release_name_idx ON release_audits (release_name);
