-- Adds c04.
alter table rules
    add column c04 int;
