-- Adds c03.
alter table rules
    add column c03 int;
