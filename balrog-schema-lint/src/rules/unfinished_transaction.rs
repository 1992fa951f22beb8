//! `unfinished-transaction`: a migration opens a transaction and never ends it.

use super::nested_transaction::transactions;
use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};

pub(super) static RULE: Rule = Rule {
    name: "unfinished-transaction",
    category: Category::Operational,
    default_severity: Severity::Error,
    summary: "A migration opens a transaction and never commits or rolls it back",
    doc: "## What it does
Reports a migration file that opens a transaction (`BEGIN`, `START TRANSACTION`) and ends
without a `COMMIT` or `ROLLBACK` for it.

MySQL and MariaDB commit implicitly at every schema change, so there only row changes left
after the last one are unfinished.

## Why is this bad
What happens next depends on the runner, never on the migration. `psql` rolls the open
transaction back when the file ends, so every change in it is silently undone while the
runner records the migration as applied; runners that keep the connection (a pool, a
framework that wraps files in its own transaction) carry the open transaction, and its
locks, into whatever runs next. Either way production's schema is not what the migration
history says.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, product VARCHAR(15));
BEGIN;
ALTER TABLE rules ADD COLUMN channel VARCHAR(75);
ALTER TABLE rules ADD COLUMN locale VARCHAR(200);
```

## Use instead
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, product VARCHAR(15));
BEGIN;
ALTER TABLE rules ADD COLUMN channel VARCHAR(75);
ALTER TABLE rules ADD COLUMN locale VARCHAR(200);
COMMIT;
```

## Deploy ordering
Decide nothing from the release's verdict until it is fixed: the operations after the
`BEGIN` may never take effect.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for migration in &analysis.migrations {
        if let (_, Some(line)) = transactions(migration) {
            out.push(finding(
                &RULE,
                Some(migration),
                Some(line),
                format!("the transaction opened on line {line} is never committed or rolled back: depending on the runner its changes are undone when the file ends, or its locks stay held."),
                "End the transaction with COMMIT at the end of the migration.".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::{Dialect, OpKind};

    fn control(line: u32, what: &str) -> crate::model::ops::Operation {
        op_at(line, OpKind::NoEffect { what: what.into() }, what)
    }

    #[test]
    fn transaction_left_open_at_the_end_of_the_file() {
        let run = |ops: Vec<_>| {
            lines(
                check,
                &analysis(Dialect::Postgres, vec![migration("m/0002_x.sql", ops)]),
            )
        };
        assert_eq!(
            run(vec![control(1, "BEGIN"), control(2, "COMMIT"), control(3, "START TRANSACTION")]),
            [Some(3)]
        );
        assert!(run(vec![control(1, "BEGIN"), control(2, "END")]).is_empty());
        assert!(run(vec![control(1, "COMMIT")]).is_empty());
    }
}
