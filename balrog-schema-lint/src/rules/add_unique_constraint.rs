//! `add-unique-constraint`: a unique constraint, primary key or unique index on an
//! existing table.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{ConstraintKind, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "add-unique-constraint",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Warning,
    summary: "A unique constraint, primary key or unique index is added to an existing table",
    doc: "## What it does
Reports `ADD CONSTRAINT .. UNIQUE`, `ADD PRIMARY KEY` and `CREATE UNIQUE INDEX` on a table
production already has.

## Why is this bad
Existing rows may already hold duplicates, and then the statement fails halfway through a
deploy. Old code may keep writing duplicates, which now fail.

## Example
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, alias VARCHAR(50));
ALTER TABLE rules ADD CONSTRAINT rules_alias_key UNIQUE (alias);
```

## Use instead
Find and fix duplicates, ship code that no longer writes them, then add the constraint in a
later release:
```sql
SELECT alias, COUNT(*) FROM rules GROUP BY alias HAVING COUNT(*) > 1;
```

## Deploy ordering
Contract: the code that never writes duplicates deploys first (balrog-production), the
schema change last (balrog-admin-production).
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        let (table, columns) = match &aop.op.kind {
            OpKind::AddConstraint { table, constraint } => match constraint.kind {
                ConstraintKind::Unique | ConstraintKind::PrimaryKey => (table, &constraint.columns),
                ConstraintKind::ForeignKey { .. } | ConstraintKind::Check { .. } => continue,
            },
            OpKind::CreateIndex {
                table,
                columns,
                unique: true,
                ..
            } => (table, columns),
            _ => continue,
        };
        if touches_released(aop) {
            // `USING INDEX i` names no columns: they are the index's.
            let columns = match aop.op.using_index() {
                Some(index) if columns.is_empty() => format!("the columns of index {index}"),
                _ => columns.join(", "),
            };
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!(
                    "{table}({columns}) must become unique: existing duplicates make the statement fail, and writes of duplicates start failing."
                ),
                "Check the table for duplicates first; deploy code that never writes them before this runs.".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::{Constraint, Dialect};

    fn index(unique: bool) -> OpKind {
        OpKind::CreateIndex {
            name: Some("i".into()),
            table: "t".into(),
            columns: vec!["a".into()],
            unique,
            concurrently: false,
            partial: false,
        }
    }

    #[test]
    fn unique_index_and_constraint_on_existing_table() {
        let constraint = OpKind::AddConstraint {
            table: "t".into(),
            constraint: Constraint {
                name: None,
                kind: ConstraintKind::Unique,
                columns: vec!["a".into()],
                not_valid: false,
            },
        };
        let a = single(Dialect::Mysql, vec![index(true), constraint, index(false)]);
        assert_eq!(lines(check, &a), [Some(1), Some(2)]);
        assert!(lines(
            check,
            &single(Dialect::Mysql, vec![create("t"), index(true)])
        )
        .is_empty());
    }
}
