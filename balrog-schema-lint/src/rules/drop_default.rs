//! `drop-default`: an existing column loses its default.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::OpKind;

pub(super) static RULE: Rule = Rule {
    name: "drop-default",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Warning,
    summary: "An existing column's default is dropped",
    doc: "## What it does
Reports `ALTER COLUMN .. DROP DEFAULT` on a table production already has.

## Why is this bad
Old code may rely on the default: its inserts leave the column out and now get NULL, or fail
when the column is `NOT NULL`.

## Example
```sql
ALTER TABLE rules ALTER COLUMN priority DROP DEFAULT;
```

## Use instead
Keep the default until every deployed release writes the column itself; drop it in a later
release:
```sql
SELECT COUNT(*) FROM rules WHERE priority IS NULL;
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
        if let OpKind::DropDefault { table, column } = &aop.op.kind {
            if touches_released(aop) {
                out.push(finding(
                    &RULE,
                    Some(migration),
                    Some(aop.op.line),
                    format!("the default of {table}.{column} is dropped: inserts that leave it out get NULL or fail."),
                    format!("Deploy code that always writes {column} before this runs."),
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
        let drop = || OpKind::DropDefault {
            table: "t".into(),
            column: "c".into(),
        };
        assert_eq!(
            lines(check, &single(Dialect::Mysql, vec![drop()])),
            [Some(1)]
        );
        assert!(lines(check, &single(Dialect::Mysql, vec![create("t"), drop()])).is_empty());
    }
}
