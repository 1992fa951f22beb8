//! `volatile-default`: a column added with a per-row computed default.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::lock::TableWork;
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "volatile-default",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A column is added to an existing table with a value computed per row (volatile default, serial, stored generated)",
    doc: "## What it does
Reports a column added to a table production already has when the database must compute a
value for every existing row: a default that calls a volatile function (`random()`,
`gen_random_uuid()`, `clock_timestamp()`, `nextval()`, and any function the tool does not
know to be stable: `my_function()`), a `SERIAL` / `BIGSERIAL` or identity column, or a
`GENERATED ALWAYS AS (..) STORED` column. Which statements rewrite is the lock table's answer
for the target release (`[target]`; see the README's \"Locks and rewrites\").

Functions known not to be volatile: `now()`, `current_timestamp`, `current_date`,
`transaction_timestamp()`, `statement_timestamp()`, `current_setting()`, casts, and
`coalesce`, `lower`, `concat`-like functions of constants.

## Why is this bad
PostgreSQL rewrites the whole table and every index under `ACCESS EXCLUSIVE`: no reads, no
writes until it is done. MySQL and MariaDB copy the table (`ALGORITHM=COPY`) for a volatile
expression default or a stored generated column, and block writes while an
`AUTO_INCREMENT` column is filled. SQLite refuses a non-constant default in `ADD COLUMN`.
On PostgreSQL before 11, *any* non-NULL default rewrites the table; from 11 on, constant
and stable defaults such as `now()` are stored once in the catalog.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY);
ALTER TABLE rules ADD COLUMN token UUID DEFAULT gen_random_uuid();
```

## Use instead
Add the column without a default, backfill in batches, then set the default for new rows
(`SET DEFAULT` changes only the catalog):
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

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        let OpKind::AddColumn { table, column } = &aop.op.kind else {
            continue;
        };
        let Some(lock) = &aop.lock else {
            continue;
        };
        let has_default = column
            .default
            .as_deref()
            .is_some_and(|d| !d.trim().eq_ignore_ascii_case("NULL"));
        // A new serial key is `add-serial-primary-key`'s finding.
        if column.auto_increment && (column.primary_key || column.unique) {
            continue;
        }
        let computed = has_default || column.auto_increment || column.generated;
        let rewrites = lock.table == TableWork::Rewrite && lock.mode.blocks_writes();
        if !computed || !rewrites || !touches_released(aop) {
            continue;
        }
        let why = lock.note.clone().unwrap_or_else(|| "a value is computed for every row".into());
        let (effect, help) = match migration.dialect {
            Dialect::Mysql => (
                format!("{} copies {table} ({})", analysis.target.describe(Dialect::Mysql), lock.label()),
                format!("Add the column without it, backfill in batches, then set it; or run it with an online schema change tool (gh-ost, pt-online-schema-change), which copies {table} without blocking writes."),
            ),
            Dialect::Sqlite => (
                format!("{} needs a table rebuild", analysis.target.describe(Dialect::Sqlite)),
                "Add the column without a default, backfill in batches, then set the default.".to_string(),
            ),
            Dialect::Postgres | Dialect::Generic => (
                format!("{table} and its indexes are rewritten under {}", lock.mode.name()),
                if column.generated {
                    "Add a plain nullable column, fill it in batches (and keep it current from the code or a trigger), then drop the generated form.".to_string()
                } else if column.auto_increment {
                    "Add a nullable column, fill it from a sequence in batches, then set its default to nextval() and add NOT NULL.".to_string()
                } else {
                    "Add the column without a default, backfill in batches, then set the default.".to_string()
                },
            ),
        };
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!("{table}.{} is filled row by row: {why}; {effect}.", column.name),
            help,
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
                add("CURRENT_TIMESTAMP"),
                add("'{}'::jsonb"),
            ],
        );
        assert_eq!(lines(check, &a), [Some(1), Some(4), Some(5)]);
        assert!(lines(
            check,
            &single(Dialect::Postgres, vec![create("t"), add("random()")])
        )
        .is_empty());
    }

    #[test]
    fn serial_generated_and_old_releases_rewrite() {
        let mut serial = col("id2", "BIGSERIAL");
        serial.auto_increment = true;
        let mut generated = col("g", "INT");
        generated.generated = true;
        let ops = vec![
            OpKind::AddColumn { table: "t".into(), column: serial },
            OpKind::AddColumn { table: "t".into(), column: generated },
            add("0"),
        ];
        assert_eq!(lines(check, &single(Dialect::Postgres, ops.clone())), [Some(1), Some(2)]);
        let target = Target {
            postgres: "10".parse().unwrap(),
            ..Target::default()
        };
        let old = single_on(&[], target, Dialect::Postgres, ops);
        assert_eq!(lines(check, &old), [Some(1), Some(2), Some(3)]);
    }
}
