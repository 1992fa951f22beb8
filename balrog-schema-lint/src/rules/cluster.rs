//! `cluster`: a PostgreSQL `CLUSTER` rewrites a table under an exclusive lock.

use super::{report_table_rewrite, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::MaintenanceCommand;

pub(super) static RULE: Rule = Rule {
    name: "cluster",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "CLUSTER rewrites a table with reads and writes blocked",
    doc: "## What it does
Reports PostgreSQL `CLUSTER` of a table that was not created earlier in the release (and a
bare `CLUSTER`, which reclusters every table clustered before).

## Why is this bad
`CLUSTER` rewrites the whole table and its indexes in index order under an
`ACCESS EXCLUSIVE` lock: no query can read or write the table until it is done, which on a
large table is long, and it needs free disk space for a full second copy. The order is not
kept for rows written later, so the benefit fades while the outage does not.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE releases_history (change_id INT NOT NULL PRIMARY KEY, name VARCHAR(100));
-- production: CREATE INDEX releases_history_name_idx ON releases_history (name);
CLUSTER releases_history USING releases_history_name_idx;
```

## Use instead
Reorder the table online, outside the migration, with a tool such as `pg_repack`
(`pg_repack --table releases_history --order-by name`), and keep only statistics in the
migration:
```sql
-- dialect: postgres
ANALYZE releases_history;
```

## Deploy ordering
No effect on the order; it decides how long the schema step blocks the table.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    let rule = (&RULE, MaintenanceCommand::Cluster, "every clustered table");
    let help = "Reorder the table online outside the migration (pg_repack), or drop the statement.";
    report_table_rewrite(analysis, out, rule, help);
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::{Dialect, OpKind};

    fn cluster(table: Option<&str>) -> OpKind {
        OpKind::Maintenance {
            command: MaintenanceCommand::Cluster,
            table: table.map(str::to_string),
            index: None,
            concurrently: false,
        }
    }

    #[test]
    fn postgres_cluster_of_released_or_every_table() {
        assert_eq!(
            lines(
                check,
                &single(Dialect::Postgres, vec![cluster(Some("t")), cluster(None)])
            ),
            [Some(1), Some(2)]
        );
        assert!(lines(
            check,
            &single(Dialect::Postgres, vec![create("t"), cluster(Some("t"))])
        )
        .is_empty());
    }
}
