//! `drop-table`: a table production has is dropped.

use super::{finding, sqlite_table_rebuild, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::named::ObjectKind;
use crate::model::ops::{Direction, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "drop-table",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Warning,
    summary: "A table that deployed code may still use is dropped",
    doc: "## What it does
Reports `DROP TABLE` of a table that exists in production. (Views: `drop-view`; the SQLite
rebuild pattern, which drops a table only to put a new one in its place:
`sqlite-table-rebuild`.)

## Why is this bad
Every query of the old release that touches the table fails once it is gone, and its rows are
lost for good: a rollback cannot bring them back.

## Example
```sql
-- production: CREATE TABLE permissions_legacy (username VARCHAR(100) NOT NULL PRIMARY KEY);
DROP TABLE permissions_legacy;
```

## Use instead
Stop using the table in one release; drop it in a later one, after a backup:
```sql
CREATE TABLE permissions_archive (id INT NOT NULL PRIMARY KEY);
```

## Deploy ordering
Contract: code first (balrog-production), schema last (balrog-admin-production).
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for migration in &analysis.migrations {
        let rebuilt = sqlite_table_rebuild::rebuilt_tables(migration);
        for aop in &migration.operations {
            // A database goes with every table in it.
            if let OpKind::DropObject {
                object: ObjectKind::Database,
                name,
                ..
            } = &aop.op.kind
            {
                if aop.judgement.direction == Direction::Contract {
                    out.push(finding(
                        &RULE,
                        Some(migration),
                        Some(aop.op.line),
                        format!("database {name} is dropped with every table in it; the data is gone and code that uses it fails."),
                        format!("Confirm that {} has no reference to {name} and that the data is backed up; deploy the code first.", analysis.to),
                    ));
                }
                continue;
            }
            let OpKind::DropTable { table } = &aop.op.kind else {
                continue;
            };
            if aop.judgement.direction != Direction::Contract
                || rebuilt.iter().any(|r| r.table.eq_ignore_ascii_case(table))
            {
                continue;
            }
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!("table {table} is dropped; its data is gone and code that still uses it fails."),
                format!("Confirm that {} has no reference to {table} and that the data is backed up; deploy the code first.", analysis.to),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::Dialect;

    #[test]
    fn released_table_only() {
        let drop = || OpKind::DropTable { table: "t".into() };
        assert_eq!(
            lines(check, &single(Dialect::Mysql, vec![drop()])),
            [Some(1)]
        );
        assert!(lines(check, &single(Dialect::Mysql, vec![create("t"), drop()])).is_empty());
        let view = OpKind::DropView { view: "v".into() };
        assert!(lines(check, &single(Dialect::Mysql, vec![view])).is_empty());
    }
}
