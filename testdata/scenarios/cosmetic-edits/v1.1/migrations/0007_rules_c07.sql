-- Adds c07.
alter table rules
    add column c07 int;
