-- Adds c10.
alter table rules
    add column c10 int;
