//! `add-foreign-key`: a foreign key on an existing table.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{ConstraintKind, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "add-foreign-key",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Warning,
    summary: "A foreign key is added to an existing table",
    doc: "## What it does
Reports `ADD CONSTRAINT .. FOREIGN KEY .. REFERENCES` on a table production already has.

## Why is this bad
Orphaned rows make the statement fail; old code that writes rows whose parent does not exist
(or deletes parents first) starts failing. Validating the key also locks both tables while
it scans.

## Example
```sql
-- production: CREATE TABLE products (name VARCHAR(15) NOT NULL PRIMARY KEY);
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, product VARCHAR(15));
ALTER TABLE rules ADD CONSTRAINT rules_product_fk FOREIGN KEY (product) REFERENCES products (name);
```

## Use instead
Clean up orphans and ship code that keeps parents in place, then add the key in a later
release (on PostgreSQL: `NOT VALID`, then `VALIDATE CONSTRAINT`):
```sql
SELECT COUNT(*) FROM rules WHERE product NOT IN (SELECT name FROM products);
```

## Deploy ordering
Contract: the code that respects the key deploys first (balrog-production), the schema
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
        let ConstraintKind::ForeignKey { references, .. } = &constraint.kind else {
            continue;
        };
        // A released key added back with other actions: its rows already satisfy it (see
        // foreign-key-action-changed).
        let recreated = aop.judgement.context == crate::classify::Context::PreviousDefinition;
        if touches_released(aop) && !recreated {
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!(
                    "{table}({}) gets a foreign key to {references}: orphaned rows make the statement fail, and writes without a parent start failing.",
                    constraint.columns.join(", ")
                ),
                "Check for orphans first; deploy code that respects the key before this runs.".into(),
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
                kind: ConstraintKind::foreign_key("p"),
                columns: vec!["p_id".into()],
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
