//! JSON rendering: the serde form of the report, pretty-printed.

use super::Report;

/// The report as a pretty-printed JSON document with a trailing newline.
pub fn render(report: &Report) -> String {
    // Serialising plain data with string keys cannot fail.
    let mut text = serde_json::to_string_pretty(report)
        .unwrap_or_else(|err| format!("{{\"error\": \"cannot serialise the report: {err}\"}}"));
    text.push('\n');
    text
}
