//! `int-key-overflow`: a new table keyed by a 32-bit integer.

use std::collections::HashMap;

use super::declared::{declares_new, is_narrow_integer, is_wide_integer};
use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{ColumnDef, ConstraintKind, Dialect, OpKind, SqlType};

pub(super) static RULE: Rule = Rule {
    name: "int-key-overflow",
    category: Category::SchemaDesign,
    default_severity: Severity::Warning,
    summary: "A new table's primary key, or a foreign key to one, is a 32-bit integer that can run out",
    doc: "## What it does
Reports a new table whose single-column primary key is numbered by the database (`serial`,
an identity column, `AUTO_INCREMENT`) in an integer of 32 bits or fewer (`integer`, `int`,
`smallint`, MySQL `mediumint`), and a new table's foreign key column of such a type that
points at an integer key (a 32-bit one, or a 64-bit one it is narrower than). SQLite is left out: its `INTEGER PRIMARY KEY` is the 64-bit row id.

## Why is this bad
A 32-bit key stops at 2,147,483,647 (4,294,967,295 unsigned). Sequences and
`AUTO_INCREMENT` also skip values on rolled-back inserts, so busy tables get there sooner
than their row count suggests; then every insert fails. Widening the key later rewrites the
table, its indexes and every table that references it, under a lock, at the moment it is
urgent. A new table costs four more bytes a row to avoid all of that.

## Example
```sql
-- dialect: postgres
CREATE TABLE release_events (event_id SERIAL PRIMARY KEY, name TEXT NOT NULL);
```

## Use instead
```sql
-- dialect: postgres
CREATE TABLE release_events (event_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name TEXT NOT NULL);
```

## Deploy ordering
No effect on the order.
",
    enabled_by_default: true,
    standalone_example: true,
};

