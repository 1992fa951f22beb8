//! `add-serial-primary-key`: an auto-numbered primary key added to an existing table.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "add-serial-primary-key",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A serial, identity or AUTO_INCREMENT primary key column is added to an existing table",
    doc: "## What it does
Reports `ALTER TABLE .. ADD COLUMN` of a `serial`, identity or `AUTO_INCREMENT` column that
is the primary key (or unique), on a table production already has, in PostgreSQL and MySQL.

## Why is this bad
Every existing row needs its own number, so the database rewrites the whole table, then
builds the key's index, all in one statement. PostgreSQL holds `ACCESS EXCLUSIVE` (no reads,
no writes) for all of it; MySQL and MariaDB cannot add an `AUTO_INCREMENT` column in place
and copy the table with writes blocked. On a large table that is an outage for the length of
the copy.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE permissions_req_signoffs (product TEXT NOT NULL, role TEXT NOT NULL);
ALTER TABLE permissions_req_signoffs ADD COLUMN id SERIAL PRIMARY KEY;
```

## Use instead
On PostgreSQL, add a nullable `bigint` column, fill it in batches from a sequence, build a
unique index `CONCURRENTLY`, then add the key `USING INDEX`; on MySQL use an online schema
change tool (gh-ost, pt-online-schema-change). The last step of the PostgreSQL recipe:
```sql
-- dialect: postgres
-- production: CREATE TABLE permissions_req_signoffs (id BIGINT NOT NULL, product TEXT NOT NULL);
-- production: CREATE UNIQUE INDEX permissions_req_signoffs_id_idx ON permissions_req_signoffs (id);
ALTER TABLE permissions_req_signoffs ADD CONSTRAINT permissions_req_signoffs_pkey PRIMARY KEY USING INDEX permissions_req_signoffs_id_idx;
```

## Deploy ordering
Expand (a new column with its own values): the schema change goes first; it decides how
long the schema step blocks the table.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        let how = match migration.dialect {
            Dialect::Postgres => "rewrites the table and builds the key's index under ACCESS EXCLUSIVE (no reads, no writes)",
            Dialect::Mysql => "copies the table (an AUTO_INCREMENT column cannot be added in place) with writes blocked",
            Dialect::Sqlite | Dialect::Generic => continue,
        };
        let OpKind::AddColumn { table, column } = &aop.op.kind else {
            continue;
        };
        if !column.auto_increment || !(column.primary_key || column.unique) {
            continue;
        }
        if !touches_released(aop) {
            continue;
        }
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!("{table}.{} numbers every existing row as it is added: the statement {how}.", column.name),
            "Add a nullable bigint column, backfill it in batches, build a unique index CONCURRENTLY and add the key USING INDEX (MySQL: use gh-ost or pt-online-schema-change).".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::declared::findings_of;
    use super::*;

    #[test]
    fn auto_numbered_key_on_existing_table() {
        let production = "CREATE TABLE t (a TEXT);";
        for sql in [
            "ALTER TABLE t ADD COLUMN id SERIAL PRIMARY KEY;",
            "ALTER TABLE t ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY;",
        ] {
            assert_eq!(findings_of(check, Dialect::Postgres, production, sql).len(), 1, "{sql}");
        }
        let mysql = "ALTER TABLE t ADD COLUMN id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY;";
        assert_eq!(findings_of(check, Dialect::Mysql, "CREATE TABLE t (a TEXT);", mysql).len(), 1);
    }

    #[test]
    fn plain_columns_and_new_tables_are_quiet() {
        let production = "CREATE TABLE t (a TEXT);";
        let plain = "ALTER TABLE t ADD COLUMN id BIGINT;";
        assert!(findings_of(check, Dialect::Postgres, production, plain).is_empty());
        let new = "CREATE TABLE u (a TEXT);\nALTER TABLE u ADD COLUMN id SERIAL PRIMARY KEY;";
        assert!(findings_of(check, Dialect::Postgres, "", new).is_empty());
    }
}
