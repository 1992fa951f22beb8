//! SQL statement splitting, lowering, replay and judgement in every dialect: the first byte
//! picks the dialect, the rest is the migration text.
#![no_main]

use balrog_schema_lint::catalog::Catalog;
use balrog_schema_lint::classify::judge_range;
use balrog_schema_lint::model::ops::{Dialect, Direction, OpKind};
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
        // Every operation points at a line of the file and can be described.
        assert!(op.line >= 1 && op.line <= lines, "line {} of {lines}", op.line);
        assert!(!op.kind.describe().is_empty());
        // What the tool cannot read or does not model says what it is.
        match &op.kind {
            OpKind::Unreadable { error } => assert!(!error.is_empty(), "{op:?}"),
            OpKind::Unsupported { what, .. } => assert!(!what.is_empty(), "{op:?}"),
            _ => {}
        }
    }
    // Replaying and judging whatever was read never panics, gives one judgement per
    // operation, and never calls something it could not read safe.
    let judged = judge_range(&Catalog::new(dialect), &parsed.operations);
    assert_eq!(judged.judgements.len(), parsed.operations.len());
    for (op, judgement) in parsed.operations.iter().zip(&judged.judgements) {
        if let OpKind::Unreadable { .. } | OpKind::Unsupported { .. } = op.kind {
            assert_eq!(judgement.direction, Direction::NeedsReview, "{op:?}");
        }
    }
    let _ = judged.after.to_ddl(dialect);
});
