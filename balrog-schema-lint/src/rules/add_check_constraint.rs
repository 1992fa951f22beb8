//! `add-check-constraint`: a check constraint on an existing table.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::lock::TableWork;
use crate::model::ops::{ConstraintKind, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "add-check-constraint",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Warning,
    summary: "A check constraint is added to an existing table",
    doc: "## What it does
Reports `ADD CONSTRAINT .. CHECK (..)` on a table production already has.

## Why is this bad
Rows that already violate the check make the statement fail, and old code that writes such
values starts failing once it is in place. Checking the existing rows reads the whole table
under a lock: PostgreSQL holds `ACCESS EXCLUSIVE` (unless `NOT VALID`, see
`constraint-without-not-valid`); MySQL and MariaDB copy the table (`ALGORITHM=COPY`).

## Example
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, priority INT NOT NULL);
ALTER TABLE rules ADD CONSTRAINT rules_priority_positive CHECK (priority >= 0);
```

## Use instead
Fix the existing rows and ship code that respects the check, then add it in a later release:
```sql
SELECT COUNT(*) FROM rules WHERE priority < 0;
```

## Deploy ordering
Contract: the code that respects the check deploys first (balrog-production), the schema
change last (balrog-admin-production).
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        let OpKind::AddConstraint { table, constraint } = &aop.op.kind else {
            continue;
        };
        let ConstraintKind::Check { expr } = &constraint.kind else {
            continue;
        };
        if touches_released(aop) {
            let scan = match &aop.lock {
                // A copy is `mysql-table-copy`'s finding, with the tools that avoid it.
                Some(lock) if lock.table != TableWork::None && !lock.copies() => {
                    format!(" Checking the existing rows holds {} on {table}.", lock.label())
                }
                _ => String::new(),
            };
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!("check ({expr}) is added to {table}: rows that violate it make the statement fail, and writes that violate it start failing.{scan}"),
                "Check existing rows first; deploy code that respects the check before this runs.".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::{Constraint, Dialect};

    #[test]
    fn existing_table_only() {
        let add = || OpKind::AddConstraint {
            table: "t".into(),
            constraint: Constraint {
                name: None,
                kind: ConstraintKind::Check {
                    expr: "a > 0".into(),
                },
                columns: vec![],
                not_valid: false,
            },
        };
        assert_eq!(
            lines(check, &single(Dialect::Mysql, vec![add()])),
            [Some(1)]
        );
        assert!(lines(check, &single(Dialect::Mysql, vec![create("t"), add()])).is_empty());
    }
}
