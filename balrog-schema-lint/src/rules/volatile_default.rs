//! `volatile-default`: a column added with a per-row computed default.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "volatile-default",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A column is added to an existing table with a volatile default (random, uuid, clock)",
    doc: "## What it does
Reports a column added to an existing table whose default calls a volatile function:
`random()`, `rand()`, `uuid()`, `gen_random_uuid()`, `uuid_generate_v4()`,
`clock_timestamp()`, `nextval()` and the like.

## Why is this bad
The database must compute a value per existing row, so it rewrites the whole table under an
exclusive lock (PostgreSQL; MySQL copies the table for expression defaults). SQLite rejects
such a default in `ADD COLUMN` outright. On PostgreSQL before 11, *any* non-NULL default
rewrites the table; from 11 on, constant and stable defaults such as `now()` are instant.

## Example
```sql
-- dialect: postgres
ALTER TABLE rules ADD COLUMN token UUID DEFAULT gen_random_uuid();
```

## Use instead
Add the column without a default, backfill in batches, then set the default for new rows:
```sql
-- dialect: postgres
ALTER TABLE rules ADD COLUMN token UUID NULL;
```

## Deploy ordering
No effect on the order (a nullable or defaulted column is expand); it affects how long the
schema step locks the table.
",
    enabled_by_default: true,
    standalone_example: true,
};

/// Functions whose value differs per call (per row).
const VOLATILE: [&str; 11] = [
    "random",
    "rand",
    "uuid",
    "uuid_short",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v4",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "newid",
];

/// The volatile function a default expression calls, if any.
fn volatile_call(default: &str) -> Option<&'static str> {
    let lower = default.to_ascii_lowercase();
    VOLATILE.into_iter().find(|name| {
        lower.match_indices(name).any(|(at, _)| {
            let before = lower.get(..at).and_then(|s| s.chars().next_back());
            let after = lower.get(at + name.len()..).unwrap_or("").trim_start();
            let quoted = lower
                .get(..at)
                .is_some_and(|s| s.matches('\'').count() % 2 == 1);
            !quoted
                && !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
                && after.starts_with('(')
        })
    })
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        let OpKind::AddColumn { table, column } = &aop.op.kind else {
            continue;
        };
        let Some(function) = column.default.as_deref().and_then(volatile_call) else {
            continue;
        };
        if !touches_released(aop) {
            continue;
        }
        let effect = match migration.dialect {
            Dialect::Sqlite => "SQLite rejects a non-constant default in ADD COLUMN",
            Dialect::Mysql => "MySQL copies the whole table to fill it",
            Dialect::Postgres | Dialect::Generic => {
                "the whole table is rewritten under an exclusive lock to fill it"
            }
        };
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!(
                "{table}.{} defaults to {function}(), computed per row: {effect}.",
                column.name
            ),
            "Add the column without a default, backfill in batches, then set the default.".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn add(default: &str) -> OpKind {
        let mut column = col("c", "UUID");
        column.default = Some(default.into());
        OpKind::AddColumn {
            table: "t".into(),
            column,
        }
    }

    #[test]
    fn volatile_functions_only() {
        let a = single(
            Dialect::Postgres,
            vec![
                add("gen_random_uuid()"),
                add("now()"),
                add("'random()'"),
                add("my_random()"),
                add("RANDOM ( )"),
            ],
        );
        assert_eq!(lines(check, &a), [Some(1), Some(5)]);
        assert!(lines(
            check,
            &single(Dialect::Postgres, vec![create("t"), add("random()")])
        )
        .is_empty());
    }
}
