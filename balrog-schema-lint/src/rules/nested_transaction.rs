//! `nested-transaction`: `BEGIN` while a transaction the file opened is still open.

use super::{finding, Category, Rule};
use crate::analysis::{Analysis, AnalyzedMigration};
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind, Operation};

pub(super) static RULE: Rule = Rule {
    name: "nested-transaction",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A migration opens a transaction while its own transaction is still open",
    doc: "## What it does
Reports `BEGIN` / `START TRANSACTION` in a migration file while a transaction the same file
opened has not been committed or rolled back.

## Why is this bad
No database nests transactions this way, and each does something different with it.
PostgreSQL warns that a transaction is already in progress and ignores the inner `BEGIN`:
the inner `COMMIT` then commits the outer transaction, everything after it runs outside any
transaction, and a failure there leaves the migration half applied. MySQL and MariaDB
commit the open transaction implicitly and start a new one, with the same result (they also
commit implicitly at every schema change, so there a transaction ends at the first `ALTER`,
and a `BEGIN` after it is not nested). SQLite refuses the inner `BEGIN` and the migration
fails. Savepoints are the way to nest.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, product VARCHAR(15));
BEGIN;
ALTER TABLE rules ADD COLUMN channel VARCHAR(75);
BEGIN;
ALTER TABLE rules ADD COLUMN locale VARCHAR(200);
COMMIT;
COMMIT;
```

## Use instead
One transaction, with a savepoint where part of it may be undone:
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, product VARCHAR(15));
BEGIN;
ALTER TABLE rules ADD COLUMN channel VARCHAR(75);
SAVEPOINT locale;
ALTER TABLE rules ADD COLUMN locale VARCHAR(200);
RELEASE SAVEPOINT locale;
COMMIT;
```

## Deploy ordering
No effect on the order; it decides whether a failed migration leaves the schema half
changed.
",
    enabled_by_default: true,
    standalone_example: true,
};

/// What a transaction-control statement does to the file's transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TransactionStep {
    /// `BEGIN`, `START TRANSACTION`.
    Begin,
    /// `COMMIT`, `END`, `ROLLBACK`, `ABORT` (not `ROLLBACK TO` a savepoint, nor
    /// `COMMIT AND CHAIN`, which leave a transaction open).
    End,
}

/// The transaction step an operation takes, read from the statement the reader named
/// (transaction control is read as having no schema effect).
pub(super) fn transaction_step(op: &Operation) -> Option<TransactionStep> {
    let OpKind::NoEffect { what } = &op.kind else {
        return None;
    };
    let words: Vec<String> = op
        .source
        .split(|c: char| c.is_whitespace() || c == ';')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let has = |word: &str| words.iter().any(|w| w == word);
    match what.as_str() {
        "BEGIN" | "START TRANSACTION" => Some(TransactionStep::Begin),
        "ROLLBACK" if has("TO") => None,
        "COMMIT" | "ROLLBACK" if has("CHAIN") && !has("NO") => None,
        "COMMIT" | "END" | "ROLLBACK" | "ABORT" => Some(TransactionStep::End),
        _ => None,
    }
}

/// Whether MySQL and MariaDB commit the open transaction before running the statement:
/// every schema change does (and `TRUNCATE`); row changes and settings do not.
fn commits_implicitly(op: &Operation) -> bool {
    match &op.kind {
        OpKind::NoEffect { .. } => false,
        OpKind::DataChange { .. } => op
            .source
            .trim_start()
            .get(..8)
            .is_some_and(|head| head.eq_ignore_ascii_case("TRUNCATE")),
        _ => true,
    }
}

