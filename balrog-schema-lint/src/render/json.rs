//! JSON rendering: the serde form of the report, pretty-printed.

use std::io::{self, Write};

use crate::report::Report;

/// The report as a pretty-printed JSON document with a trailing newline.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let report = balrog_schema_lint::check(&balrog_schema_lint::CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.40".into()),
///     to: Some("v3.41".into()),
///     ..Default::default()
/// })?;
/// let json = balrog_schema_lint::render::json::render(&report);
/// assert!(json.contains("\"verdict\": \"destructive\""));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing plain data with string keys into memory cannot fail.
    match write(report, &mut out) {
        // serde_json writes UTF-8 only.
        Ok(()) => String::from_utf8(out)
            .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned()),
        Err(err) => format!("{{\"error\": \"cannot serialise the report: {err}\"}}\n"),
    }
}

/// Writes what [`render`] returns straight to `out`, without building it in memory first
/// (a report over hundreds of migrations runs to megabytes).
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let report = balrog_schema_lint::check(&balrog_schema_lint::CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.40".into()),
///     to: Some("v3.41".into()),
///     ..Default::default()
/// })?;
/// let mut out = Vec::new();
/// balrog_schema_lint::render::json::write(&report, &mut out).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), balrog_schema_lint::render::json::render(&report));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn write(report: &Report, mut out: impl Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, report)?;
    out.write_all(b"\n")?;
    out.flush()
}
