-- The trigger dropped and created again as it was: nothing changes.
DROP TRIGGER post_aggregates_post ON post;
CREATE TRIGGER post_aggregates_post AFTER INSERT ON post
    FOR EACH ROW EXECUTE PROCEDURE post_aggregates_post();
-- Triggers off around a data change and on again: nothing changes.
ALTER TABLE post DISABLE TRIGGER ALL;
UPDATE post SET score = 0 WHERE score < 0;
ALTER TABLE post ENABLE TRIGGER ALL;
-- The same function restated (re-indented, keywords in another case): nothing changes.
CREATE OR REPLACE FUNCTION hot_rank (score numeric, published timestamptz) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE AS $$
    BEGIN
        RETURN floor(10000 * log(greatest(1, score + 3)));
    END;
$$;
-- A function no code calls any more, dropped with its argument types.
DROP FUNCTION old_report(integer);
-- A new function, trigger and permissive policy; a comment changed.
CREATE FUNCTION touch_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.score := coalesce(NEW.score, 0);
    RETURN NEW;
END $$;
CREATE TRIGGER touch_post BEFORE UPDATE ON post FOR EACH ROW EXECUTE FUNCTION touch_post();
CREATE POLICY post_public ON post FOR SELECT USING (score > 10);
COMMENT ON COLUMN post.score IS 'Upvotes minus downvotes';
REVOKE INSERT ON post FROM PUBLIC;