/// Every `BEGIN` of `migration` with the line of the transaction it found open (`None`
/// when none was), and the line of the transaction left open at the end of the file.
pub(super) fn transactions(migration: &AnalyzedMigration) -> (Vec<(u32, Option<u32>)>, Option<u32>) {
    let mut begins = Vec::new();
    let mut open: Option<u32> = None;
    for aop in &migration.operations {
        match transaction_step(&aop.op) {
            Some(TransactionStep::Begin) => {
                begins.push((aop.op.line, open));
                // PostgreSQL ignores the inner BEGIN; MySQL commits and opens a new one.
                if open.is_none() || migration.dialect != Dialect::Postgres {
                    open = Some(aop.op.line);
                }
            }
            Some(TransactionStep::End) => open = None,
            None if migration.dialect == Dialect::Mysql && commits_implicitly(&aop.op) => {
                open = None;
            }
            None => {}
        }
    }
    (begins, open)
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for migration in &analysis.migrations {
        let (begins, _) = transactions(migration);
        for (line, outer) in begins {
            let Some(outer) = outer else { continue };
            let what = match migration.dialect {
                Dialect::Postgres => "PostgreSQL ignores it, and the next COMMIT commits the outer transaction: what follows runs outside it",
                Dialect::Mysql => "MySQL commits the open transaction and starts a new one: the outer transaction is no longer one",
                Dialect::Sqlite => "SQLite refuses it: the migration fails",
                Dialect::Generic => "databases do not nest transactions: the outer one ends early or the migration fails",
            };
            out.push(finding(
                &RULE,
                Some(migration),
                Some(line),
                format!("a transaction is opened while the one opened on line {outer} is still open; {what}."),
                "Open one transaction per migration; use SAVEPOINT for a part that may be undone.".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::DataChangeKind;

    fn control(line: u32, statement: &str) -> Operation {
        let what = statement.split(' ').next().unwrap_or_default();
        op_at(
            line,
            OpKind::NoEffect {
                what: what.to_string(),
            },
            statement,
        )
    }

    fn update(line: u32) -> Operation {
        op_at(
            line,
            OpKind::DataChange {
                change: DataChangeKind::Update,
                table: "t".into(),
                filtered: true,
            },
            "",
        )
    }

    #[test]
    fn steps_of_transaction_control() {
        let step = |s: &str| transaction_step(&control(1, s));
        assert_eq!(step("BEGIN"), Some(TransactionStep::Begin));
        assert_eq!(step("ROLLBACK TO SAVEPOINT a"), None);
        assert_eq!(step("COMMIT AND CHAIN"), None);
        assert_eq!(step("COMMIT AND NO CHAIN"), Some(TransactionStep::End));
        assert_eq!(step("END"), Some(TransactionStep::End));
        assert_eq!(step("SAVEPOINT a"), None);
    }

    #[test]
    fn begin_inside_an_open_transaction() {
        let nested = vec![
            control(1, "BEGIN"),
            update(2),
            control(3, "BEGIN"),
            control(4, "COMMIT"),
            control(5, "COMMIT"),
            control(6, "BEGIN"),
            control(7, "ROLLBACK TO SAVEPOINT a"),
            control(8, "ROLLBACK"),
        ];
        let run = |dialect| {
            lines(
                check,
                &analysis(dialect, vec![migration("m/0002_x.sql", nested.clone())]),
            )
        };
        assert_eq!(run(Dialect::Postgres), [Some(3)]);
        assert_eq!(run(Dialect::Mysql), [Some(3)]);
    }

    #[test]
    fn mysql_schema_changes_end_the_transaction() {
        let add = |line| {
            op_at(
                line,
                OpKind::DropTable { table: "t".into() },
                "DROP TABLE t",
            )
        };
        let truncate = op_at(
            3,
            OpKind::DataChange {
                change: DataChangeKind::Delete,
                table: "t".into(),
                filtered: false,
            },
            "truncate t",
        );
        let ops = vec![
            control(1, "BEGIN"),
            add(2),
            control(3, "BEGIN"),
            truncate,
            control(5, "BEGIN"),
            update(6),
        ];
        let a = analysis(Dialect::Mysql, vec![migration("m/0002_x.sql", ops.clone())]);
        assert!(lines(check, &a).is_empty());
        assert_eq!(transactions(&a.migrations[0]).1, Some(5));
        let pg = analysis(Dialect::Postgres, vec![migration("m/0002_x.sql", ops)]);
        assert_eq!(lines(check, &pg), [Some(3), Some(5)]);
    }
}
