//! `mysql-missing-algorithm-lock`: a MySQL ALTER that does not state how it may run.

use super::{finding, source_has, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "mysql-missing-algorithm-lock",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A MySQL ALTER TABLE on an existing table does not state ALGORITHM= and LOCK=",
    doc: "## What it does
Reports MySQL `ALTER TABLE`, `CREATE INDEX` and `DROP INDEX` statements of SQL migrations on
tables production already has, when the statement does not say `ALGORITHM=` and `LOCK=`.
Off by default: turn it on with `mysql-missing-algorithm-lock = \"warning\"` under `[rules]`.

## Why is this bad
Without them MySQL silently picks the strongest algorithm the change needs, up to copying the
table with writes blocked. With `ALGORITHM=INSTANT` (or `INPLACE`) and `LOCK=NONE` the
statement fails at once instead of locking production when the change cannot be made
online. The message says what the target release (`[target]`) picks for the statement and
the clause to state; for a change that can only copy the table, it names the online schema
change tools (gh-ost, pt-online-schema-change) that avoid the lock.

## Example
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY);
ALTER TABLE rules ADD COLUMN memory VARCHAR(10) NULL;
```

## Use instead
```sql
ALTER TABLE rules ADD COLUMN memory VARCHAR(10) NULL, ALGORITHM=INSTANT, LOCK=NONE;
```

## Deploy ordering
No effect on the order; it makes the schema step fail fast instead of blocking writes.
",
    enabled_by_default: false,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for migration in &analysis.migrations {
        if migration.dialect != Dialect::Mysql || !migration.format.is_sql() {
            continue;
        }
        let mut reported_line = None;
        for aop in &migration.operations {
            let source = &aop.op.source;
            let altering = source_has(source, "ALTER TABLE")
                || matches!(
                    aop.op.kind,
                    OpKind::CreateIndex { .. } | OpKind::DropIndex { .. }
                );
            // One statement can hold several operations (`ADD a, ADD b`): report it once.
            if !altering || !touches_released(aop) || reported_line == Some(aop.op.line) {
                continue;
            }
            let upper = source.to_ascii_uppercase();
            if upper.contains("ALGORITHM") && upper.contains("LOCK") {
                continue;
            }
            reported_line = Some(aop.op.line);
            // The clause to state is the lock table's answer for the whole statement: the
            // dearest of its operations.
            let statement_lock = migration
                .operations
                .iter()
                .filter(|a| a.op.line == aop.op.line)
                .filter_map(|a| a.lock.as_ref())
                .filter(|l| l.algorithm.is_some())
                .max_by_key(|l| (l.algorithm.map(|a| a as u8), l.table));
            let server = analysis.target.describe(Dialect::Mysql);
            let (what, help) = match statement_lock {
                Some(lock) if lock.copies() => (
                    format!("{server} copies the table ({}) with writes blocked", lock.label()),
                    "It cannot run online: run it with an online schema change tool (gh-ost, pt-online-schema-change), or state ALGORITHM=INPLACE, LOCK=NONE so that it fails instead of locking.".to_string(),
                ),
                Some(lock) => (
                    format!("{server} runs it as {}", lock.label()),
                    format!(
                        "Add ALGORITHM={}, LOCK={} so that it fails instead of locking if the server cannot make it that way.",
                        lock.algorithm.map_or("INPLACE", |a| a.name()),
                        lock.mode.name()
                    ),
                ),
                None => (
                    "MySQL may copy the table with writes blocked".to_string(),
                    "Add ALGORITHM=INSTANT (or INPLACE) and LOCK=NONE so that it fails instead of locking.".to_string(),
                ),
            };
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!(
                    "{} does not state ALGORITHM= and LOCK=: {what}.",
                    aop.op.kind.describe()
                ),
                help,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::ColumnDef;

    fn add(name: &str) -> OpKind {
        OpKind::AddColumn {
            table: "t".into(),
            column: ColumnDef::new(name, None),
        }
    }

    #[test]
    fn alter_without_algorithm_once_per_statement() {
        let plain = "ALTER TABLE t ADD COLUMN a INT, ADD COLUMN b INT";
        let stated = "ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INSTANT, LOCK=NONE";
        let m = migration(
            "m/0002_x.sql",
            vec![
                op_at(1, add("a"), plain),
                op_at(1, add("b"), plain),
                op_at(2, add("c"), stated),
            ],
        );
        let a = analysis(Dialect::Mysql, vec![m]);
        assert_eq!(lines(check, &a), [Some(1)]);
        let m = migration("m/0002_x.sql", vec![op_at(1, add("a"), plain)]);
        assert!(lines(check, &analysis(Dialect::Postgres, vec![m])).is_empty());
    }
}
