-- Adds c08.
alter table rules
    add column c08 int;
