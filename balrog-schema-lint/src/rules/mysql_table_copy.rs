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

A `VARCHAR` length counts characters, but the length prefix counts bytes: one byte up to 255
bytes, two from 256. A character takes up to 4 bytes in `utf8mb4` (MySQL 8's default), 3 in
`utf8mb3` / `utf8`, 1 in `latin1` and `ascii`, so `VARCHAR(50)` to `VARCHAR(100)` (200 to 400
bytes in `utf8mb4`) crosses 255 and copies the table. The character set is the one the
statement names (`CHARACTER SET latin1`); when it names none (the table's or server's default
applies, which the migrations may not say), the change is reported when it would copy in any
of them: `VARCHAR(100)` to `VARCHAR(2000)` stays in place in `utf8mb4` but copies in `latin1`.

## Why is this bad
With `ALGORITHM=COPY` MySQL builds a new copy of the table row by row and blocks writes
until it is done: on a large table, minutes of failed or queued writes for every service.

## Example
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, priority INT);
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

/// The most bytes one character may take in a column: one value for a named MySQL character
/// set, every value that a common set has when the statement names none (or one this table
/// does not list).
fn max_bytes_per_char(charset: Option<&str>) -> &'static [u64] {
    match charset.map(str::to_ascii_lowercase).as_deref() {
        Some("latin1" | "ascii" | "binary" | "latin2" | "cp1250" | "cp1251" | "cp1252") => &[1],
        Some("ucs2") => &[2],
        Some("utf8" | "utf8mb3") => &[3],
        Some("utf8mb4") => &[4],
        _ => &[1, 2, 3, 4],
    }
}

/// The character set a statement names (`CHARACTER SET x`, `CHARSET x`, `CHARSET=x`).
fn charset_named(source: &str) -> Option<String> {
    let words: Vec<String> = source
        .split(|c: char| c.is_whitespace() || c == '=' || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches(['\'', '"', '`']).to_string())
        .collect();
    words.iter().enumerate().find_map(|(i, w)| {
        let name = if w.eq_ignore_ascii_case("CHARSET") {
            words.get(i + 1)
        } else if w.eq_ignore_ascii_case("CHARACTER")
            && words
                .get(i + 1)
                .is_some_and(|n| n.eq_ignore_ascii_case("SET"))
        {
            words.get(i + 2)
        } else {
            None
        };
        name.cloned()
    })
}

/// Why MySQL copies the table to change `old` to `new`, or `None` when it need not.
/// `bytes_per_char` holds the most bytes a character may take in the column's character set
/// (several values when the set is not known: the change must be in place in each).
fn copy_reason(
    old: Option<&SqlType>,
    new: Option<&SqlType>,
    bytes_per_char: &[u64],
) -> Option<String> {
    let (Some(old), Some(new)) = (old, new) else {
        return Some("the old type is not known, so the change may copy the table".into());
    };
    if old == new {
        return None;
    }
    let varchar = |t: &SqlType| t.name == "VARCHAR";
    if varchar(old) && varchar(new) {
        if let (Some(&o), Some(&n)) = (old.params.first(), new.params.first()) {
            // The length prefix grows from one to two bytes past 255 bytes.
            let in_place = |b: u64| {
                let (o, n) = (o.saturating_mul(b), n.saturating_mul(b));
                o <= n && (n <= 255 || o > 255)
            };
            if bytes_per_char.iter().all(|&b| in_place(b)) {
                return None;
            }
        }
        return Some(format!(
            "{old} to {new} shortens it or changes its length prefix (one byte up to 255 bytes, two above)"
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
        let bytes_per_char = max_bytes_per_char(charset_named(&aop.op.source).as_deref());
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
                    copy_reason(old.as_ref(), definition.ty.as_ref(), bytes_per_char)
                };
                (table, column, reason)
            }
            OpKind::AlterColumnType {
                table,
                column,
                new_type,
            } => {
                let old = previous_type(analysis, aop, table, column);
                (
                    table,
                    column,
                    copy_reason(old.as_ref(), Some(new_type), bytes_per_char),
                )
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
        let a = with_old(vec![redefine(varchar(300), false)], varchar(30));
        assert_eq!(lines(check, &a), [Some(1)]);
        // 50 to 100 characters of utf8mb4 is 200 to 400 bytes: past 255.
        let a = with_old(vec![redefine(varchar(100), false)], varchar(50));
        assert_eq!(lines(check, &a), [Some(1)]);
        // Shorter is never in place.
        let a = with_old(vec![redefine(varchar(20), false)], varchar(30));
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

    /// The limits per character set, from MySQL's online DDL documentation: in place while
    /// the byte length stays at or below 255, or starts above it.
    #[test]
    fn varchar_lengths_count_bytes_of_the_character_set() {
        let varchar = |n| SqlType::with_params("VARCHAR", &[n]);
        let copies = |old: u64, new: u64, charset: Option<&str>| {
            copy_reason(
                Some(&varchar(old)),
                Some(&varchar(new)),
                max_bytes_per_char(charset),
            )
            .is_some()
        };
        for (old, new, charset, copy) in [
            (10, 63, None, false),
            (10, 64, None, true),
            (50, 100, None, true),
            (50, 100, Some("utf8mb4"), true),
            (10, 85, Some("utf8mb3"), false),
            (10, 86, Some("utf8"), true),
            (50, 100, Some("latin1"), false),
            (100, 255, Some("latin1"), false),
            (255, 256, Some("latin1"), true),
            (300, 500, Some("latin1"), false),
            (64, 1000, Some("utf8mb4"), false),
            // 64 characters are 64 bytes in latin1, 256 in utf8mb4: unknown, it may copy.
            (64, 1000, None, true),
            (300, 500, None, false),
            (100, 50, Some("latin1"), true),
        ] {
            assert_eq!(
                copies(old, new, charset),
                copy,
                "{old} -> {new} {charset:?}"
            );
        }
        assert_eq!(
            charset_named("ALTER TABLE t MODIFY c VARCHAR(100) CHARACTER SET latin1 NOT NULL"),
            Some("latin1".into())
        );
        assert_eq!(
            charset_named("ALTER TABLE t MODIFY c VARCHAR(100) CHARSET=utf8mb3"),
            Some("utf8mb3".into())
        );
        assert_eq!(charset_named("ALTER TABLE t MODIFY c VARCHAR(100)"), None);
    }

    #[test]
    fn in_place_changes_pass() {
        let varchar = |n| SqlType::with_params("VARCHAR", &[n]);
        assert!(lines(
            check,
            &with_old(vec![redefine(varchar(60), false)], varchar(10))
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
