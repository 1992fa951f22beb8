-- Built without blocking writes, in a migration of its own (outside a transaction).
CREATE UNIQUE INDEX CONCURRENTLY rules_alias_idx ON rules (alias);
