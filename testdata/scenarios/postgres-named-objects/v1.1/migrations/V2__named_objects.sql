-- When keys are checked: later (expand), earlier (contract).
ALTER TABLE book ALTER CONSTRAINT book_author_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE review
    ALTER COLUMN book_id SET NOT NULL,
    ALTER CONSTRAINT review_book_id_fkey NOT DEFERRABLE;
-- Sequences: numbering is operational; a rename breaks code that names it; a sequence
-- owned by a column becomes part of it.
ALTER SEQUENCE invoice_numbers RESTART WITH 5000 INCREMENT BY 10;
ALTER SEQUENCE invoice_numbers RENAME TO invoice_ids;
ALTER SEQUENCE ticket_numbers OWNED BY author.id;
-- Storage settings: operational.
ALTER TABLE public.book SET (fillfactor = 70), CLUSTER ON book_title;
ALTER TABLE book ALTER COLUMN title SET STATISTICS 200;
-- A copy of a table, and a view renamed.
CREATE TABLE book_archive (LIKE book INCLUDING ALL);
CREATE TABLE book_draft (LIKE book);
ALTER VIEW titles RENAME TO book_titles;
-- Objects known by name.
CREATE COLLATION german_ci (provider = icu, locale = 'de-u-ks-level2', deterministic = false);
ALTER TABLE author OWNER TO CURRENT_USER;
