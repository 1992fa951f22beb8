-- Adds c11.
alter table rules
    add column c11 int;
