//! PostgreSQL: the table lock mode of each statement (manual, "Explicit Locking", 13.3.1, and
//! each statement's page) and whether it rewrites or scans the table (`ALTER TABLE`, Notes).

use super::{has_words, unquoted};
use crate::model::lock::{Lock, LockMode, TableWork, Version};
use crate::model::ops::{ColumnDef, ConstraintKind, DataChangeKind, OpKind, Operation, SqlType};

use LockMode::{AccessExclusive, Exclusive, RowExclusive, Share, ShareRowExclusive, ShareUpdateExclusive};

fn pg(mode: LockMode, table: TableWork) -> Option<Lock> {
    Some(Lock::postgres(mode, table))
}

pub(super) fn lock(op: &Operation, before: Option<&ColumnDef>, release: Version) -> Option<Lock> {
    let source = op.source.as_str();
    match &op.kind {
        // New objects: nothing production uses is locked.
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
        | OpKind::DropDomainConstraint { .. }
        | OpKind::SetDomainDefault { .. }
        | OpKind::CreateSchema { .. }
        | OpKind::DropSchema { .. }
        | OpKind::CreateExtension { .. }
        | OpKind::DropExtension { .. }
        | OpKind::CreateTableLike { .. }
        | OpKind::AlterObject { .. } => None,
        // A rule on a table (the only named object with one) locks it like ALTER TABLE.
        OpKind::CreateObject { table, .. } | OpKind::DropObject { table, .. } => table
            .as_ref()
            .map(|_| Lock::postgres(AccessExclusive, TableWork::None)),
        OpKind::AlterConstraint { .. } => pg(AccessExclusive, TableWork::None),
        OpKind::CreateView { or_replace, .. } => {
            or_replace.then(|| Lock::postgres(AccessExclusive, TableWork::None))
        }
        OpKind::DropTable { .. }
        | OpKind::RenameTable { .. }
        | OpKind::DropView { .. }
        | OpKind::DropColumn { .. }
        | OpKind::RenameColumn { .. }
        | OpKind::DropNotNull { .. }
        | OpKind::SetDefault { .. }
        | OpKind::DropDefault { .. }
        | OpKind::DropConstraint { .. }
        | OpKind::RenameConstraint { .. }
        | OpKind::SetIdentity { .. }
        | OpKind::DropTrigger { .. }
        | OpKind::RenameTrigger { .. }
        | OpKind::SetRowSecurity { .. }
        | OpKind::CreatePolicy { .. }
        | OpKind::AlterPolicy { .. }
        | OpKind::DropPolicy { .. } => pg(AccessExclusive, TableWork::None),
        OpKind::AddColumn { column, .. } => Some(add_column(column, source, release)),
        OpKind::AlterColumnType { new_type, .. } => {
            Some(type_change(before.and_then(|c| c.ty.as_ref()), Some(new_type)))
        }
        OpKind::RedefineColumn { definition, .. } => Some(type_change(
            before.and_then(|c| c.ty.as_ref()),
            definition.ty.as_ref(),
        )),
        OpKind::SetNotNull { .. } => Some(
            Lock::postgres(AccessExclusive, TableWork::Scan).because(
                "every row is checked for NULL (from 12, skipped when a valid CHECK (col IS NOT NULL) proves it)",
            ),
        ),
        OpKind::CreateIndex { concurrently, .. } => Some(if *concurrently {
            Lock::postgres(ShareUpdateExclusive, TableWork::Scan)
                .because("CONCURRENTLY: reads and writes go on while the index is built")
        } else {
            Lock::postgres(Share, TableWork::Scan).because("writes wait until the index is built")
        }),
        OpKind::DropIndex { concurrently, .. } => Some(if *concurrently {
            Lock::postgres(ShareUpdateExclusive, TableWork::None)
        } else {
            Lock::postgres(AccessExclusive, TableWork::None)
        }),
        OpKind::AddConstraint { constraint, .. } => Some(match &constraint.kind {
            ConstraintKind::ForeignKey { .. } if constraint.not_valid => {
                Lock::postgres(ShareRowExclusive, TableWork::None)
                    .because("on both tables; NOT VALID: existing rows are not checked")
            }
            ConstraintKind::ForeignKey { .. } => Lock::postgres(ShareRowExclusive, TableWork::Scan)
                .because("on both tables; every row is checked against the referenced table"),
            ConstraintKind::Check { .. } if constraint.not_valid => {
                Lock::postgres(AccessExclusive, TableWork::None)
                    .because("NOT VALID: existing rows are not checked")
            }
            ConstraintKind::Check { .. } => Lock::postgres(AccessExclusive, TableWork::Scan)
                .because("every row is checked"),
            ConstraintKind::PrimaryKey | ConstraintKind::Unique
                if has_words(source, "USING INDEX") =>
            {
                Lock::postgres(AccessExclusive, TableWork::None)
                    .because("USING INDEX: the index is already built")
            }
            ConstraintKind::PrimaryKey | ConstraintKind::Unique => {
                Lock::postgres(AccessExclusive, TableWork::Scan)
                    .because("the unique index is built while every read and write waits")
            }
        }),
        OpKind::ValidateConstraint { .. } => Some(
            Lock::postgres(ShareUpdateExclusive, TableWork::Scan)
                .because("reads and writes go on while the rows are checked"),
        ),
        OpKind::RenameIndex { .. } => Some(if release.major >= 12 {
            Lock::postgres(ShareUpdateExclusive, TableWork::None)
        } else {
            Lock::postgres(AccessExclusive, TableWork::None)
        }),
        OpKind::DataChange { change, .. } => {
            if *change == DataChangeKind::Delete && has_words(source, "TRUNCATE") {
                Some(Lock::postgres(AccessExclusive, TableWork::None).because("TRUNCATE empties the table"))
            } else {
                pg(RowExclusive, TableWork::None)
            }
        }
        OpKind::NoEffect { .. } | OpKind::Maintenance { .. } => maintenance(source),
        OpKind::DropDatabase { .. } => None,
        OpKind::Unsupported { .. } | OpKind::Unreadable { .. } => {
            pg(LockMode::Unknown, TableWork::Unknown)
        }
        OpKind::CreateTrigger { .. } | OpKind::SetTriggerEnabled { .. } => {
            pg(ShareRowExclusive, TableWork::None)
        }
        OpKind::Comment { .. } => pg(ShareUpdateExclusive, TableWork::None),
        OpKind::AddDomainConstraint { .. } => Some(
            Lock::postgres(Share, TableWork::Scan)
                .because("on every table with a column of the domain, whose rows are checked"),
        ),
        OpKind::SetDomainNotNull { not_null, .. } => Some(if *not_null {
            Lock::postgres(Share, TableWork::Scan)
                .because("on every table with a column of the domain, whose rows are checked")
        } else {
            Lock::postgres(Share, TableWork::None)
        }),
        OpKind::CreatePartition { .. } => pg(AccessExclusive, TableWork::None),
        OpKind::AttachPartition { .. } => Some(if release.major >= 12 {
            Lock::postgres(ShareUpdateExclusive, TableWork::Scan).because(
                "ACCESS EXCLUSIVE on the partition, whose rows are checked against the bound unless a CHECK proves it",
            )
        } else {
            Lock::postgres(AccessExclusive, TableWork::Scan)
                .because("the partition's rows are checked against the bound unless a CHECK proves it")
        }),
        OpKind::DetachPartition { concurrently, .. } => Some(
            if release.major >= 14 && *concurrently {
                Lock::postgres(ShareUpdateExclusive, TableWork::None)
            } else {
                Lock::postgres(AccessExclusive, TableWork::None)
            },
        ),
    }
}

