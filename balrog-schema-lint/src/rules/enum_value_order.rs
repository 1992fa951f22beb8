//! `enum-value-order`: a PostgreSQL enum value placed among the existing ones.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "enum-value-order",
    category: Category::OldCodeNewSchema,
    default_severity: Severity::Info,
    summary: "A value is added to an existing PostgreSQL enum with BEFORE or AFTER, among the existing values",
    doc: "## What it does
Reports PostgreSQL `ALTER TYPE .. ADD VALUE .. BEFORE ..` and `.. AFTER ..` on an enum
production already has, unless `AFTER` names the last value. Information only.

## Why is this bad
An enum's values sort in the order they are declared, not alphabetically. A value placed
among the existing ones changes what `ORDER BY` the column, `<` / `BETWEEN` comparisons,
`enum_range()` and `enum_first()`/`enum_last()` return once it is used: old code that filters
`status < 'shipped'` or maps labels by position reads the new value in the middle. The
PostgreSQL manual also notes that comparisons involving a value added anywhere but at the
end can be slower, as they need a catalog lookup.

## Example
```sql
-- dialect: postgres
-- production: CREATE TYPE release_state AS ENUM ('draft', 'shipped');
ALTER TYPE release_state ADD VALUE 'signed' BEFORE 'shipped';
```

## Use instead
Add it at the end, and order by an explicit column where the order matters:
```sql
-- dialect: postgres
-- production: CREATE TYPE release_state AS ENUM ('draft', 'shipped');
ALTER TYPE release_state ADD VALUE 'signed';
```

## Deploy ordering
Expand, like any new enum value: the schema change goes first. Code that relies on the
order must be ready for the new position before the value is used.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres || !touches_released(aop) {
            continue;
        }
        let OpKind::AddEnumValue {
            name,
            value,
            before,
            after,
        } = &aop.op.kind
        else {
            continue;
        };
        let place = match (before, after) {
            (Some(b), _) => format!("before '{b}'"),
            (None, Some(a)) => {
                let last = analysis
                    .context
                    .enum_values
                    .get(&name.to_ascii_lowercase())
                    .and_then(|values| values.last());
                if last.is_some_and(|l| l == a) {
                    continue;
                }
                format!("after '{a}'")
            }
            (None, None) => continue,
        };
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!("'{value}' goes {place} in enum {name}: ORDER BY, range comparisons and enum_range() place it among the existing values."),
            "Add it at the end, or check that no query or code depends on the order of the enum's values.".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::declared::findings_of;
    use super::*;

    const PRODUCTION: &str = "CREATE TYPE s AS ENUM ('a', 'b');";

    #[test]
    fn placed_among_existing_values() {
        let sql = "ALTER TYPE s ADD VALUE 'x' BEFORE 'b';\n\
                   ALTER TYPE s ADD VALUE 'y' AFTER 'a';\n\
                   ALTER TYPE s ADD VALUE 'z' AFTER 'b';\n\
                   ALTER TYPE s ADD VALUE 'w';\n";
        let found = findings_of(check, Dialect::Postgres, PRODUCTION, sql);
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), [1, 2], "{found:?}");
    }

    #[test]
    fn new_enum_is_quiet() {
        let sql = "CREATE TYPE t AS ENUM ('a', 'b');\nALTER TYPE t ADD VALUE 'x' BEFORE 'b';\n";
        assert!(findings_of(check, Dialect::Postgres, "", sql).is_empty());
    }
}
