//! `set-not-null`: an existing column becomes `NOT NULL`.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::lock::TableWork;
use crate::model::ops::OpKind;

pub(super) static RULE: Rule = Rule {
    name: "set-not-null",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Warning,
    summary: "An existing column is made NOT NULL",
    doc: "## What it does
Reports `ALTER COLUMN .. SET NOT NULL` (and `alter(nullable=False)`) on a table production
already has.

## Why is this bad
Old code that inserts rows without the column, or writes NULL to it, fails once the
constraint is in place. Rows that already hold NULL make the statement itself fail, and
checking them scans the whole table under the lock the target release takes (PostgreSQL:
`ACCESS EXCLUSIVE`, no reads or writes; MySQL and MariaDB rebuild the table in place).

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, priority INT);
ALTER TABLE rules ALTER COLUMN priority SET NOT NULL;
```

## Use instead
Ship code that always writes the column, backfill the NULLs, and only then add the
constraint in a later release:
```sql
UPDATE rules SET priority = 0 WHERE priority IS NULL;
```

## Deploy ordering
Contract: the code that always writes the column deploys first (balrog-production), the
schema change last (balrog-admin-production).
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if let OpKind::SetNotNull { table, column } = &aop.op.kind {
            // A column added earlier in the range is judged as that addition
            // (add-column-not-null-without-default), not as a change to existing rows.
            if touches_released(aop)
                && aop.judgement.context != crate::classify::Context::NewInRange
            {
                let scan = match &aop.lock {
                    Some(lock) if lock.table != TableWork::None => {
                        format!("; checking every row takes {}", lock.label())
                    }
                    _ => String::new(),
                };
                out.push(finding(
                    &RULE,
                    Some(migration),
                    Some(aop.op.line),
                    format!("{table}.{column} becomes NOT NULL: code that leaves it out or writes NULL fails, and existing NULL rows make the statement fail{scan}."),
                    format!("Deploy code that always writes {column} first and backfill NULLs before this runs."),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::Dialect;

    #[test]
    fn existing_table_only() {
        let set = || OpKind::SetNotNull {
            table: "t".into(),
            column: "c".into(),
        };
        assert_eq!(
            lines(check, &single(Dialect::Postgres, vec![set()])),
            [Some(1)]
        );
        assert!(lines(check, &single(Dialect::Postgres, vec![create("t"), set()])).is_empty());
    }
}
