-- Adds c06.
alter table rules
    add column c06 int;
