//! `varchar-instead-of-text`: a length limit in the type where PostgreSQL's `text` does.

use super::declared::{declared_types, declares_new};
use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, SqlType};

pub(super) static RULE: Rule = Rule {
    name: "varchar-instead-of-text",
    category: Category::SchemaDesign,
    default_severity: Severity::Info,
    summary: "A PostgreSQL column is declared varchar(n) where text would do",
    doc: "## What it does
Reports PostgreSQL columns declared `varchar(n)` / `character varying(n)` in new tables,
added columns and type changes. A style preference: off by default; turn it on with
`varchar-instead-of-text = \"info\"` under `[rules]`.

## Why is this bad
In PostgreSQL `varchar(n)` is `text` with a length check, stored and compared the same way.
The limit is usually a guess, and raising it later is a schema change (free when only the
limit grows, but it still takes a lock), while lowering it rewrites the table. A `CHECK`
on `text` states the same limit and can be changed with `NOT VALID`.

## Example
```sql
-- dialect: postgres
CREATE TABLE products (name VARCHAR(15) PRIMARY KEY);
```

## Use instead
```sql
-- dialect: postgres
CREATE TABLE products (name TEXT PRIMARY KEY CHECK (char_length(name) <= 15));
```

## Deploy ordering
No effect on the order.
",
    enabled_by_default: false,
    standalone_example: true,
};

fn limited(ty: &SqlType) -> bool {
    matches!(
        ty.name.as_str(),
        "VARCHAR" | "CHARACTER VARYING" | "CHAR VARYING"
    ) && !ty.params.is_empty()
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres || !declares_new(aop) {
            continue;
        }
        for (table, column, ty) in declared_types(&aop.op.kind) {
            if limited(ty) {
                out.push(finding(
                    &RULE,
                    Some(migration),
                    Some(aop.op.line),
                    format!("{table}.{column} is {ty}: the length limit is part of the type, and changing it later is a schema change."),
                    "Use text, with a CHECK (char_length(...) <= n) if the limit matters.".into(),
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
    fn limited_varchar_only() {
        let sql = "CREATE TABLE t (a VARCHAR(3), b CHARACTER VARYING(2), c VARCHAR, d TEXT);\n";
        assert_eq!(findings_of(check, Dialect::Postgres, "", sql).len(), 2);
        assert!(findings_of(check, Dialect::Mysql, "", "CREATE TABLE t (a VARCHAR(3));").is_empty());
    }
}
