//! `type-change-rewrite`: a PostgreSQL type change that rewrites the table.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::lock::TableWork;
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "type-change-rewrite",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A PostgreSQL column type change rewrites the whole table under an exclusive lock",
    doc: "## What it does
Reports PostgreSQL `ALTER COLUMN .. TYPE` on an existing table unless PostgreSQL makes the
change without a rewrite: the new type is binary-coercible from the old one (`varchar` to
`text`, `text` to unbounded `varchar`, `cidr` to `inet`) or only loosens its modifier
(`varchar(n)` to `varchar(m)` with `m >= n`, `numeric(p, s)` to `numeric(q, s)` with
`q >= p`, or to unconstrained `numeric`). The old type is the replayed schema's; when it is
not known, the change may rewrite and is reported.

## Why is this bad
Every other type change (even widening ones such as `INT` to `BIGINT`, and `INT` to
`TEXT`) rewrites every row and every index of the table while holding an `ACCESS EXCLUSIVE`
lock: no reads, no writes.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, priority INT);
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
        let Some(lock) = aop.lock.as_ref().filter(|l| l.table == TableWork::Rewrite) else {
            continue;
        };
        if !touches_released(aop) {
            continue;
        }
        let why = lock.note.clone().unwrap_or_else(|| format!("{new_type} is not binary-coercible"));
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!("{table}.{column} changes type ({why}): PostgreSQL rewrites {table} and its indexes under {}.", lock.mode.name()),
            "Add a column of the new type, backfill in batches, switch over, drop the old column.".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::SqlType;

    fn alter(ty: SqlType) -> OpKind {
        OpKind::AlterColumnType {
            table: "t".into(),
            column: "c".into(),
            new_type: ty,
        }
    }

    fn production(ty: SqlType) -> Vec<OpKind> {
        let mut column = col("c", "INT");
        column.ty = Some(ty);
        vec![OpKind::CreateTable {
            table: "t".into(),
            columns: vec![col("id", "INT"), column],
            constraints: vec![],
            if_not_exists: false,
        }]
    }

    fn reported(old: SqlType, new: SqlType) -> bool {
        let a = single_on(&production(old), Target::default(), Dialect::Postgres, vec![alter(new)]);
        !lines(check, &a).is_empty()
    }

    #[test]
    fn rewrites_unless_binary_coercible() {
        let varchar = |n| SqlType::with_params("VARCHAR", &[n]);
        let numeric = |p: &[u64]| SqlType::with_params("NUMERIC", p);
        let int = || SqlType::named("INT");
        assert!(reported(int(), SqlType::named("BIGINT")));
        assert!(reported(int(), SqlType::named("TEXT")));
        assert!(!reported(varchar(20), SqlType::named("TEXT")));
        assert!(!reported(varchar(20), varchar(200)));
        assert!(reported(varchar(200), varchar(20)));
        assert!(reported(SqlType::named("TEXT"), varchar(20)));
        assert!(!reported(numeric(&[10, 2]), numeric(&[12, 2])));
        assert!(reported(numeric(&[10, 2]), numeric(&[12, 3])));
        assert!(!reported(numeric(&[10, 2]), SqlType::named("NUMERIC")));
        // The type set earlier in the range is the old type of the next change.
        let a = single_on(
            &production(int()),
            Target::default(),
            Dialect::Postgres,
            vec![alter(SqlType::named("BIGINT")), alter(SqlType::named("BIGINT"))],
        );
        assert_eq!(lines(check, &a), [Some(1)]);
        // Unknown old type: it may rewrite.
        assert_eq!(
            lines(check, &single(Dialect::Postgres, vec![alter(varchar(200))])),
            [Some(1)]
        );
        assert!(lines(
            check,
            &single(Dialect::Mysql, vec![alter(SqlType::named("BIGINT"))])
        )
        .is_empty());
    }
}