/// Statements with no schema effect that still lock (and sometimes rewrite) a table.
fn maintenance(source: &str) -> Option<Lock> {
    let first = unquoted(source)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    match first.as_str() {
        "VACUUM" if has_words(source, "FULL") => Some(
            Lock::postgres(AccessExclusive, TableWork::Rewrite).because("VACUUM FULL writes a new copy of the table"),
        ),
        "VACUUM" | "ANALYZE" => pg(ShareUpdateExclusive, TableWork::Scan),
        "CLUSTER" => Some(
            Lock::postgres(AccessExclusive, TableWork::Rewrite).because("CLUSTER writes a new copy of the table in index order"),
        ),
        "REINDEX" if has_words(source, "CONCURRENTLY") => pg(ShareUpdateExclusive, TableWork::Scan),
        "REINDEX" => Some(
            Lock::postgres(Share, TableWork::Scan)
                .because("writes wait, and reads that would use the index wait (ACCESS EXCLUSIVE on the index)"),
        ),
        "REFRESH" if has_words(source, "CONCURRENTLY") => pg(Exclusive, TableWork::Rewrite),
        "REFRESH" => pg(AccessExclusive, TableWork::Rewrite),
        "LOCK" => pg(LockMode::Unknown, TableWork::None),
        _ => None,
    }
}

