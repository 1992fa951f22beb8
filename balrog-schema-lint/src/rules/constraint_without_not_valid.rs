//! `constraint-without-not-valid`: a PostgreSQL constraint validated under a lock.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{ConstraintKind, Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "constraint-without-not-valid",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A PostgreSQL foreign key or check is added to an existing table without NOT VALID",
    doc: "## What it does
Reports PostgreSQL `ADD CONSTRAINT .. FOREIGN KEY` or `CHECK` on a table production already
has, without `NOT VALID`.

## Why is this bad
Adding the constraint scans every row while holding a lock that blocks writes: `ACCESS
EXCLUSIVE` for a check (no reads either), `SHARE ROW EXCLUSIVE` on both tables for a foreign
key. `NOT VALID` adds it instantly for new rows; `VALIDATE CONSTRAINT` later checks the old
rows under `SHARE UPDATE EXCLUSIVE`, which lets reads and writes through.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE products (name VARCHAR(15) NOT NULL PRIMARY KEY);
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, product VARCHAR(15));
ALTER TABLE rules ADD CONSTRAINT rules_product_fk FOREIGN KEY (product) REFERENCES products (name);
```

## Use instead
```sql
-- dialect: postgres
-- balrog-schema-lint: allow add-foreign-key -- orphans were removed in 0041; v4.12 writes parents first
ALTER TABLE rules ADD CONSTRAINT rules_product_fk FOREIGN KEY (product) REFERENCES products (name) NOT VALID;
```
then, in a later migration, `ALTER TABLE rules VALIDATE CONSTRAINT rules_product_fk;`.

## Deploy ordering
No effect on the order (see `add-foreign-key` and `add-check-constraint`); it affects how
long the schema step blocks writes.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres {
            continue;
        }
        let OpKind::AddConstraint { table, constraint } = &aop.op.kind else {
            continue;
        };
        let what = match constraint.kind {
            ConstraintKind::ForeignKey { .. } => "foreign key",
            ConstraintKind::Check { .. } => "check",
            ConstraintKind::PrimaryKey | ConstraintKind::Unique => continue,
        };
        if !constraint.not_valid && touches_released(aop) {
            let held = aop
                .lock
                .as_ref()
                .map(|l| format!(" under {}", l.mode.name()))
                .unwrap_or_default();
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!("the {what} on {table} is validated as it is added: writes block while every row is scanned{held}."),
                "Add it NOT VALID, then VALIDATE CONSTRAINT in a later migration.".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::Constraint;

    fn fk(not_valid: bool) -> OpKind {
        OpKind::AddConstraint {
            table: "t".into(),
            constraint: Constraint {
                name: None,
                kind: ConstraintKind::foreign_key("p"),
                columns: vec!["p_id".into()],
                not_valid,
            },
        }
    }

    #[test]
    fn postgres_without_not_valid_only() {
        assert_eq!(
            lines(check, &single(Dialect::Postgres, vec![fk(false)])),
            [Some(1)]
        );
        assert!(lines(check, &single(Dialect::Postgres, vec![fk(true)])).is_empty());
        assert!(lines(check, &single(Dialect::Mysql, vec![fk(false)])).is_empty());
    }
}
