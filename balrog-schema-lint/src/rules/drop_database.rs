//! `drop-database`: a migration drops a whole database.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::OpKind;

pub(super) static RULE: Rule = Rule {
    name: "drop-database",
    category: Category::Operational,
    default_severity: Severity::Error,
    summary: "A migration drops a whole database",
    doc: "## What it does
Reports `DROP DATABASE` in a migration, in any dialect.

## Why is this bad
Every table, view, routine and row in the database is gone at once, and no rollback brings
them back: restoring means a backup and the downtime it takes. A migration runs against
production with the rights of the deploy, so a statement written for a development reset or
a test fixture drops the production database just as well. PostgreSQL refuses to drop the
database the session is connected to, so there the statement usually names another
database the services may still use; MySQL drops it even while connections use it
(MySQL's `DROP SCHEMA` is the same statement).

## Example
```sql
-- dialect: postgres
DROP DATABASE balrog_reports;
```

## Use instead
Retire a database outside the migrations, by hand, after a backup and after checking that
no service connects to it any more; the migration changes only objects inside the
database it runs in:
```sql
-- dialect: postgres
-- balrog_reports is retired by hand after `pg_dump balrog_reports`, not here.
```

## Deploy ordering
Contract: no deployed code may still use the database, so the code that stopped using it
ships first; but the step cannot be undone, so it belongs in a change of its own, not in a
release's migrations.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if let OpKind::DropDatabase { name } = &aop.op.kind {
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!("database {name} is dropped with everything in it: a rollback cannot bring it back."),
                format!("Remove the statement from the migration; retire {name} by hand, after a backup and once no service connects to it."),
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
    fn every_drop_database_in_any_dialect() {
        let drop = || OpKind::DropDatabase { name: "d".into() };
        for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
            assert_eq!(
                lines(check, &single(dialect, vec![create("t"), drop()])),
                [Some(2)]
            );
        }
        assert!(lines(check, &single(Dialect::Postgres, vec![create("t")])).is_empty());
    }
}
