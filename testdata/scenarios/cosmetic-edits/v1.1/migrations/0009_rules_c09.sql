-- Adds c09.
alter table rules
    add column c09 int;
