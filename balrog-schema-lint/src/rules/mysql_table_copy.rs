//! `mysql-table-copy`: a MySQL column change that copies the whole table.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "mysql-table-copy",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A MySQL / MariaDB change forces ALGORITHM=COPY: the table is copied while writes wait",
    doc: "## What it does
Reports a MySQL or MariaDB statement on an existing table that the server can only make by
copying the table (`ALGORITHM=COPY`), on the target release (`[target]`): a column type
change (other than a longer `VARCHAR` that keeps the same length-byte size, or members
appended to the end of an `ENUM`), a new character set or collation, `AUTO_INCREMENT` added
to a column, a foreign key added while `foreign_key_checks` is on, a `CHECK` constraint
added, the primary key dropped without a new one, `CONVERT TO CHARACTER SET`. When the old
column type is not known, the change may copy and is reported as such. Columns added with a
per-row value are `volatile-default`'s.

A `VARCHAR` length counts characters, but the length prefix counts bytes: one byte up to 255
bytes, two from 256. A character takes up to 4 bytes in `utf8mb4` (MySQL 8's default), 3 in
`utf8mb3` / `utf8`, 1 in `latin1` and `ascii`, so `VARCHAR(50)` to `VARCHAR(100)` (200 to 400
bytes in `utf8mb4`) crosses 255 and copies the table. The character set is the one the
statement names (`CHARACTER SET latin1`); when it names none (the table's or server's default
applies, which the migrations may not say), the change is reported when it would copy in any
of them: `VARCHAR(100)` to `VARCHAR(2000)` stays in place in `utf8mb4` but copies in `latin1`.

## Why is this bad
With `ALGORITHM=COPY` the server builds a new copy of the table row by row and blocks writes
(`LOCK=SHARED`) until it is done: on a large table, minutes of failed or queued writes for
every service.

## Example
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, priority INT);
ALTER TABLE rules MODIFY COLUMN priority BIGINT AFTER rule_id;
```

## Use instead
Add a new column (instant), backfill in batches, switch the code over, drop the old one; or
run the change with an online schema change tool (gh-ost, pt-online-schema-change), which
copies the table in the background and swaps it in without blocking writes:
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

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Mysql || !touches_released(aop) {
            continue;
        }
        if matches!(aop.op.kind, OpKind::AddColumn { .. }) {
            continue;
        }
        let Some(lock) = aop.lock.as_ref().filter(|l| l.copies()) else {
            continue;
        };
        let table = aop.op.kind.table().unwrap_or("the table");
        let what = match aop.op.kind.column() {
            Some(column) => format!("changing {table}.{column}"),
            None => aop.op.kind.describe(),
        };
        let why = lock
            .note
            .as_deref()
            .map(|n| format!(": {n}"))
            .unwrap_or_default();
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!(
                "{what} copies {table} on {} ({}){why}; writes block until the copy is done.",
                analysis.target.describe(Dialect::Mysql),
                lock.label()
            ),
            format!("Run it with an online schema change tool (gh-ost, pt-online-schema-change), which copies {table} without blocking writes, or add a new column and backfill instead."),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::classify::locks::mysql::{charset_named, max_bytes_per_char, type_copy_reason};
    use crate::model::ops::{ColumnDef, SqlType};

    fn redefine(ty: SqlType, reorders: bool) -> OpKind {
        OpKind::RedefineColumn {
            table: "t".into(),
            column: "c".into(),
            definition: ColumnDef::new("c", Some(ty)),
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
        let production = OpKind::CreateTable {
            table: "t".into(),
            columns: vec![col("id", "INT"), ColumnDef::new("c", Some(old))],
            constraints: vec![],
            if_not_exists: false,
        };
        single_on(&[production], Target::default(), Dialect::Mysql, ops)
    }

    #[test]
    fn copies_on_type_change_and_enum_narrowing() {
        let varchar = |n| SqlType::with_params("VARCHAR", &[n]);
        let a = with_old(
            vec![redefine(SqlType::named("BIGINT"), false)],
            SqlType::named("INT"),
        );
        assert_eq!(lines(check, &a), [Some(1)]);
        // A move alone rebuilds in place (LOCK=NONE): no copy.
        let a = with_old(vec![redefine(varchar(100), true)], varchar(100));
        assert!(lines(check, &a).is_empty());
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

    #[test]
    fn foreign_keys_and_primary_key_drops_copy() {
        let fk = OpKind::AddConstraint {
            table: "t".into(),
            constraint: crate::model::ops::Constraint {
                name: None,
                kind: crate::model::ops::ConstraintKind::foreign_key("p"),
                columns: vec!["c".into()],
                not_valid: false,
            },
        };
        let drop_pk = OpKind::DropConstraint {
            table: "t".into(),
            name: "PRIMARY".into(),
        };
        let a = with_old(vec![fk, drop_pk], SqlType::named("INT"));
        assert_eq!(lines(check, &a), [Some(1), Some(2)]);
    }

    /// The limits per character set, from MySQL's online DDL documentation: in place while
    /// the byte length stays at or below 255, or starts above it.
    #[test]
    fn varchar_lengths_count_bytes_of_the_character_set() {
        let varchar = |n| SqlType::with_params("VARCHAR", &[n]);
        let copies = |old: u64, new: u64, charset: Option<&str>| {
            type_copy_reason(
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
