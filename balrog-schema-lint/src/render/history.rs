//! The history as text (a table and a tally of verdicts) or JSON.

use std::fmt::Write;

use crate::model::finding::Verdict;
use crate::report::History;

/// The history as a pretty-printed JSON document with a trailing newline.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = balrog_schema_lint::HistoryRequest { repo: dir.path().to_path_buf(), ..Default::default() };
/// let found = balrog_schema_lint::history(&request, &mut |_| {})?;
/// let json = balrog_schema_lint::render::history::render_json(&found);
/// assert!(json.ends_with("}\n"));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn render_json(history: &History) -> String {
    let mut text = serde_json::to_string_pretty(history)
        .unwrap_or_else(|err| format!("{{\"error\": \"cannot serialise the history: {err}\"}}"));
    text.push('\n');
    text
}

/// The history as a text table, one row per pair, and a tally of verdicts.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = balrog_schema_lint::HistoryRequest { repo: dir.path().to_path_buf(), ..Default::default() };
/// let found = balrog_schema_lint::history(&request, &mut |_| {})?;
/// let table = balrog_schema_lint::render::history::render_text(&found);
/// assert!(table.starts_with("FROM"));
/// assert!(table.contains("2 pairs: 1 additive, 1 destructive."));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn render_text(history: &History) -> String {
    const HEADERS: [&str; 8] = [
        "FROM",
        "TO",
        "VERDICT",
        "MIGRATIONS",
        "OPERATIONS",
        "ERRORS",
        "WARNINGS",
        "FIRST STEP",
    ];
    if history.pairs.is_empty() {
        return "No pair of release tags (vX.Y, vX.Y.Z, X.Y.Z) in the range.\n".to_string();
    }
    let rows: Vec<[String; 8]> = history
        .pairs
        .iter()
        .map(|p| {
            [
                p.from.clone(),
                p.to.clone(),
                p.verdict.name().to_string(),
                p.counts.migrations.to_string(),
                p.counts.operations.to_string(),
                p.counts.errors.to_string(),
                p.counts.warnings.to_string(),
                p.first_step(),
            ]
        })
        .collect();
    let mut widths = HEADERS.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: [&str; 8]| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            // Counts are right-aligned, names left-aligned; the last column is not padded.
            let _ = match i {
                3..=6 => write!(text, "{cell:>width$}  "),
                7 => write!(text, "{cell}"),
                _ => write!(text, "{cell:<width$}  "),
            };
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(HEADERS);
    for row in &rows {
        line(row.each_ref().map(String::as_str));
    }
    let mut tally: Vec<(Verdict, usize)> = Vec::new();
    for pair in &history.pairs {
        match tally.iter_mut().find(|(v, _)| *v == pair.verdict) {
            Some((_, n)) => *n += 1,
            None => tally.push((pair.verdict, 1)),
        }
    }
    tally.sort();
    let tally: Vec<String> = tally
        .iter()
        .map(|(v, n)| format!("{n} {}", v.name()))
        .collect();
    let _ = writeln!(
        out,
        "\n{} pair{}: {}.",
        history.pairs.len(),
        if history.pairs.len() == 1 { "" } else { "s" },
        tally.join(", ")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finding::Severity;
    use crate::report::fixtures;

    #[test]
    fn text_table_snapshot() {
        insta::assert_snapshot!("history_text", render_text(&fixtures::history()));
    }

    #[test]
    fn json_has_the_documented_shape() {
        let doc: serde_json::Value =
            serde_json::from_str(&render_json(&fixtures::history())).unwrap();
        assert_eq!(doc["schema_version"], 1);
        let first = &doc["pairs"][0];
        assert_eq!(first["from"], "v4.12");
        assert_eq!(first["to"], "v4.13");
        assert_eq!(first["verdict"], "destructive");
        assert_eq!(
            first["plan"]["steps"][0]["services"][0],
            "balrog-production"
        );
        assert_eq!(first["counts"]["warnings"], 2);
        assert_eq!(doc["pairs"][1]["verdict"], "mixed");
    }

    #[test]
    fn fails_at_follows_the_counts() {
        let history = fixtures::history();
        let (destructive, mixed) = (&history.pairs[0], &history.pairs[1]);
        assert!(!destructive.fails_at(Severity::Error));
        assert!(destructive.fails_at(Severity::Warning));
        assert!(mixed.fails_at(Severity::Error));
        assert_eq!(mixed.first_step(), "(no safe order)");
        assert_eq!(destructive.first_step(), "balrog-production");
    }

    #[test]
    fn an_empty_history_says_so() {
        let empty = History {
            schema_version: crate::report::HISTORY_SCHEMA_VERSION,
            pairs: Vec::new(),
        };
        assert!(render_text(&empty).starts_with("No pair of release tags"));
    }
}
