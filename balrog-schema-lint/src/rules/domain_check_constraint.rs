//! `domain-check-constraint`: a PostgreSQL domain created with a `CHECK`.

use super::declared::declares_new;
use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "domain-check-constraint",
    category: Category::SchemaDesign,
    default_severity: Severity::Info,
    summary: "A PostgreSQL domain is created with a CHECK constraint, hidden from the tables that use it",
    doc: "## What it does
Reports PostgreSQL `CREATE DOMAIN .. CHECK (..)`. Information only.

## Why is this bad
The check belongs to the domain, not to the tables: `\\d table` and most schema tools show
the column's type and no constraint, so a reader of the table cannot see what its inserts
must satisfy. Changing the rule later is `ALTER DOMAIN`, which checks every column of every
table that uses the domain at once, under locks that block their writes (see
`add-domain-constraint`).

## Example
```sql
-- dialect: postgres
CREATE DOMAIN priority AS INTEGER CHECK (VALUE > 0);
```

## Use instead
A plain type, and the check on each table, where it shows and can change table by table:
```sql
-- dialect: postgres
CREATE TABLE rules (rule_id BIGINT PRIMARY KEY, priority INTEGER CHECK (priority > 0));
```

## Deploy ordering
No effect on the order.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres || !declares_new(aop) {
            continue;
        }
        let OpKind::CreateDomain { name, checks, .. } = &aop.op.kind else {
            continue;
        };
        if checks.is_empty() {
            continue;
        }
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!("domain {name} carries a CHECK that the tables using it do not show, and changing it later checks all of them at once."),
            "Put the check on the tables' columns instead.".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::declared::findings_of;
    use super::*;

    #[test]
    fn only_with_a_check() {
        let sql = "CREATE DOMAIN a AS INTEGER CHECK (VALUE > 0);\nCREATE DOMAIN b AS INTEGER NOT NULL;\n";
        let found = findings_of(check, Dialect::Postgres, "", sql);
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), [1]);
    }
}
