-- Names qualified with PostgreSQL's default schema are the unqualified objects.
CREATE TABLE public.author (id serial PRIMARY KEY, name text NOT NULL);
ALTER TABLE author ADD COLUMN email text;
CREATE TABLE book (
    id serial PRIMARY KEY,
    author_id int NOT NULL CONSTRAINT book_author_fkey REFERENCES public.author (id),
    title text NOT NULL DEFAULT 'untitled',
    CONSTRAINT book_title_check CHECK (title <> '')
);
CREATE INDEX book_title ON public.book (title);
CREATE TABLE review (
    id int PRIMARY KEY,
    book_id int REFERENCES book DEFERRABLE INITIALLY DEFERRED
);
CREATE SEQUENCE invoice_numbers;
CREATE SEQUENCE ticket_numbers;
CREATE VIEW titles AS SELECT id, title FROM book;
