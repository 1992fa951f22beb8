-- Adds c02.
alter table rules
    add column c02 int;
