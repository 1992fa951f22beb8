//! SQL statement splitting and lowering in every dialect: the first byte picks the dialect,
//! the rest is the migration text.
#![no_main]

use balrog_schema_lint::model::ops::{Dialect, OpKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let dialect = match first % 4 {
        0 => Dialect::Mysql,
        1 => Dialect::Postgres,
        2 => Dialect::Sqlite,
        _ => Dialect::Generic,
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let parsed = balrog_schema_lint::read::sql::read_sql_migration(text, dialect);
    let lines = text.lines().count().max(1) as u32 + 1;
    for op in &parsed.operations {
        // Every operation points at a line of the file.
        assert!(op.line >= 1 && op.line <= lines, "line {} of {lines}", op.line);
        let _ = op.kind.describe();
        if let OpKind::Unsupported { .. } | OpKind::Unreadable { .. } = op.kind {
            continue;
        }
    }
});
