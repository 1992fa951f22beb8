//! `enum-value-in-transaction`: a PostgreSQL enum value added inside a transaction.

use super::declared::{open_block, same_transaction};
use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "enum-value-in-transaction",
    category: Category::Operational,
    default_severity: Severity::Error,
    summary: "A PostgreSQL enum value is added inside a transaction block, or used before it is committed",
    doc: "## What it does
Reports PostgreSQL `ALTER TYPE .. ADD VALUE` when a later statement of the same migration
uses the new value before a `COMMIT` (an error), or when it runs inside a block a `BEGIN`
opens (a warning: it fails only before PostgreSQL 12).

## Why is this bad
PostgreSQL before 12 refuses `ADD VALUE` inside a transaction block. From 12 on it runs, but
the new value cannot be used until the transaction commits: a statement of the same
migration that inserts it, or updates rows to it, fails with `unsafe use of new value`, and
the migration fails in production. Runners run a migration file in one transaction, so the
same file is the same transaction.

## Example
```sql
-- dialect: postgres
-- production: CREATE TYPE release_state AS ENUM ('draft', 'shipped');
-- production: CREATE TABLE releases (name TEXT PRIMARY KEY, state release_state);
ALTER TYPE release_state ADD VALUE 'signed';
UPDATE releases SET state = 'signed' WHERE name LIKE '%-signed';
```

## Use instead
Add the value in one migration and use it in a later one:
```sql
-- dialect: postgres
ALTER TYPE release_state ADD VALUE 'signed';
```

## Deploy ordering
No effect on the order; the schema step fails as written.

## Known problems
Alembic and Django run a Python migration in a transaction too: there, before PostgreSQL
12, every `ADD VALUE` fails unless the migration opts out (Alembic's `autocommit_block()`,
Django's `atomic = False`); the rule only sees explicit blocks and uses of the value.
",
    enabled_by_default: true,
    standalone_example: true,
};

/// Whether a statement's text holds `value` as a string literal.
fn uses_value(source: &str, value: &str) -> bool {
    source.contains(&format!("'{}'", value.replace('\'', "''")))
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for migration in &analysis.migrations {
        if migration.dialect != Dialect::Postgres {
            continue;
        }
        for (index, aop) in migration.operations.iter().enumerate() {
            let OpKind::AddEnumValue { name, value, .. } = &aop.op.kind else {
                continue;
            };
            let used = migration
                .operations
                .iter()
                .enumerate()
                .skip(index + 1)
                .filter(|(_, later)| later.op.line != aop.op.line)
                .find(|(at, later)| {
                    same_transaction(migration, index, *at) && uses_value(&later.op.source, value)
                });
            let (message, help, severity) = match (used, open_block(migration, index)) {
                (Some((_, later)), _) => (
                    format!("'{value}' is added to enum {name} and used on line {} before the transaction commits: PostgreSQL rejects the use (unsafe use of new value).", later.op.line),
                    "Use the new value in a later migration, or COMMIT after adding it.".to_string(),
                    RULE.default_severity,
                ),
                (None, Some(begin)) => (
                    format!("'{value}' is added to enum {name} inside the transaction opened on line {begin}: PostgreSQL before 12 rejects it, and later versions do not let the transaction use it."),
                    "Add enum values outside a transaction block, in a migration of their own.".to_string(),
                    Severity::Warning,
                ),
                (None, None) => continue,
            };
            let mut f = finding(&RULE, Some(migration), Some(aop.op.line), message, help);
            f.severity = severity;
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::declared::findings_of;
    use super::*;

    const PRODUCTION: &str =
        "CREATE TYPE s AS ENUM ('a', 'b');\nCREATE TABLE t (id BIGINT PRIMARY KEY, state s);";

    #[test]
    fn used_before_commit_or_inside_a_block() {
        let used = "ALTER TYPE s ADD VALUE 'c';\nUPDATE t SET state = 'c' WHERE id = 1;\n";
        let found = findings_of(check, Dialect::Postgres, PRODUCTION, used);
        assert_eq!(found.len(), 1);
        assert!(found[0].1.contains("used on line 2"), "{found:?}");
        let block = "BEGIN;\nALTER TYPE s ADD VALUE 'c';\nCOMMIT;\n";
        let found = findings_of(check, Dialect::Postgres, PRODUCTION, block);
        assert!(found[0].1.contains("opened on line 1"), "{found:?}");
    }

    #[test]
    fn alone_or_used_after_a_commit_is_quiet() {
        let alone = "ALTER TYPE s ADD VALUE 'c';\nUPDATE t SET state = 'b' WHERE id = 1;\n";
        assert!(findings_of(check, Dialect::Postgres, PRODUCTION, alone).is_empty());
        let committed =
            "BEGIN;\nSELECT 1;\nCOMMIT;\nALTER TYPE s ADD VALUE 'c';\nCOMMIT;\nUPDATE t SET state = 'c';\n";
        assert!(findings_of(check, Dialect::Postgres, PRODUCTION, committed).is_empty());
    }
}
