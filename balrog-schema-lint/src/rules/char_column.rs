//! `char-column`: a blank-padded `char(n)` column in PostgreSQL.

use super::declared::{declared_types, declares_new};
use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, SqlType};

pub(super) static RULE: Rule = Rule {
    name: "char-column",
    category: Category::SchemaDesign,
    default_severity: Severity::Info,
    summary: "A PostgreSQL column is declared char(n) / character(n), which pads values with blanks",
    doc: "## What it does
Reports PostgreSQL columns declared `char(n)`, `character(n)`, `char` or `bpchar`, in new
tables, added columns and type changes. Information only.

## Why is this bad
`char(n)` pads every value with spaces to `n` characters and ignores trailing spaces when it
compares, but not when it is cast to `text` or matched with `LIKE`: `'ab'` and `'ab '` are
equal in one query and different in the next. It is no faster than `text` or `varchar` in
PostgreSQL, and a value longer than `n` fails the insert.

## Example
```sql
-- dialect: postgres
CREATE TABLE locales (code CHAR(5) PRIMARY KEY, name TEXT);
```

## Use instead
```sql
-- dialect: postgres
CREATE TABLE locales (code TEXT PRIMARY KEY CHECK (char_length(code) <= 5), name TEXT);
```

## Deploy ordering
No effect on the order.
",
    enabled_by_default: true,
    standalone_example: true,
};

/// `char(n)` and its spellings; `char varying` is `varchar`.
fn is_blank_padded(ty: &SqlType) -> bool {
    matches!(
        ty.name.as_str(),
        "CHAR" | "CHARACTER" | "BPCHAR" | "NCHAR" | "NATIONAL CHARACTER"
    )
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres || !declares_new(aop) {
            continue;
        }
        for (table, column, ty) in declared_types(&aop.op.kind) {
            if is_blank_padded(ty) {
                out.push(finding(
                    &RULE,
                    Some(migration),
                    Some(aop.op.line),
                    format!("{table}.{column} is {ty}: values are padded with blanks, and trailing blanks count in some comparisons and not in others."),
                    "Use text (with a CHECK on its length if the limit matters) or varchar(n).".into(),
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
    fn char_spellings_but_not_varchar() {
        let sql = "CREATE TABLE t (a CHAR(3), b CHARACTER(2), c CHARACTER VARYING(4), d VARCHAR(5), e TEXT, f CHAR);\n\
                   ALTER TABLE t ALTER COLUMN e TYPE BPCHAR;\n";
        let found = findings_of(check, Dialect::Postgres, "", sql);
        let lines: Vec<u32> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 1, 1, 2], "{found:?}");
        assert!(findings_of(check, Dialect::Mysql, "", "CREATE TABLE t (a CHAR(3));").is_empty());
    }
}
