//! MySQL and MariaDB (InnoDB) online DDL: the algorithm the server picks for each change and
//! the `LOCK=` it allows. Sources: MySQL 8.0 Reference Manual 17.12.1 "Online DDL
//! Operations" (5.7: 14.13.1); MariaDB "InnoDB Online DDL Operations with the INSTANT /
//! NOCOPY / INPLACE Alter Algorithm". MariaDB 10.11 answers are checked against a real
//! server in tests/tests/locks.rs.

use super::{has_words, postgres::volatile_call};
use crate::model::lock::{Algorithm, Lock, LockMode, MysqlServer, TableWork, Version};
use crate::model::ops::{ColumnDef, ConstraintKind, OpKind, Operation, SqlType};

use Algorithm::{Copy, Inplace, Instant, Nocopy};
use LockMode::{Exclusive, NoLock, Shared};

/// One server at one release.
#[derive(Clone, Copy)]
struct Server {
    kind: MysqlServer,
    release: Version,
}

impl Server {
    fn mysql_from(self, major: u32, minor: u32, patch: u32) -> bool {
        self.kind == MysqlServer::Mysql && self.release.at_least(major, minor, patch)
    }

    fn mariadb_from(self, major: u32, minor: u32, patch: u32) -> bool {
        self.kind == MysqlServer::Mariadb && self.release.at_least(major, minor, patch)
    }

    /// Metadata-only changes: `INSTANT` from MySQL 8.0 (5.7 calls them in place) and
    /// MariaDB 10.3.
    fn metadata_only(self) -> Lock {
        if self.mysql_from(8, 0, 0) || self.mariadb_from(10, 3, 0) {
            Lock::mysql(Instant, NoLock, TableWork::None)
        } else {
            Lock::mysql(Inplace, NoLock, TableWork::None)
        }
    }

    /// Building a secondary index: MariaDB calls it `NOCOPY` from 10.3.
    fn index_build(self) -> Lock {
        let algorithm = if self.mariadb_from(10, 3, 0) { Nocopy } else { Inplace };
        Lock::mysql(algorithm, NoLock, TableWork::Scan)
    }

    /// A rebuild in place: the table is rewritten but writes go on.
    fn rebuild(self) -> Lock {
        Lock::mysql(Inplace, NoLock, TableWork::Rewrite)
    }
}

/// A table copy: writes wait until it is done.
fn copy(why: impl Into<String>) -> Lock {
    Lock::mysql(Copy, Shared, TableWork::Rewrite).because(why)
}

