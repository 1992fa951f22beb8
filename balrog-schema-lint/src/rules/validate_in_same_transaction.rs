//! `validate-in-same-transaction`: `VALIDATE CONSTRAINT` in the transaction that added the
//! constraint `NOT VALID`.

use super::declared::same_transaction;
use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "validate-in-same-transaction",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A PostgreSQL constraint is validated in the same transaction that added it NOT VALID",
    doc: "## What it does
Reports PostgreSQL `ALTER TABLE .. VALIDATE CONSTRAINT c` when the same migration added `c`
with `NOT VALID` earlier and no `COMMIT` separates them. Runners run a migration file (or a
Python migration) in one transaction, so the same migration is the same transaction.

## Why is this bad
`NOT VALID` exists so that adding the constraint takes its lock only for a moment, and the
scan of the existing rows happens later under `VALIDATE CONSTRAINT`'s weaker lock, which
lets writes through. In one transaction the lock the add took (`ACCESS EXCLUSIVE` for a
check, `SHARE ROW EXCLUSIVE` on both tables for a foreign key) is held until the commit, so
writes block for the whole scan: exactly what `NOT VALID` was meant to avoid.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE products (name TEXT PRIMARY KEY);
-- production: CREATE TABLE rules (rule_id BIGINT PRIMARY KEY, product TEXT);
-- balrog-schema-lint: allow add-foreign-key -- orphans were removed in 0041
ALTER TABLE rules ADD CONSTRAINT rules_product_fk FOREIGN KEY (product) REFERENCES products (name) NOT VALID;
ALTER TABLE rules VALIDATE CONSTRAINT rules_product_fk;
```

## Use instead
Add the constraint `NOT VALID` in one migration:
```sql
-- dialect: postgres
-- balrog-schema-lint: allow add-foreign-key -- orphans were removed in 0041
ALTER TABLE rules ADD CONSTRAINT rules_product_fk FOREIGN KEY (product) REFERENCES products (name) NOT VALID;
```
and validate it in a later one, which commits on its own:
`ALTER TABLE rules VALIDATE CONSTRAINT rules_product_fk;`. Inside one file, a `COMMIT`
between the two (ending the block a `BEGIN` opened) separates them as well.

## Deploy ordering
No effect on the order; it decides how long the schema step blocks writes.

## Known problems
Alembic runs every revision of one `upgrade` in a single transaction unless
`transaction_per_migration` is set: there, two revisions of the same release are one
transaction too, which this rule does not see.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for migration in &analysis.migrations {
        if migration.dialect != Dialect::Postgres {
            continue;
        }
        for (index, aop) in migration.operations.iter().enumerate() {
            let OpKind::ValidateConstraint { table, name } = &aop.op.kind else {
                continue;
            };
            let added = migration.operations[..index].iter().rposition(|earlier| {
                matches!(&earlier.op.kind, OpKind::AddConstraint { table: t, constraint }
                    if constraint.not_valid
                        && t.eq_ignore_ascii_case(table)
                        && constraint.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)))
            });
            let Some(added) = added.filter(|&at| same_transaction(migration, at, index)) else {
                continue;
            };
            let line = migration.operations[added].op.line;
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!("{name} on {table} is validated in the transaction that added it NOT VALID on line {line}: the lock of the add is held through the whole scan, so writes block as if NOT VALID had not been written."),
                "Move VALIDATE CONSTRAINT to a later migration, or COMMIT before it.".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::declared::findings_of;
    use super::*;

    const PRODUCTION: &str = "CREATE TABLE t (id BIGINT PRIMARY KEY, n INT);";

    #[test]
    fn same_file_without_commit() {
        let sql = "ALTER TABLE t ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID;\n\
                   ALTER TABLE t VALIDATE CONSTRAINT n_pos;\n";
        let found = findings_of(check, Dialect::Postgres, PRODUCTION, sql);
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), [2], "{found:?}");
    }

    #[test]
    fn commit_between_or_validate_alone_is_quiet() {
        let sql = "BEGIN;\nALTER TABLE t ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID;\nCOMMIT;\n\
                   ALTER TABLE t VALIDATE CONSTRAINT n_pos;\n";
        assert!(findings_of(check, Dialect::Postgres, PRODUCTION, sql).is_empty());
        let production = format!("{PRODUCTION}\nALTER TABLE t ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID;");
        let later = "ALTER TABLE t VALIDATE CONSTRAINT n_pos;\n";
        assert!(findings_of(check, Dialect::Postgres, &production, later).is_empty());
    }
}
