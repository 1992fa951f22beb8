-- Adds c05.
alter table rules
    add column c05 int;
