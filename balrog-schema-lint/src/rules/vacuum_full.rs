//! `vacuum-full`: a PostgreSQL `VACUUM FULL` rewrites a table under an exclusive lock.

use super::{report_table_rewrite, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::MaintenanceCommand;

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
    let rule = (&RULE, MaintenanceCommand::VacuumFull, "every table of the database");
    let help = "Use plain VACUUM in the migration; compact the table online outside it (pg_repack).";
    report_table_rewrite(analysis, out, rule, help);
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::{Dialect, OpKind};

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
