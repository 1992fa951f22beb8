//! `lock-timeout`: an `ACCESS EXCLUSIVE` statement with no lock timeout set before it.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::{Analysis, AnalyzedMigration, AnalyzedOp};
use crate::model::finding::{Finding, Severity};
use crate::model::lock::{LockMode, TableWork};
use crate::model::ops::Dialect;

pub(super) static RULE: Rule = Rule {
    name: "lock-timeout",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A PostgreSQL statement takes ACCESS EXCLUSIVE on an existing table with no lock_timeout set before it",
    doc: "## What it does
Reports a PostgreSQL statement that takes an `ACCESS EXCLUSIVE` lock on a table production
already has (in the replayed schema at `FROM`) when no `SET lock_timeout` (or `SET LOCAL
lock_timeout`) to a non-zero value comes earlier in the same migration file. Which statements
take `ACCESS EXCLUSIVE` is the lock table's answer (README, \"Locks and rewrites\"): most
`ALTER TABLE` forms, `DROP TABLE`, `DROP INDEX` without `CONCURRENTLY`, `TRUNCATE`,
`VACUUM FULL`, `CLUSTER`, `CREATE POLICY`. One finding per file, at the first such statement,
naming the lines of the others.

## Why is this bad
Even a statement that is instant once it holds the lock (adding a nullable column, dropping a
default) must first wait for every transaction that has touched the table to finish. While it
waits in the queue, every later read and write of the table waits behind it: one long-running
report or an idle-in-transaction session turns a millisecond change into an outage. A lock
timeout makes the migration fail fast instead, and it can be retried.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, priority INT);
ALTER TABLE rules ADD COLUMN alias VARCHAR(50) NULL;
```

## Use instead
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, priority INT);
SET lock_timeout = '5s';
ALTER TABLE rules ADD COLUMN alias VARCHAR(50) NULL;
```
Where the migration runner sets the timeout itself (a role setting, the connection's
`options=-c lock_timeout=5s`), say so with `-- balrog-schema-lint: allow-file lock-timeout --
set by the runner`.

## Deploy ordering
No effect on the order; it decides whether the schema step can stall every service that
uses the table.
",
    enabled_by_default: true,
    standalone_example: true,
};

/// Whether `source` sets `lock_timeout` to a value other than zero or the default
/// (`SET [LOCAL] lock_timeout { = | TO } value`).
fn sets_lock_timeout(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    let Some(at) = lower.find("lock_timeout") else {
        return false;
    };
    // `SET lock_timeout`, also inside a Python call: `op.execute("SET lock_timeout = '5s'")`.
    let words = lower[..at].split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
    if !words.into_iter().any(|w| w == "set") {
        return false;
    }
    let rest = lower[at + "lock_timeout".len()..].trim_start();
    let rest = rest
        .strip_prefix('=')
        .or_else(|| rest.strip_prefix("to "))
        .unwrap_or(rest)
        .trim_start();
    let value: String = rest
        .trim_start_matches(['\'', '"'])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let zero = value.trim_start_matches('0').is_empty()
        || value.starts_with("0m")
        || value.starts_with("0s");
    !(zero || value == "default")
}

/// Whether the replayed schema at `FROM` has `table`.
fn released_table(analysis: &Analysis, table: &str) -> bool {
    let prefix = format!("{}.", table.to_ascii_lowercase());
    analysis
        .context
        .column_types
        .range(prefix.clone()..)
        .next()
        .is_some_and(|(key, _)| key.starts_with(&prefix))
}

