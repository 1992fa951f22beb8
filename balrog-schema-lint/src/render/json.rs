//! JSON rendering: the serde form of the report, pretty-printed.

use std::io::{self, Write};

use crate::report::Report;

/// The report as a pretty-printed JSON document with a trailing newline.
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
pub fn write(report: &Report, mut out: impl Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, report)?;
    out.write_all(b"\n")?;
    out.flush()
}