pub(super) fn lock(
    op: &Operation,
    before: Option<&ColumnDef>,
    kind: MysqlServer,
    release: Version,
) -> Option<Lock> {
    let server = Server { kind, release };
    let source = op.source.as_str();
    match &op.kind {
        OpKind::CreateTable { .. }
        | OpKind::CreateTableAs { .. }
        | OpKind::CreateTemporaryTable { .. }
        | OpKind::PartitionBy { .. }
        | OpKind::CreateType { .. }
        | OpKind::DropType { .. }
        | OpKind::CreateSequence { .. }
        | OpKind::DropSequence { .. }
        | OpKind::CreateRoutine { .. }
        | OpKind::DropRoutine { .. }
        | OpKind::AlterRoutine { .. }
        | OpKind::Grant { .. }
        | OpKind::AddEnumValue { .. }
        | OpKind::RenameEnumValue { .. }
        | OpKind::RenameType { .. }
        | OpKind::CreateCompositeType { .. }
        | OpKind::AddAttribute { .. }
        | OpKind::DropAttribute { .. }
        | OpKind::CreateDomain { .. }
        | OpKind::DropDomain { .. }
        | OpKind::AddDomainConstraint { .. }
        | OpKind::DropDomainConstraint { .. }
        | OpKind::SetDomainNotNull { .. }
        | OpKind::SetDomainDefault { .. }
        | OpKind::CreateSchema { .. }
        | OpKind::DropSchema { .. }
        | OpKind::DropDatabase { .. }
        | OpKind::Maintenance { .. }
        | OpKind::CreateExtension { .. }
        | OpKind::DropExtension { .. }
        | OpKind::SetRowSecurity { .. }
        | OpKind::CreatePolicy { .. }
        | OpKind::AlterPolicy { .. }
        | OpKind::DropPolicy { .. }
        | OpKind::CreateObject { .. }
        | OpKind::DropObject { .. }
        | OpKind::AlterObject { .. }
        | OpKind::CreateTableLike { .. } => None,
        OpKind::CreateView { or_replace, .. } => {
            or_replace.then(|| Lock::postgres(Exclusive, TableWork::None))
        }
        // An exclusive metadata lock, held for the drop only.
        OpKind::DropTable { .. }
        | OpKind::DropView { .. }
        | OpKind::CreateTrigger { .. }
        | OpKind::DropTrigger { .. }
        | OpKind::RenameTrigger { .. }
        | OpKind::SetTriggerEnabled { .. } => Some(Lock::postgres(Exclusive, TableWork::None)),
        // Instant, but under an exclusive metadata lock (MariaDB refuses LOCK=NONE for it).
        OpKind::RenameTable { .. } => Some(Lock {
            mode: Exclusive,
            ..server.metadata_only()
        }),
        OpKind::AddColumn { column, .. } => Some(add_column(server, column, source)),
        OpKind::DropColumn { .. } => Some(
            if server.mysql_from(8, 0, 29) || server.mariadb_from(10, 4, 0) {
                Lock::mysql(Instant, NoLock, TableWork::None)
            } else {
                server.rebuild().because(format!(
                    "instant from {}",
                    if kind == MysqlServer::Mysql { "MySQL 8.0.29" } else { "MariaDB 10.4" }
                ))
            },
        ),
        OpKind::RenameColumn { .. } => Some(
            if server.mysql_from(8, 0, 28) || server.mariadb_from(10, 3, 0) {
                Lock::mysql(Instant, NoLock, TableWork::None)
            } else {
                Lock::mysql(Inplace, NoLock, TableWork::None)
            },
        ),
        OpKind::AlterColumnType { new_type, .. } => Some(column_change(
            server,
            before,
            &ColumnDef {
                ty: Some(new_type.clone()),
                ..before.cloned().unwrap_or_else(|| ColumnDef::new("", None))
            },
            false,
            source,
        )),
        OpKind::RedefineColumn {
            definition,
            reorders,
            ..
        } => Some(column_change(server, before, definition, *reorders, source)),
        OpKind::SetNotNull { .. } => Some(server.rebuild().because("NULL to NOT NULL rebuilds the table")),
        OpKind::DropNotNull { .. } => Some(server.rebuild().because("NOT NULL to NULL rebuilds the table")),
        OpKind::SetDefault { .. } | OpKind::DropDefault { .. } => Some(server.metadata_only()),
        OpKind::CreateIndex { .. } => Some(
            if has_words(source, "FULLTEXT") || has_words(source, "SPATIAL") {
                Lock::mysql(Inplace, Shared, TableWork::Scan)
                    .because("a FULLTEXT or SPATIAL index blocks writes while it is built")
            } else {
                server.index_build()
            },
        ),
        OpKind::DropIndex { .. } => Some(if server.mariadb_from(10, 3, 0) {
            Lock::mysql(Nocopy, NoLock, TableWork::None)
        } else {
            Lock::mysql(Inplace, NoLock, TableWork::None)
        }),
        OpKind::RenameIndex { .. } => Some(server.metadata_only()),
        OpKind::AddConstraint { constraint, .. } => Some(match &constraint.kind {
            ConstraintKind::PrimaryKey => server
                .rebuild()
                .because("the clustered index is rebuilt on the new key"),
            ConstraintKind::Unique => server.index_build(),
            ConstraintKind::ForeignKey { .. } => {
                copy("a foreign key is added in place only with foreign_key_checks=0")
            }
            ConstraintKind::Check { .. } => copy("every row is checked in a copy of the table"),
        }),
        OpKind::DropConstraint { name, .. } if name.eq_ignore_ascii_case("PRIMARY") => {
            if has_words(source, "ADD PRIMARY KEY") {
                Some(server.rebuild().because("the clustered index is rebuilt on the new key"))
            } else {
                Some(copy("dropping the primary key without adding one copies the table"))
            }
        }
        OpKind::DropConstraint { .. } => Some(if server.mariadb_from(10, 3, 0) {
            Lock::mysql(Instant, NoLock, TableWork::None)
        } else {
            Lock::mysql(Inplace, NoLock, TableWork::None)
        }),
        OpKind::DataChange { .. } if has_words(source, "TRUNCATE") => Some(
            Lock::postgres(Exclusive, TableWork::None).because("TRUNCATE drops and recreates the table"),
        ),
        OpKind::DataChange { .. } => Some(Lock::postgres(LockMode::Rows, TableWork::None)),
        OpKind::NoEffect { .. } => table_options(server, source),
        OpKind::Comment { .. } => Some(server.metadata_only()),
        OpKind::Unsupported { .. } | OpKind::Unreadable { .. } => {
            Some(Lock::postgres(LockMode::Unknown, TableWork::Unknown))
        }
        // PostgreSQL-only statements read in the MySQL dialect: the server rejects them.
        OpKind::ValidateConstraint { .. }
        | OpKind::SetIdentity { .. }
        | OpKind::RenameConstraint { .. }
        | OpKind::CreatePartition { .. }
        | OpKind::AttachPartition { .. }
        | OpKind::DetachPartition { .. }
        | OpKind::AlterConstraint { .. } => Some(Lock::postgres(LockMode::Unknown, TableWork::Unknown)),
    }
}

