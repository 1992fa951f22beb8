BEGIN;
ALTER TYPE release_state ADD VALUE 'pulled';
COMMIT;
