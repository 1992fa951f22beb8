//! `mysql-table-copy`: a MySQL column change that copies the whole table.

use super::{finding, previous_type, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind, SqlType};

pub(super) static RULE: Rule = Rule {
    name: "mysql-table-copy",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A MySQL column change forces ALGORITHM=COPY: the table is copied while writes wait",
    doc: "## What it does
Reports MySQL `MODIFY` / `CHANGE COLUMN` / `ALTER COLUMN .. TYPE` on an existing table when
MySQL cannot make the change in place: a type change (other than a longer `VARCHAR` that
keeps the same length-byte size, or members appended to the end of an `ENUM`), a column
moved with `FIRST` / `AFTER`, or `ENUM` members reordered or removed. When the old type is
not known, the change may copy and is reported as such.

## Why is this bad
With `ALGORITHM=COPY` MySQL builds a new copy of the table row by row and blocks writes
until it is done: on a large table, minutes of failed or queued writes for every service.

## Example
```sql
ALTER TABLE rules MODIFY COLUMN priority BIGINT AFTER rule_id;
```

## Use instead
Add a new column (instant), backfill in batches, switch the code over, drop the old one; or
run the change with an online schema change tool (gh-ost, pt-online-schema-change):
```sql
ALTER TABLE rules ADD COLUMN priority_v2 BIGINT NULL;
```

## Deploy ordering
See `change-column-type` for the order; this rule is about how long the schema step blocks
writes.
",
    enabled_by_default: true,
    standalone_example: true,
};

/// Why MySQL copies the table to change `old` to `new`, or `None` when it need not.
fn copy_reason(old: Option<&SqlType>, new: Option<&SqlType>) -> Option<String> {
    let (Some(old), Some(new)) = (old, new) else {
        return Some("the old type is not known, so the change may copy the table".into());
    };
    if old == new {
        return None;
    }
    let varchar = |t: &SqlType| t.name == "VARCHAR";
    if varchar(old) && varchar(new) {
        if let (Some(&o), Some(&n)) = (old.params.first(), new.params.first()) {
            // The length prefix grows from one to two bytes past 255.
            if o <= n && (n <= 255 || o > 255) {
                return None;
            }
        }
        return Some(format!(
            "{old} to {new} changes the VARCHAR length prefix or shortens it"
        ));
    }
    if old.name == new.name && matches!(old.name.as_str(), "ENUM" | "SET") {
        if new.values.starts_with(&old.values) {
            return None;
        }
        return Some(format!("{} members are reordered or removed", old.name));
    }
    Some(format!("the type changes from {old} to {new}"))
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Mysql || !touches_released(aop) {
            continue;
        }
        let (table, column, reason) = match &aop.op.kind {
            OpKind::RedefineColumn {
                table,
                column,
                definition,
                reorders,
            } => {
                let old = previous_type(analysis, aop, table, column);
                let reason = if *reorders {
                    Some("the column is moved (FIRST / AFTER)".to_string())
                } else {
                    copy_reason(old.as_ref(), definition.ty.as_ref())
                };
                (table, column, reason)
            }
            OpKind::AlterColumnType {
                table,
                column,
                new_type,
            } => {
                let old = previous_type(analysis, aop, table, column);
                (table, column, copy_reason(old.as_ref(), Some(new_type)))
            }
            _ => continue,
        };
        if let Some(reason) = reason {
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!("changing {table}.{column} copies {table} (ALGORITHM=COPY): {reason}; writes block until the copy is done."),
                "Add a new column and backfill instead, or run it with an online schema change tool.".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn redefine(ty: SqlType, reorders: bool) -> OpKind {
        OpKind::RedefineColumn {
            table: "t".into(),
            column: "c".into(),
            definition: crate::model::ops::ColumnDef::new("c", Some(ty)),
            reorders,
        }
    }

    fn enumeration(values: &[&str]) -> SqlType {
        SqlType {
            values: values.iter().map(|v| v.to_string()).collect(),
            ..SqlType::named("ENUM")
        }
    }

    fn with_old(ops: Vec<OpKind>, old: SqlType) -> Analysis {
        let mut a = single(Dialect::Mysql, ops);
        a.context.column_types.insert("t.c".into(), old);
        a
    }

    #[test]
    fn copies_on_type_change_reorder_and_enum_narrowing() {
        let varchar = |n| SqlType::with_params("VARCHAR", &[n]);
        let a = with_old(
            vec![redefine(SqlType::named("BIGINT"), false)],
            SqlType::named("INT"),
        );
        assert_eq!(lines(check, &a), [Some(1)]);
        let a = with_old(vec![redefine(varchar(100), true)], varchar(100));
        assert_eq!(lines(check, &a), [Some(1)]);
        let a = with_old(vec![redefine(varchar(300), false)], varchar(100));
        assert_eq!(lines(check, &a), [Some(1)]);
        let a = with_old(
            vec![redefine(enumeration(&["b", "a"]), false)],
            enumeration(&["a", "b"]),
        );
        assert_eq!(lines(check, &a), [Some(1)]);
        let unknown = single(
            Dialect::Mysql,
            vec![redefine(SqlType::named("BIGINT"), false)],
        );
        assert_eq!(lines(check, &unknown), [Some(1)]);
    }

    #[test]
    fn in_place_changes_pass() {
        let varchar = |n| SqlType::with_params("VARCHAR", &[n]);
        assert!(lines(
            check,
            &with_old(vec![redefine(varchar(200), false)], varchar(100))
        )
        .is_empty());
        assert!(lines(
            check,
            &with_old(vec![redefine(varchar(1000), false)], varchar(500))
        )
        .is_empty());
        let append = with_old(
            vec![redefine(enumeration(&["a", "b", "c"]), false)],
            enumeration(&["a", "b"]),
        );
        assert!(lines(check, &append).is_empty());
        let pg = single(
            Dialect::Postgres,
            vec![redefine(SqlType::named("BIGINT"), true)],
        );
        assert!(lines(check, &pg).is_empty());
        let new_table = single(
            Dialect::Mysql,
            vec![create("t"), redefine(SqlType::named("BIGINT"), true)],
        );
        assert!(lines(check, &new_table).is_empty());
    }
}
