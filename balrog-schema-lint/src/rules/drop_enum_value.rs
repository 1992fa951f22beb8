//! `drop-enum-value`: an enum loses members that old code may still write.

use super::{finding, previous_type, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::OpKind;

pub(super) static RULE: Rule = Rule {
    name: "drop-enum-value",
    category: Category::OldCodeNewSchema,
    default_severity: Severity::Error,
    summary: "An ENUM or SET column loses members that existing rows or old code may use",
    doc: "## What it does
Reports a type change of an existing `ENUM` / `SET` column (MySQL `MODIFY`, `ALTER COLUMN ..
TYPE`) whose new member list lacks members of the old one. The old type comes from earlier
migrations in the range or from the schema at `FROM`.

## Why is this bad
Rows holding a removed member make the statement fail (or, outside strict mode, are silently
changed to the empty string). Old code that still writes the member fails after the change.

## Example
```sql
-- released: rules.update_type ENUM('minor', 'major', 'rollback')
ALTER TABLE rules MODIFY COLUMN update_type ENUM('minor', 'major') NOT NULL;
```

## Use instead
Stop writing the member in one release and move the rows that hold it; narrow the enum in a
later release. (Adding members at the end is always safe.)
```sql
UPDATE rules SET update_type = 'minor' WHERE update_type = 'rollback';
```

## Deploy ordering
Contract at best (code that no longer writes the member first), breaking while old code still
writes it.
",
    enabled_by_default: true,
    standalone_example: false,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        let (table, column, new_type) = match &aop.op.kind {
            OpKind::RedefineColumn {
                table,
                column,
                definition,
                ..
            } => match &definition.ty {
                Some(ty) => (table, column, ty),
                None => continue,
            },
            OpKind::AlterColumnType {
                table,
                column,
                new_type,
            } => (table, column, new_type),
            _ => continue,
        };
        if new_type.values.is_empty() || !touches_released(aop) {
            continue;
        }
        let Some(old) = previous_type(analysis, aop, table, column) else {
            continue;
        };
        let removed: Vec<&str> = old
            .values
            .iter()
            .filter(|v| !new_type.values.contains(v))
            .map(String::as_str)
            .collect();
        if removed.is_empty() {
            continue;
        }
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!("{table}.{column} loses the member(s) '{}': rows holding them make the change fail, and old code writing them fails after it.", removed.join("', '")),
            "Stop writing the member and migrate its rows in one release; narrow the type in a later one.".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::{Dialect, SqlType};

    fn enumeration(values: &[&str]) -> SqlType {
        SqlType {
            values: values.iter().map(|v| v.to_string()).collect(),
            ..SqlType::named("ENUM")
        }
    }

    fn alter(values: &[&str]) -> OpKind {
        OpKind::AlterColumnType {
            table: "t".into(),
            column: "c".into(),
            new_type: enumeration(values),
        }
    }

    #[test]
    fn removed_members_of_a_known_enum() {
        let mut a = single(Dialect::Mysql, vec![alter(&["a"]), alter(&["a", "b", "c"])]);
        a.context
            .column_types
            .insert("t.c".into(), enumeration(&["a", "b"]));
        assert_eq!(lines(check, &a), [Some(1)]);
        assert!(lines(check, &single(Dialect::Mysql, vec![alter(&["a"])])).is_empty());
    }
}
