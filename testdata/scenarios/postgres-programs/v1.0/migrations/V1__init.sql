CREATE TABLE post (id SERIAL PRIMARY KEY, score INTEGER NOT NULL DEFAULT 0, owner TEXT);
CREATE TABLE post_aggregates (post_id INTEGER PRIMARY KEY, comments INTEGER NOT NULL DEFAULT 0);
CREATE FUNCTION hot_rank(score numeric, published timestamp with time zone) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN floor(10000 * log(greatest(1, score + 3)));
END;
$$;
CREATE FUNCTION post_aggregates_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO post_aggregates (post_id) VALUES (NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER post_aggregates_post AFTER INSERT ON post
    FOR EACH ROW EXECUTE PROCEDURE post_aggregates_post();
CREATE FUNCTION old_report(x int4) RETURNS text LANGUAGE sql AS 'SELECT ''x''';
ALTER TABLE post ENABLE ROW LEVEL SECURITY;
CREATE POLICY post_owner ON post FOR SELECT USING (owner = current_user);
GRANT SELECT, INSERT ON post TO PUBLIC;
COMMENT ON TABLE post IS 'A post';
COMMENT ON COLUMN post.score IS 'Votes';
