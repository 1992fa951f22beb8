//! `vacuum-full`: a PostgreSQL `VACUUM FULL` rewrites a table under an exclusive lock.

use super::{created_before, finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, MaintenanceCommand, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "vacuum-full",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "VACUUM FULL rewrites a table with reads and writes blocked",
    doc: "## What it does
Reports PostgreSQL `VACUUM FULL` (also written `VACUUM (FULL)`) of a table that was not
created earlier in the release, and of every table when it names none. Plain `VACUUM` and
`ANALYZE` stay quiet: they take no lock that blocks reads or writes.

## Why is this bad
`VACUUM FULL` writes a new compact copy of the table and its indexes under an
`ACCESS EXCLUSIVE` lock: no query can read or write the table until it is done, and it
needs free disk space for the second copy. A bare `VACUUM FULL` does it to every table of
the database, one after another.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE releases_history (change_id INT NOT NULL PRIMARY KEY, data TEXT);
VACUUM FULL releases_history;
```

## Use instead
Plain `VACUUM` makes the space reusable without blocking; to give it back to the operating
system, compact the table online outside the migration with a tool such as `pg_repack`:
```sql
-- dialect: postgres
VACUUM (ANALYZE) releases_history;
```

## Deploy ordering
No effect on the order; it decides how long the schema step blocks the table.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres {
            continue;
        }
        let OpKind::Maintenance {
            command: MaintenanceCommand::VacuumFull,
            table,
            ..
        } = &aop.op.kind
        else {
            continue;
        };
        if table
            .as_deref()
            .is_some_and(|t| created_before(analysis, aop, t))
        {
            continue;
        }
        let target = table.as_deref().unwrap_or("every table of the database");
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!("VACUUM FULL rewrites {target} under an ACCESS EXCLUSIVE lock: no query reads or writes it until it is done."),
            "Use plain VACUUM in the migration; compact the table online outside it (pg_repack).".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn vacuum_full(table: Option<&str>) -> OpKind {
        OpKind::Maintenance {
            command: MaintenanceCommand::VacuumFull,
            table: table.map(str::to_string),
            index: None,
            concurrently: false,
        }
    }

    #[test]
    fn postgres_vacuum_full_of_released_or_every_table() {
        assert_eq!(
            lines(
                check,
                &single(
                    Dialect::Postgres,
                    vec![vacuum_full(Some("t")), vacuum_full(None)]
                )
            ),
            [Some(1), Some(2)]
        );
        assert!(lines(
            check,
            &single(Dialect::Postgres, vec![create("t"), vacuum_full(Some("t"))])
        )
        .is_empty());
        assert!(lines(check, &single(Dialect::Mysql, vec![vacuum_full(Some("t"))])).is_empty());
    }
}