/// `ALTER TABLE` that changes only table options, and maintenance statements.
fn table_options(server: Server, source: &str) -> Option<Lock> {
    if has_words(source, "OPTIMIZE TABLE") {
        return Some(server.rebuild().because("OPTIMIZE TABLE rebuilds InnoDB tables"));
    }
    if !has_words(source, "ALTER TABLE") {
        return None;
    }
    if has_words(source, "CONVERT TO") {
        Some(copy("converting the character set copies the table"))
    } else if has_words(source, "ENGINE") || has_words(source, "ROW_FORMAT") || has_words(source, "FORCE") {
        Some(server.rebuild())
    } else if has_words(source, "AUTO_INCREMENT") {
        Some(Lock::mysql(Inplace, NoLock, TableWork::None))
    } else {
        Some(Lock::postgres(LockMode::Unknown, TableWork::Unknown))
    }
}

fn add_column(server: Server, column: &ColumnDef, source: &str) -> Lock {
    if column.auto_increment {
        return Lock::mysql(Inplace, Shared, TableWork::Rewrite)
            .because("an AUTO_INCREMENT column blocks writes while the table is rebuilt");
    }
    if column.generated {
        if has_words(source, "STORED") || has_words(source, "PERSISTENT") {
            return copy("a stored generated column is computed in a copy of the table");
        }
        return server.metadata_only();
    }
    if let Some(function) = column.default.as_deref().and_then(volatile_call) {
        if !is_constant_function(&function) {
            return copy(format!("{function}() gives each row its own value"));
        }
    }
    if column.primary_key || column.unique {
        return server.rebuild().because("the new column is indexed");
    }
    let placed = has_words(source, "FIRST") || has_words(source, "AFTER");
    let instant = match server.kind {
        MysqlServer::Mysql => {
            server.release.at_least(8, 0, 29) || (!placed && server.release.at_least(8, 0, 12))
        }
        MysqlServer::Mariadb => {
            server.release.at_least(10, 4, 0) || (!placed && server.release.at_least(10, 3, 2))
        }
    };
    if instant {
        return Lock::mysql(Instant, NoLock, TableWork::None);
    }
    let from = match (server.kind, placed) {
        (MysqlServer::Mysql, false) => "MySQL 8.0.12",
        (MysqlServer::Mysql, true) => "MySQL 8.0.29 (8.0.12 at the end of the table)",
        (MysqlServer::Mariadb, false) => "MariaDB 10.3.2",
        (MysqlServer::Mariadb, true) => "MariaDB 10.4 (10.3.2 at the end of the table)",
    };
    server.rebuild().because(format!("instant from {from}"))
}

/// MySQL's expression defaults allow these without a copy: one value for every row.
fn is_constant_function(name: &str) -> bool {
    matches!(name, "now" | "current_timestamp" | "localtime" | "localtimestamp")
}