/// The single-column primary key of a table being created, if it has one.
fn primary_key<'a>(columns: &'a [ColumnDef], constraints: &[crate::model::ops::Constraint]) -> Option<&'a ColumnDef> {
    let inline: Vec<&ColumnDef> = columns.iter().filter(|c| c.primary_key).collect();
    let names: Vec<&str> = match inline.as_slice() {
        [one] => vec![one.name.as_str()],
        [] => constraints
            .iter()
            .find(|c| c.kind == ConstraintKind::PrimaryKey)
            .map(|c| c.columns.iter().map(String::as_str).collect())
            .unwrap_or_default(),
        _ => return None,
    };
    match names.as_slice() {
        [name] => columns.iter().find(|c| c.name.eq_ignore_ascii_case(name)),
        _ => None,
    }
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    // The key type of each table created in the range, lower case: (column, type).
    let mut keys: HashMap<String, (String, SqlType)> = HashMap::new();
    for (migration, aop) in analysis.operations() {
        let OpKind::CreateTable {
            table,
            columns,
            constraints,
            ..
        } = &aop.op.kind
        else {
            continue;
        };
        let pk = primary_key(columns, constraints);
        if let Some((pk, ty)) = pk.and_then(|c| c.ty.as_ref().map(|ty| (c, ty))) {
            keys.insert(table.to_ascii_lowercase(), (pk.name.to_ascii_lowercase(), ty.clone()));
        }
        if matches!(migration.dialect, Dialect::Sqlite) || !declares_new(aop) {
            continue;
        }
        if let Some((pk, ty)) = pk.and_then(|c| c.ty.as_ref().map(|ty| (c, ty))) {
            // A key the database numbers is a counter that only grows; a key the
            // application supplies may be a code from a small set.
            if is_narrow_integer(ty) && pk.auto_increment {
                out.push(finding(
                    &RULE,
                    Some(migration),
                    Some(aop.op.line),
                    format!("{table}.{} is {ty}, a key of 32 bits or fewer: inserts start failing once its values pass the type's maximum (2,147,483,647 for integer).", pk.name),
                    "Use bigint (bigint GENERATED ALWAYS AS IDENTITY, or BIGINT AUTO_INCREMENT) for keys of new tables.".into(),
                ));
            }
        }
        for constraint in constraints {
            let ConstraintKind::ForeignKey {
                references,
                referenced_columns,
                ..
            } = &constraint.kind
            else {
                continue;
            };
            let [column] = constraint.columns.as_slice() else {
                continue;
            };
            let Some(ty) = columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(column))
                .and_then(|c| c.ty.as_ref())
                .filter(|ty| is_narrow_integer(ty))
            else {
                continue;
            };
            let target = references.to_ascii_lowercase();
            // (type, whether the key is new in this range).
            let target_type = match referenced_columns.as_slice() {
                [] => keys.get(&target).map(|(_, ty)| (ty.clone(), true)),
                [col] => keys
                    .get(&target)
                    .filter(|(pk, _)| pk.eq_ignore_ascii_case(col))
                    .map(|(_, ty)| (ty.clone(), true))
                    .or_else(|| {
                        let key = format!("{target}.{}", col.to_ascii_lowercase());
                        let ty = analysis.context.column_types.get(&key).cloned();
                        ty.map(|ty| (ty, false))
                    }),
                _ => None,
            };
            let Some((target_type, new_key)) = target_type else {
                continue;
            };
            // A column as narrow as a key production already has matches it: the key was
            // the choice to report, when it was made. A key of this release is reported
            // with the columns that will need widening along with it.
            let why = if is_wide_integer(&target_type) {
                format!("narrower than the {target_type} key of {references} it references: it runs out first")
            } else if is_narrow_integer(&target_type) && new_key {
                format!("as narrow as the {target_type} key of {references}: both run out together, and widening one means widening both")
            } else {
                continue;
            };
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!("{table}.{column} is {ty}, {why}."),
                "Use bigint for key columns of new tables, and for the columns that reference them.".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::declared::findings_of;
    use super::*;

    #[test]
    fn narrow_keys_of_new_tables() {
        let sql = "CREATE TABLE a (id SERIAL PRIMARY KEY);\n\
                   CREATE TABLE b (id BIGINT PRIMARY KEY, a_id INT REFERENCES a (id));\n\
                   CREATE TABLE c (id INTEGER GENERATED BY DEFAULT AS IDENTITY, x INT, PRIMARY KEY (id));\n\
                   CREATE TABLE d (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, b_id INT REFERENCES b (id), n INT);\n\
                   CREATE TABLE e (x INT, y INT, PRIMARY KEY (x, y));\n";
        let found = findings_of(check, Dialect::Postgres, "", sql);
        let lines: Vec<u32> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 2, 3, 4], "{found:?}");
        assert!(found[1].1.contains("both run out together"), "{found:?}");
        assert!(found[3].1.contains("runs out first"), "{found:?}");
    }

    #[test]
    fn keys_referencing_production_and_other_dialects() {
        let production = "CREATE TABLE p (id BIGINT PRIMARY KEY);\nCREATE TABLE n (id SERIAL PRIMARY KEY);";
        let sql = "CREATE TABLE q (id BIGINT PRIMARY KEY, p_id INT, FOREIGN KEY (p_id) REFERENCES p (id));\n";
        assert_eq!(findings_of(check, Dialect::Postgres, production, sql).len(), 1);
        // As narrow as a key production already has: that key was the choice.
        let sql = "CREATE TABLE r (id BIGINT PRIMARY KEY, n_id INT REFERENCES n (id));\n";
        assert!(findings_of(check, Dialect::Postgres, production, sql).is_empty());
        let mysql = "CREATE TABLE a (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY);\n";
        assert_eq!(findings_of(check, Dialect::Mysql, "", mysql).len(), 1);
        let supplied = "CREATE TABLE a (code INT NOT NULL PRIMARY KEY);\n";
        assert!(findings_of(check, Dialect::Mysql, "", supplied).is_empty());
        let sqlite = "CREATE TABLE a (id INTEGER PRIMARY KEY);\n";
        assert!(findings_of(check, Dialect::Sqlite, "", sqlite).is_empty());
    }
}
