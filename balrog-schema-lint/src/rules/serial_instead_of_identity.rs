//! `serial-instead-of-identity`: PostgreSQL `serial` where an identity column does.

use super::declared::{declared_columns, declares_new, is_serial};
use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::Dialect;

pub(super) static RULE: Rule = Rule {
    name: "serial-instead-of-identity",
    category: Category::SchemaDesign,
    default_severity: Severity::Info,
    summary: "A PostgreSQL column is declared serial or bigserial instead of as an identity column",
    doc: "## What it does
Reports PostgreSQL columns declared `smallserial`, `serial` or `bigserial` in new tables and
added columns. Information only.

## Why is this bad
`serial` is shorthand for an `integer` column, a separate sequence and a default that reads
it. The sequence has its own permissions (a role that may insert into the table may still
fail on `nextval`), is not copied by `CREATE TABLE .. (LIKE ..)`, and drifts from the
column when rows are inserted with explicit ids. Identity columns (PostgreSQL 10 and later,
SQL standard) tie the sequence to the column, and `GENERATED ALWAYS` rejects ids written by
hand.

## Example
```sql
-- dialect: postgres
CREATE TABLE scheduled_changes (sc_id BIGSERIAL PRIMARY KEY, when_ms BIGINT);
```

## Use instead
```sql
-- dialect: postgres
CREATE TABLE scheduled_changes (sc_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, when_ms BIGINT);
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
        for (table, column) in declared_columns(&aop.op.kind) {
            let Some(ty) = column.ty.as_ref().filter(|ty| is_serial(ty)) else {
                continue;
            };
            let wide = if ty.name.starts_with("BIG") || ty.name == "SERIAL8" {
                "bigint"
            } else {
                "integer"
            };
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!(
                    "{table}.{} is {ty}: a separate sequence with its own permissions, not tied to the column.",
                    column.name
                ),
                format!("Declare it {wide} GENERATED ALWAYS AS IDENTITY (PostgreSQL 10 and later)."),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::declared::findings_of;
    use super::*;

    #[test]
    fn serial_types_but_not_identity() {
        let sql = "CREATE TABLE t (a SERIAL, b BIGSERIAL, c SMALLSERIAL, d BIGINT GENERATED ALWAYS AS IDENTITY);\n";
        let found = findings_of(check, Dialect::Postgres, "", sql);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[1].1.contains("BIGSERIAL"), "{found:?}");
    }
}
