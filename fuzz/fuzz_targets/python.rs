//! The static Python migration reader (Alembic and sqlalchemy-migrate).
#![no_main]

use balrog_schema_lint::model::ops::Dialect;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let dialect = if first & 1 == 0 {
        Dialect::Mysql
    } else {
        Dialect::Postgres
    };
    let parsed = if first & 2 == 0 {
        balrog_schema_lint::read::python::read_alembic(text, dialect)
    } else {
        balrog_schema_lint::read::python::read_sqlalchemy_migrate(text, dialect)
    };
    // Python ends lines at `\n`, `\r\n` and a lone `\r` (so do the reported lines); one
    // more for an error at the end of the file.
    let breaks = text.matches('\n').count() + text.matches('\r').count()
        - text.matches("\r\n").count();
    let lines = breaks as u32 + 2;
    for op in &parsed.operations {
        assert!(op.line >= 1 && op.line <= lines, "line {} of {lines}", op.line);
        let _ = op.kind.describe();
    }
});
