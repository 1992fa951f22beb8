//! `timestamp-without-time-zone`: a PostgreSQL `timestamp` column that drops the offset.

use super::declared::{declared_types, declares_new};
use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, SqlType};

pub(super) static RULE: Rule = Rule {
    name: "timestamp-without-time-zone",
    category: Category::SchemaDesign,
    default_severity: Severity::Info,
    summary: "A PostgreSQL column is declared timestamp without time zone",
    doc: "## What it does
Reports PostgreSQL columns declared `timestamp` or `timestamp without time zone`, in new
tables, added columns and type changes. Information only.

## Why is this bad
`timestamp` stores the wall-clock reading and throws the offset away: a value written by a
client in another time zone, or across a daylight-saving change, cannot be turned back into
an instant, and `now()` stored in it depends on the session's `TimeZone`. `timestamptz`
stores the instant (in UTC) and takes the same eight bytes.

## Example
```sql
-- dialect: postgres
CREATE TABLE releases_history (change_id BIGINT PRIMARY KEY, changed_at TIMESTAMP NOT NULL);
```

## Use instead
```sql
-- dialect: postgres
CREATE TABLE releases_history (change_id BIGINT PRIMARY KEY, changed_at TIMESTAMPTZ NOT NULL);
```

## Deploy ordering
No effect on the order. Changing an existing column to `timestamptz` later rewrites the table
and reinterprets its values in the session's time zone.
",
    enabled_by_default: true,
    standalone_example: true,
};

fn drops_the_offset(ty: &SqlType) -> bool {
    matches!(ty.name.as_str(), "TIMESTAMP" | "TIMESTAMP WITHOUT TIME ZONE")
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres || !declares_new(aop) {
            continue;
        }
        for (table, column, ty) in declared_types(&aop.op.kind) {
            if drops_the_offset(ty) {
                out.push(finding(
                    &RULE,
                    Some(migration),
                    Some(aop.op.line),
                    format!("{table}.{column} is {ty}: it stores a wall-clock time without its offset, so the instant is lost."),
                    "Use timestamptz (timestamp with time zone).".into(),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::declared::findings_of;
    use super::*;

    #[test]
    fn without_zone_only() {
        let sql = "CREATE TABLE t (a TIMESTAMP, b TIMESTAMP WITHOUT TIME ZONE, c TIMESTAMPTZ, d TIMESTAMP(3) WITH TIME ZONE, e DATE);\n";
        assert_eq!(findings_of(check, Dialect::Postgres, "", sql).len(), 2);
        assert!(findings_of(check, Dialect::Mysql, "", "CREATE TABLE t (a TIMESTAMP);").is_empty());
    }
}
