//! `sqlite-table-rebuild`: a table rebuilt by create, copy, drop and rename.

use super::{finding, touches_released, Category, Rule};
use crate::classify::locks::sqlite_rebuild_reason;
use crate::analysis::{Analysis, AnalyzedMigration};
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "sqlite-table-rebuild",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A table is rebuilt (create new, copy, drop old, rename new into place)",
    doc: "## What it does
Reports the rebuild pattern SQLite needs for changes `ALTER TABLE` cannot make (and that
Alembic's batch mode generates): within one migration a new table is created, the old table
is dropped and the new one is renamed to the old name. `drop-table` does not report the drop
of a rebuilt table.

Also reports, on SQLite, a change to an existing table that has no `ALTER TABLE` form on the
target release (`[target]` `sqlite`), so that it takes the same rebuild (Alembic's batch mode
generates it; run as plain SQL the statement fails). SQLite's `ALTER TABLE` can only:
rename a table; rename a column (from 3.25.0); add a column that is not `PRIMARY KEY` or
`UNIQUE`, whose default is a constant (not `CURRENT_TIMESTAMP` or an expression), that has a
non-NULL default when it is `NOT NULL`, and that is not a `STORED` generated column; drop a
column (from 3.35.0) that no index, key, view, trigger or constraint uses. Changing a type,
nullability or default and adding or dropping a constraint all take the rebuild.

## Why is this bad
The whole table is copied while the database is locked. Indexes, triggers and views on the
old table are dropped with it and must be recreated by hand; with foreign keys enforced the
drop can cascade to other tables. Rows written between the copy and the drop are lost.

## Example
```sql
-- dialect: sqlite
-- production: CREATE TABLE rules (rule_id INTEGER NOT NULL PRIMARY KEY, priority INTEGER NOT NULL DEFAULT 0, legacy_flag INTEGER);
CREATE TABLE rules_new (rule_id INTEGER NOT NULL PRIMARY KEY, priority INTEGER NOT NULL DEFAULT 0);
INSERT INTO rules_new (rule_id, priority) SELECT rule_id, priority FROM rules;
DROP TABLE rules;
ALTER TABLE rules_new RENAME TO rules;
```
The rebuild SQLite's documentation gives for a change `ALTER TABLE` cannot make, here setting
NOT NULL on `priority` (the release is judged by that net change: contract):
```sql
-- dialect: sqlite
-- production: CREATE TABLE rules (rule_id INTEGER NOT NULL PRIMARY KEY, priority INTEGER);
CREATE TABLE new_rules (rule_id INTEGER NOT NULL PRIMARY KEY, priority INTEGER NOT NULL);
INSERT INTO new_rules (rule_id, priority) SELECT rule_id, COALESCE(priority, 0) FROM rules;
DROP TABLE rules;
ALTER TABLE new_rules RENAME TO rules;
```

## Use instead
Use `ALTER TABLE` where SQLite supports the change (`ADD COLUMN`; `RENAME COLUMN` since
3.25; `DROP COLUMN` since 3.35):
```sql
-- dialect: sqlite
ALTER TABLE rules ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
```

## Deploy ordering
Judge the order by the difference between the old and the new table, not by the drop; run it
with writes stopped.
",
    enabled_by_default: true,
    standalone_example: true,
};

/// A table rebuilt in place within one migration.
pub(super) struct Rebuild {
    /// The table rebuilt.
    pub table: String,
    /// The table built to replace it.
    pub temporary: String,
    /// Line of the drop of the old table.
    pub drop_line: u32,
}

/// Tables rebuilt within a migration: `CREATE TABLE s`, then `DROP TABLE t`, then
/// `RENAME s TO t`.
pub(super) fn rebuilt_tables(migration: &AnalyzedMigration) -> Vec<Rebuild> {
    let ops: Vec<&OpKind> = migration.operations.iter().map(|a| &a.op.kind).collect();
    let mut found = Vec::new();
    for (i, aop) in migration.operations.iter().enumerate() {
        let OpKind::DropTable { table } = &aop.op.kind else {
            continue;
        };
        let renamed_in = ops.iter().skip(i + 1).find_map(|k| match k {
            OpKind::RenameTable {
                table: from,
                new_name,
            } if new_name.eq_ignore_ascii_case(table) => Some(from),
            _ => None,
        });
        let Some(temporary) = renamed_in else {
            continue;
        };
        let created_before = ops.iter().take(i).any(|k| {
            matches!(k, OpKind::CreateTable { table: t, .. } if t.eq_ignore_ascii_case(temporary))
        });
        if created_before {
            found.push(Rebuild {
                table: table.clone(),
                temporary: temporary.clone(),
                drop_line: aop.op.line,
            });
        }
    }
    found
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Sqlite || !touches_released(aop) {
            continue;
        }
        let Some(reason) = sqlite_rebuild_reason(&aop.op, analysis.target.sqlite) else {
            continue;
        };
        let table = aop.op.kind.table().unwrap_or("the table");
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!(
                "{} on {}: {reason}, so it takes the twelve-step rebuild of {table} (create a new table, copy the rows, drop, rename) under the database write lock.",
                aop.op.kind.describe(),
                analysis.target.describe(Dialect::Sqlite)
            ),
            format!("Write the rebuild explicitly (or use Alembic's batch mode), recreate every index and trigger of {table}, and run it with writes stopped."),
        ));
    }
    for migration in &analysis.migrations {
        for rebuild in rebuilt_tables(migration) {
            let (table, temporary) = (&rebuild.table, &rebuild.temporary);
            out.push(finding(
                &RULE,
                Some(migration),
                Some(rebuild.drop_line),
                format!("{table} is rebuilt through {temporary}: the table is copied under a lock, and its indexes, triggers and views are dropped with it."),
                format!("Recreate every index and trigger of {table} after the rename, run it with writes stopped, and prefer ALTER TABLE where the database supports the change."),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::DataChangeKind;

    #[test]
    fn changes_without_an_alter_table_form() {
        let set = OpKind::SetNotNull {
            table: "t".into(),
            column: "c".into(),
        };
        let drop = OpKind::DropColumn {
            table: "t".into(),
            column: "c".into(),
        };
        assert_eq!(
            lines(check, &single(Dialect::Sqlite, vec![set.clone(), drop.clone()])),
            [Some(1)]
        );
        let old = Target {
            sqlite: "3.31".parse().unwrap(),
            ..Target::default()
        };
        let a = single_on(&[], old, Dialect::Sqlite, vec![drop]);
        assert_eq!(lines(check, &a), [Some(1)]);
        assert!(lines(check, &single(Dialect::Postgres, vec![set])).is_empty());
    }

    #[test]
    fn create_copy_drop_rename() {
        let ops = vec![
            create("t_new"),
            OpKind::DataChange {
                change: DataChangeKind::Insert,
                table: "t_new".into(),
                filtered: true,
            },
            OpKind::DropTable { table: "t".into() },
            OpKind::RenameTable {
                table: "t_new".into(),
                new_name: "T".into(),
            },
        ];
        let a = single(Dialect::Sqlite, ops);
        assert_eq!(lines(check, &a), [Some(3)]);
        assert!(lines(super::super::drop_table::check, &a).is_empty());
        let plain = single(
            Dialect::Sqlite,
            vec![
                OpKind::DropTable { table: "t".into() },
                OpKind::RenameTable {
                    table: "u".into(),
                    new_name: "t".into(),
                },
            ],
        );
        assert!(lines(check, &plain).is_empty());
    }
}
