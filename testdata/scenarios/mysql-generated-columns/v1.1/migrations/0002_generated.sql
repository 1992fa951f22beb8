-- A generated column fills itself: old inserts that leave it out keep working.
ALTER TABLE releases ADD COLUMN size_gb INT AS (size_kb DIV 1048576) VIRTUAL;