/// `ADD COLUMN`: instant unless every existing row needs a value computed for it.
fn add_column(column: &ColumnDef, source: &str, release: Version) -> Lock {
    let serial = column.ty.as_ref().is_some_and(|t| {
        matches!(
            t.name.as_str(),
            "SERIAL" | "BIGSERIAL" | "SMALLSERIAL" | "SERIAL2" | "SERIAL4" | "SERIAL8"
        )
    });
    if serial || column.auto_increment {
        return Lock::postgres(AccessExclusive, TableWork::Rewrite)
            .because("every row gets a value from the sequence");
    }
    if column.generated {
        // PostgreSQL 18 computes virtual generated columns on read; STORED ones (the only
        // kind before 18) are written into every row.
        let virtual_column = release.major >= 18 && !has_words(source, "STORED");
        if !virtual_column {
            return Lock::postgres(AccessExclusive, TableWork::Rewrite)
                .because("a stored generated column is computed and written for every row");
        }
        return Lock::postgres(AccessExclusive, TableWork::None);
    }
    match column.default.as_deref() {
        Some(default) if !is_null(default) => {
            if let Some(function) = volatile_call(default) {
                Lock::postgres(AccessExclusive, TableWork::Rewrite).because(format!(
                    "{function}() is volatile (or not known to be stable), so a value is computed for every row"
                ))
            } else if release.major < 11 {
                Lock::postgres(AccessExclusive, TableWork::Rewrite)
                    .because("before PostgreSQL 11 any non-NULL default is written into every row")
            } else {
                Lock::postgres(AccessExclusive, TableWork::None)
            }
        }
        _ => Lock::postgres(AccessExclusive, TableWork::None),
    }
}

fn is_null(default: &str) -> bool {
    default.trim().eq_ignore_ascii_case("NULL")
}

/// Functions known not to be volatile (stable or immutable: one value per statement), so
/// a default calling them is evaluated once and stored in the catalog (PostgreSQL 11+).
/// Any other function counts as volatile: the tool cannot see its definition.
const NOT_VOLATILE: [&str; 52] = [
    "now",
    "current_timestamp",
    "current_date",
    "current_time",
    "localtime",
    "localtimestamp",
    "transaction_timestamp",
    "statement_timestamp",
    "current_user",
    "session_user",
    "current_schema",
    "current_setting",
    "cast",
    "coalesce",
    "nullif",
    "greatest",
    "least",
    "lower",
    "upper",
    "trim",
    "btrim",
    "ltrim",
    "rtrim",
    "length",
    "concat",
    "concat_ws",
    "substring",
    "substr",
    "replace",
    "md5",
    "to_char",
    "to_date",
    "to_timestamp",
    "to_number",
    "date_trunc",
    "date_part",
    "extract",
    "timezone",
    "make_date",
    "make_time",
    "make_interval",
    "make_timestamp",
    "make_timestamptz",
    "json_build_object",
    "jsonb_build_object",
    "json_build_array",
    "jsonb_build_array",
    "array",
    "row",
    "abs",
    "round",
    "format",
];