/// `MODIFY` / `CHANGE` / a type change: the worst of what each changed part needs.
fn column_change(
    server: Server,
    before: Option<&ColumnDef>,
    after: &ColumnDef,
    reorders: bool,
    source: &str,
) -> Lock {
    let Some(before) = before.filter(|b| b.ty.is_some()) else {
        return copy("the old type is not known, so the change may copy the table");
    };
    let bytes_per_char = max_bytes_per_char(charset_named(source).as_deref());
    let mut parts: Vec<Lock> = Vec::new();
    if let Some(reason) = type_copy_reason(before.ty.as_ref(), after.ty.as_ref(), bytes_per_char) {
        parts.push(copy(reason));
    } else if before.ty != after.ty {
        // A longer VARCHAR within its length prefix, or ENUM members appended.
        let enum_append = after.ty.as_ref().is_some_and(|t| !t.values.is_empty());
        parts.push(if enum_append || server.mariadb_from(10, 4, 0) {
            server.metadata_only()
        } else {
            Lock::mysql(Inplace, NoLock, TableWork::None)
        });
    }
    if after.auto_increment && !before.auto_increment {
        parts.push(copy("adding AUTO_INCREMENT copies the table"));
    }
    if before.auto_increment && !after.auto_increment {
        // MySQL refuses an auto-increment column change in place (error 1787); MariaDB
        // changes only the metadata (checked on 10.11).
        parts.push(match server.kind {
            MysqlServer::Mysql => copy("MySQL changes an AUTO_INCREMENT column only by copying the table"),
            MysqlServer::Mariadb => server.metadata_only(),
        });
    }
    if after.collation.is_some() && after.collation != before.collation {
        parts.push(copy("a new character set or collation copies the table"));
    }
    if after.nullable != before.nullable {
        parts.push(server.rebuild().because("a change of nullability rebuilds the table"));
    }
    if reorders {
        parts.push(if server.mariadb_from(10, 4, 0) {
            Lock::mysql(Instant, NoLock, TableWork::None)
        } else {
            server.rebuild().because("moving a column (FIRST / AFTER) rebuilds the table")
        });
    }
    if after.name != before.name && !after.name.is_empty() {
        parts.push(if server.mysql_from(8, 0, 28) || server.mariadb_from(10, 3, 0) {
            Lock::mysql(Instant, NoLock, TableWork::None)
        } else {
            Lock::mysql(Inplace, NoLock, TableWork::None)
        });
    }
    if after.default != before.default {
        parts.push(server.metadata_only());
    }
    parts
        .into_iter()
        .max_by_key(cost)
        .unwrap_or_else(|| Lock::mysql(Instant, NoLock, TableWork::None))
}

/// Orders answers from cheapest to dearest.
fn cost(lock: &Lock) -> (u8, TableWork, u8) {
    let algorithm = match lock.algorithm {
        Some(Instant) => 0,
        Some(Nocopy) => 1,
        Some(Inplace) | None => 2,
        Some(Copy) => 3,
    };
    let mode = match lock.mode {
        NoLock => 0,
        Shared => 1,
        _ => 2,
    };
    (algorithm, lock.table, mode)
}

/// The most bytes one character may take in a column: one value for a named MySQL character
/// set, every value that a common set has when the statement names none (or one this table
/// does not list).
pub fn max_bytes_per_char(charset: Option<&str>) -> &'static [u64] {
    match charset.map(str::to_ascii_lowercase).as_deref() {
        Some("latin1" | "ascii" | "binary" | "latin2" | "cp1250" | "cp1251" | "cp1252") => &[1],
        Some("ucs2") => &[2],
        Some("utf8" | "utf8mb3") => &[3],
        Some("utf8mb4") => &[4],
        _ => &[1, 2, 3, 4],
    }
}

/// The character set a statement names (`CHARACTER SET x`, `CHARSET x`, `CHARSET=x`).
pub fn charset_named(source: &str) -> Option<String> {
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

/// Why changing the type `old` to `new` copies the table, or `None` when it need not.
/// `bytes_per_char` holds the most bytes a character may take in the column's character
/// set (several values when the set is not known: the change must be in place in each).
/// A `VARCHAR` length counts characters but its length prefix counts bytes: one byte up to
/// 255 bytes, two above, and a change of prefix size copies.
pub fn type_copy_reason(
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
