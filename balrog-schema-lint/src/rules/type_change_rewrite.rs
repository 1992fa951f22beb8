//! `type-change-rewrite`: a PostgreSQL type change that rewrites the table.

use super::{finding, previous_type, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind, SqlType};

pub(super) static RULE: Rule = Rule {
    name: "type-change-rewrite",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A PostgreSQL column type change rewrites the whole table under an exclusive lock",
    doc: "## What it does
Reports PostgreSQL `ALTER COLUMN .. TYPE` on an existing table unless the change is one
PostgreSQL makes without a rewrite: to `TEXT` or to an unbounded `VARCHAR`, or to a longer
`VARCHAR`.

## Why is this bad
Most type changes (even widening ones such as `INT` to `BIGINT`) rewrite every row and every
index of the table while holding an `ACCESS EXCLUSIVE` lock: no reads, no writes.

## Example
```sql
-- dialect: postgres
ALTER TABLE rules ALTER COLUMN priority TYPE BIGINT;
```

## Use instead
Add a new column, backfill it in batches, switch the code over, then drop the old one:
```sql
-- dialect: postgres
ALTER TABLE rules ADD COLUMN priority_v2 BIGINT NULL;
```

## Deploy ordering
See `change-column-type` for the order; this rule is about the lock the schema step takes.
",
    enabled_by_default: true,
    standalone_example: true,
};

fn is_varchar(ty: &SqlType) -> bool {
    matches!(ty.name.as_str(), "VARCHAR" | "CHARACTER VARYING")
}

/// Whether PostgreSQL changes `old` to `new` without rewriting the table.
fn in_place(old: Option<&SqlType>, new: &SqlType) -> bool {
    if new.name == "TEXT" || (is_varchar(new) && new.params.is_empty()) {
        return true;
    }
    if !is_varchar(new) {
        return false;
    }
    match old {
        // A longer VARCHAR is the common change; without the old type, give it the benefit.
        None => true,
        Some(old) => {
            is_varchar(old)
                && old
                    .params
                    .first()
                    .is_some_and(|o| new.params.first().is_some_and(|n| o <= n))
        }
    }
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres {
            continue;
        }
        let OpKind::AlterColumnType {
            table,
            column,
            new_type,
        } = &aop.op.kind
        else {
            continue;
        };
        let old = previous_type(analysis, aop, table, column);
        if !touches_released(aop) || in_place(old.as_ref(), new_type) {
            continue;
        }
        let from = old.map(|t| format!(" from {t}")).unwrap_or_default();
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!("{table}.{column} changes type{from} to {new_type}: PostgreSQL rewrites {table} and its indexes under an exclusive lock."),
            "Add a column of the new type, backfill in batches, switch over, drop the old column.".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn alter(ty: SqlType) -> OpKind {
        OpKind::AlterColumnType {
            table: "t".into(),
            column: "c".into(),
            new_type: ty,
        }
    }

    #[test]
    fn rewrites_unless_text_or_longer_varchar() {
        let one = |ty| lines(check, &single(Dialect::Postgres, vec![alter(ty)])).len();
        assert_eq!(one(SqlType::named("BIGINT")), 1);
        assert_eq!(one(SqlType::named("TEXT")), 0);
        assert_eq!(one(SqlType::with_params("VARCHAR", &[200])), 0);
        // The type set earlier in the range is the old type of the next change.
        let a = single(
            Dialect::Postgres,
            vec![
                alter(SqlType::named("BIGINT")),
                alter(SqlType::with_params("VARCHAR", &[200])),
            ],
        );
        assert_eq!(lines(check, &a), [Some(1), Some(2)]);
        assert!(lines(
            check,
            &single(Dialect::Mysql, vec![alter(SqlType::named("BIGINT"))])
        )
        .is_empty());
    }

    #[test]
    fn shorter_varchar_than_known_old_type_rewrites() {
        let mut a = single(
            Dialect::Postgres,
            vec![alter(SqlType::with_params("VARCHAR", &[10]))],
        );
        a.context
            .column_types
            .insert("t.c".into(), SqlType::with_params("VARCHAR", &[100]));
        assert_eq!(lines(check, &a), [Some(1)]);
    }
}