/// The first function a default expression calls that is not known to be stable or
/// immutable, if any: `gen_random_uuid`, `nextval`, `my_function`. Names inside string
/// literals are not calls; a schema prefix (`public.f()`) is dropped.
pub fn volatile_call(default: &str) -> Option<String> {
    let text = unquoted(default).to_ascii_lowercase();
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == '_' || bytes[i] == '.') {
                i += 1;
            }
            let word: String = bytes[start..i].iter().collect();
            let mut j = i;
            while j < bytes.len() && bytes[j].is_whitespace() {
                j += 1;
            }
            // `'x'::text[]` and `::varchar(10)` are casts, not calls.
            let before: String = bytes[..start].iter().collect();
            let cast = before.trim_end().ends_with("::");
            if bytes.get(j) == Some(&'(') && !cast {
                let name = word.rsplit('.').next().unwrap_or(&word).to_string();
                if !NOT_VOLATILE.contains(&name.as_str()) && !is_type_name(&name) {
                    return Some(name);
                }
            }
        } else {
            i += 1;
        }
    }
    None
}

/// Type names that take parameters in a cast (`CAST(x AS varchar(10))`).
fn is_type_name(name: &str) -> bool {
    matches!(
        name,
        "varchar" | "char" | "character" | "numeric" | "decimal" | "timestamp" | "timestamptz"
            | "time" | "interval" | "bit" | "varbit"
    )
}

fn base(ty: &SqlType) -> &str {
    match ty.name.as_str() {
        "CHARACTER VARYING" => "VARCHAR",
        "DECIMAL" => "NUMERIC",
        "INT" | "INT4" => "INTEGER",
        "INT8" => "BIGINT",
        "INT2" => "SMALLINT",
        "BIT VARYING" => "VARBIT",
        "TIMESTAMP WITH TIME ZONE" => "TIMESTAMPTZ",
        "TIMESTAMP WITHOUT TIME ZONE" => "TIMESTAMP",
        other => other,
    }
}

/// Whether PostgreSQL changes a column from `old` to `new` without rewriting the table: the
/// same type, a binary-coercible one (`varchar` and `text`), or a looser type modifier
/// (`varchar(n)` to `varchar(m >= n)`, `numeric(p, s)` to `numeric(q >= p, s)` or
/// unconstrained, `varbit(n)` to a longer one).
pub fn binary_coercible(old: &SqlType, new: &SqlType) -> bool {
    let (o, n) = (base(old), base(new));
    let text_like = |t: &str| matches!(t, "TEXT" | "VARCHAR");
    if o == n && old.params == new.params {
        return true;
    }
    match (o, n) {
        ("VARCHAR", "VARCHAR") | ("VARBIT", "VARBIT") => match (old.params.first(), new.params.first()) {
            (_, None) => true,
            (Some(a), Some(b)) => a <= b,
            (None, Some(_)) => false,
        },
        ("NUMERIC", "NUMERIC") => match (old.params.as_slice(), new.params.as_slice()) {
            (_, []) => true,
            ([p], [q]) => p <= q,
            ([p, s], [q, t]) => p <= q && s == t,
            ([p], [q, 0]) => p <= q,
            ([p, 0], [q]) => p <= q,
            _ => false,
        },
        // varchar to text and back to an unbounded varchar keep the bytes as they are.
        (a, "TEXT") if text_like(a) => true,
        ("TEXT", "VARCHAR") => new.params.is_empty(),
        ("CIDR", "INET") => true,
        ("XML", "TEXT") => true,
        _ => false,
    }
}

/// `ALTER COLUMN .. TYPE`: instant when binary-coercible, else every row and index is
/// rewritten. An unknown old type may rewrite.
fn type_change(old: Option<&SqlType>, new: Option<&SqlType>) -> Lock {
    match (old, new) {
        (Some(old), Some(new)) if binary_coercible(old, new) => {
            Lock::postgres(AccessExclusive, TableWork::None)
                .because(format!("{old} to {new} is binary-coercible"))
        }
        (Some(old), Some(new)) => Lock::postgres(AccessExclusive, TableWork::Rewrite)
            .because(format!("{old} to {new} is not binary-coercible")),
        _ => Lock::postgres(AccessExclusive, TableWork::Rewrite)
            .because("the old type is not known, so the change may rewrite the table"),
    }
}