/// One finding a file, at its first statement that needs a timeout: the fix (one `SET` at the
/// top) is per file, and a finding per statement buries the other rules.
fn check_migration(analysis: &Analysis, migration: &AnalyzedMigration, out: &mut Vec<Finding>) {
    let mut timeout_set = false;
    let mut first: Option<(&AnalyzedOp, String, TableWork)> = None;
    let mut lines = Vec::new();
    for aop in &migration.operations {
        if sets_lock_timeout(&aop.op.source) {
            timeout_set = true;
        }
        if timeout_set || lines.last() == Some(&aop.op.line) {
            continue;
        }
        let Some(lock) = aop.lock.as_ref().filter(|l| l.mode == LockMode::AccessExclusive) else {
            continue;
        };
        let Some(table) = aop.op.kind.table() else {
            continue;
        };
        if !touches_released(aop) || !released_table(analysis, table) {
            continue;
        }
        lines.push(aop.op.line);
        if first.is_none() {
            first = Some((aop, table.to_string(), lock.table));
        }
    }
    let Some((aop, table, work)) = first else {
        return;
    };
    let more = match lines.len() {
        0 | 1 => String::new(),
        n => format!(
            " The same holds for {} later statement{} of this file (lines {}).",
            n - 1,
            if n == 2 { "" } else { "s" },
            lines[1..].iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", ")
        ),
    };
    out.push(finding(
        &RULE,
        Some(migration),
        Some(aop.op.line),
        format!(
            "{} takes ACCESS EXCLUSIVE on {table}{} with no lock_timeout set before it: while it waits for running transactions, every read and write of {table} queues behind it.{more}",
            aop.op.kind.describe(),
            match work {
                TableWork::Rewrite => " and rewrites it",
                TableWork::Scan => " and reads every row",
                TableWork::None | TableWork::Unknown => "",
            }
        ),
        "Put SET lock_timeout = '5s' (or SET LOCAL inside a transaction) at the top of the file, and retry the migration when it times out.".into(),
    ));
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for migration in &analysis.migrations {
        if migration.dialect == Dialect::Postgres {
            check_migration(analysis, migration, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::{ColumnDef, OpKind};

    fn add() -> OpKind {
        OpKind::AddColumn {
            table: "t".into(),
            column: ColumnDef::new("x", None),
        }
    }

    fn released(mut a: Analysis) -> Analysis {
        a.context
            .column_types
            .insert("t.id".into(), crate::model::ops::SqlType::named("INT"));
        a
    }

    #[test]
    fn access_exclusive_without_a_timeout_before_it() {
        let set = OpKind::NoEffect { what: "SET".into() };
        let a = released(analysis(
            Dialect::Postgres,
            vec![migration(
                "m/0002_x.sql",
                vec![op_at(1, add(), "ALTER TABLE t ADD x INT"), op_at(2, add(), "ALTER TABLE t ADD y INT")],
            )],
        ));
        assert_eq!(lines(check, &a), [Some(1)]);
        let a = released(analysis(
            Dialect::Postgres,
            vec![migration(
                "m/0002_x.sql",
                vec![
                    op_at(1, set.clone(), "SET LOCAL lock_timeout = '2s'"),
                    op_at(2, add(), "ALTER TABLE t ADD x INT"),
                ],
            )],
        ));
        assert!(lines(check, &a).is_empty());
        // A timeout of zero is no timeout.
        let a = released(analysis(
            Dialect::Postgres,
            vec![migration(
                "m/0002_x.sql",
                vec![
                    op_at(1, set, "SET lock_timeout = 0"),
                    op_at(2, add(), "ALTER TABLE t ADD x INT"),
                ],
            )],
        ));
        assert_eq!(lines(check, &a), [Some(2)]);
        // A table the replayed schema does not have, and MySQL, are not reported.
        let unknown = single(Dialect::Postgres, vec![add()]);
        assert!(lines(check, &unknown).is_empty());
        let mysql = released(single(Dialect::Mysql, vec![add()]));
        assert!(lines(check, &mysql).is_empty());
    }

    #[test]
    fn timeout_values() {
        assert!(sets_lock_timeout("SET lock_timeout = '5s'"));
        assert!(sets_lock_timeout("set local lock_timeout to '1min'"));
        assert!(sets_lock_timeout("SET lock_timeout TO 5000"));
        assert!(!sets_lock_timeout("SET lock_timeout = 0"));
        assert!(!sets_lock_timeout("SET lock_timeout TO DEFAULT"));
        assert!(!sets_lock_timeout("SET statement_timeout = '5s'"));
        assert!(sets_lock_timeout("op.execute(\"SET lock_timeout = '5s'\")"));
        assert!(sets_lock_timeout("cursor.execute('SET LOCAL lock_timeout TO 2000')"));
    }
}
