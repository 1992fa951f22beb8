CREATE TABLE rules (
    rule_id INTEGER PRIMARY KEY,
    priority INTEGER,
    comment VARCHAR(100),
    amount NUMERIC(10, 2)
);

CREATE FUNCTION make_token() RETURNS UUID LANGUAGE sql VOLATILE AS $$ SELECT gen_random_uuid() $$;
