-- Rules can be found by alias.
alter table rules
    add column alias varchar(50);
