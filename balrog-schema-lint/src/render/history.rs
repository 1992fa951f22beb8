//! The history as text (a table and a tally of verdicts) or JSON, written pair by pair as
//! [`history_each`](crate::history_each) checks them.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use crate::model::dialect_source::DialectSource;
use crate::model::finding::Verdict;
use crate::model::ops::Dialect;
use crate::model::profile::Profile;
use crate::report::{History, HistoryHeader, Pair, HISTORY_SCHEMA_VERSION};

/// The forms a history is written in.
///
/// ```
/// use balrog_schema_lint::render::history::HistoryFormat;
/// assert_ne!(HistoryFormat::Text, HistoryFormat::Json);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryFormat {
    /// A table, one row per pair, and a tally of verdicts.
    Text,
    /// The [`History`] document, pretty-printed.
    Json,
}

/// Writes a history as its pairs arrive, so that none is kept: the start of the document
/// from the [`HistoryHeader`], each [`Pair`] as it is checked, and the end (the JSON
/// document's close, the text's tally) from [`HistoryWriter::finish`]. The output is the
/// same as [`render_text`] or [`render_json`] of the whole history.
///
/// ```
/// use std::ops::ControlFlow;
/// use balrog_schema_lint::render::history::{HistoryFormat, HistoryWriter};
/// use balrog_schema_lint::{history_each, HistoryEvent, HistoryRequest};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = HistoryRequest { repo: dir.path().to_path_buf(), ..HistoryRequest::default() };
/// let mut writer = None;
/// history_each(&request, &mut |event| {
///     match event {
///         HistoryEvent::Start(header) => {
///             writer = HistoryWriter::start(Vec::new(), HistoryFormat::Json, header).ok();
///         }
///         HistoryEvent::Pair(pair) => {
///             if let Some(w) = writer.as_mut() {
///                 if w.pair(&pair).is_err() {
///                     return ControlFlow::Break(());
///                 }
///             }
///         }
///         HistoryEvent::Progress(_) => {}
///     }
///     ControlFlow::Continue(())
/// })?;
/// let json = writer.expect("started").finish().expect("written");
/// let doc: serde_json::Value = serde_json::from_slice(&json).expect("whole JSON");
/// assert_eq!(doc["pairs"][1]["to"], "v3.42");
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug)]
pub struct HistoryWriter<W: Write> {
    out: W,
    format: HistoryFormat,
    /// Text: the width of each padded column (FROM, TO, VERDICT and the counts).
    widths: [usize; 7],
    pairs: usize,
    tally: Vec<(Verdict, usize)>,
    cuts: usize,
}

/// The text table's columns.
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

/// The history document up to its pairs, in [`History`]'s field order.
#[derive(Serialize)]
struct JsonStart<'h> {
    schema_version: u32,
    tags: &'h str,
    profile: Profile,
    dialect: Dialect,
    dialect_source: &'h DialectSource,
}

impl<W: Write> HistoryWriter<W> {
    /// Writes the start of the document.
    pub fn start(out: W, format: HistoryFormat, header: &HistoryHeader) -> io::Result<Self> {
        // Rows are written before all are known, so the columns are as wide as anything
        // that can be in them: the tag names (known), the longest verdict, and a count as
        // wide as its heading (a larger count shifts its row).
        let longest = |names: &[String]| names.iter().map(|n| n.chars().count()).max();
        let releases = &header.releases;
        let older = releases
            .get(..releases.len().saturating_sub(1))
            .unwrap_or(&[]);
        let newer = releases.get(1..).unwrap_or(&[]);
        let verdicts = [
            Verdict::None,
            Verdict::Additive,
            Verdict::Destructive,
            Verdict::Mixed,
            Verdict::Breaking,
            Verdict::NeedsReview,
        ]
        .iter()
        .map(|v| v.name().len())
        .max();
        let mut widths = [0; 7];
        for (i, width) in widths.iter_mut().enumerate() {
            let content = match i {
                0 => longest(older),
                1 => longest(newer),
                2 => verdicts,
                _ => None,
            };
            *width = HEADERS[i].len().max(content.unwrap_or(0));
        }
        let mut writer = HistoryWriter {
            out,
            format,
            widths,
            pairs: 0,
            tally: Vec::new(),
            cuts: 0,
        };
        match format {
            HistoryFormat::Text => {
                let mut text = format!(
                    "Release tags: {}; profile {}; dialect {} ({}).\n\n",
                    header.tags,
                    header.profile.name(),
                    header.dialect.name(),
                    header.dialect_source.describe()
                );
                if releases.len() < 2 {
                    text.push_str("Only one release tag in the range: no pair to compare.\n");
                } else {
                    writer.row(&mut text, HEADERS);
                }
                writer.out.write_all(text.as_bytes())?;
            }
            HistoryFormat::Json => {
                let start = JsonStart {
                    schema_version: HISTORY_SCHEMA_VERSION,
                    tags: &header.tags,
                    profile: header.profile,
                    dialect: header.dialect,
                    dialect_source: &header.dialect_source,
                };
                let text = serde_json::to_string_pretty(&start).map_err(io::Error::other)?;
                // The same document as `History`, up to its `pairs` array: the start
                // without its closing brace.
                let open = text.strip_suffix("\n}").unwrap_or(&text);
                write!(writer.out, "{open},\n  \"pairs\": [")?;
            }
        }
        Ok(writer)
    }

    /// Writes one pair.
    pub fn pair(&mut self, pair: &Pair) -> io::Result<()> {
        match self.tally.iter_mut().find(|(v, _)| *v == pair.verdict) {
            Some((_, n)) => *n += 1,
            None => self.tally.push((pair.verdict, 1)),
        }
        self.cuts += usize::from(pair.has_clean_cut());
        self.pairs += 1;
        match self.format {
            HistoryFormat::Text => {
                let cells = [
                    pair.from.clone(),
                    pair.to.clone(),
                    pair.verdict.name().to_string(),
                    pair.counts.migrations.to_string(),
                    pair.counts.operations.to_string(),
                    pair.counts.errors.to_string(),
                    pair.counts.warnings.to_string(),
                    pair.first_step(),
                ];
                let mut text = String::new();
                self.row(&mut text, cells.each_ref().map(String::as_str));
                self.out.write_all(text.as_bytes())
            }
            HistoryFormat::Json => {
                let text = serde_json::to_string_pretty(pair).map_err(io::Error::other)?;
                // Each pair sits two levels deep in the document. A JSON string holds no
                // raw line break, so every line break is the layout's.
                let separator = if self.pairs == 1 { "\n" } else { ",\n" };
                let mut indented = String::with_capacity(text.len() + text.len() / 8);
                indented.push_str(separator);
                for (i, line) in text.split('\n').enumerate() {
                    if i > 0 {
                        indented.push('\n');
                    }
                    indented.push_str("    ");
                    indented.push_str(line);
                }
                self.out.write_all(indented.as_bytes())
            }
        }
    }

    /// Writes the end of the document (the text's tally of verdicts, the JSON document's
    /// close), flushes, and gives the output back.
    pub fn finish(mut self) -> io::Result<W> {
        match self.format {
            HistoryFormat::Text if self.pairs > 0 => {
                self.tally.sort();
                let tally: Vec<String> = self
                    .tally
                    .iter()
                    .map(|(v, n)| match v {
                        Verdict::Mixed => {
                            format!("{n} {} ({} with a clean cut)", v.name(), self.cuts)
                        }
                        _ => format!("{n} {}", v.name()),
                    })
                    .collect();
                writeln!(
                    self.out,
                    "\n{} pair{}: {}.",
                    self.pairs,
                    if self.pairs == 1 { "" } else { "s" },
                    tally.join(", ")
                )?;
            }
            HistoryFormat::Text => {}
            HistoryFormat::Json if self.pairs > 0 => self.out.write_all(b"\n  ]\n}\n")?,
            HistoryFormat::Json => self.out.write_all(b"]\n}\n")?,
        }
        self.out.flush()?;
        Ok(self.out)
    }

    /// One line of the table: counts right-aligned, names left-aligned, the last column
    /// not padded.
    fn row(&self, out: &mut String, cells: [&str; 8]) {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let _ = match (i, self.widths.get(i)) {
                (3..=6, Some(width)) => write!(text, "{cell:>width$}  "),
                (_, Some(width)) => write!(text, "{cell:<width$}  "),
                (_, None) => write!(text, "{cell}"),
            };
        }
        let _ = writeln!(out, "{}", text.trim_end());
    }
}

/// What a finished history covered, for writing it again.
fn header_of(history: &History) -> HistoryHeader {
    let mut releases: Vec<String> = history.pairs.iter().map(|p| p.from.clone()).collect();
    releases.extend(history.pairs.last().map(|p| p.to.clone()));
    HistoryHeader {
        tags: history.tags.clone(),
        profile: history.profile,
        dialect: history.dialect,
        dialect_source: history.dialect_source.clone(),
        releases,
    }
}

/// A whole history written with a [`HistoryWriter`] into a string.
fn render(history: &History, format: HistoryFormat) -> String {
    let written =
        HistoryWriter::start(Vec::new(), format, &header_of(history)).and_then(|mut w| {
            history.pairs.iter().try_for_each(|pair| w.pair(pair))?;
            w.finish()
        });
    match written {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(err) => format!("{{\"error\": \"cannot serialise the history: {err}\"}}\n"),
    }
}

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
    render(history, HistoryFormat::Json)
}

/// The history as a text table, one row per pair, and a tally of verdicts.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = balrog_schema_lint::HistoryRequest { repo: dir.path().to_path_buf(), ..Default::default() };
/// let found = balrog_schema_lint::history(&request, &mut |_| {})?;
/// let table = balrog_schema_lint::render::history::render_text(&found);
/// assert!(table.starts_with("Release tags: release_tags `v\\d+\\.\\d+(\\.\\d+)?`; profile balrog"));
/// assert!(table.contains("2 pairs: 1 additive, 1 destructive."));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn render_text(history: &History) -> String {
    render(history, HistoryFormat::Text)
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
    fn streamed_json_is_the_whole_document() {
        let history = fixtures::history();
        let whole = serde_json::to_string_pretty(&history).unwrap() + "\n";
        assert_eq!(render_json(&history), whole);
        let empty = History {
            pairs: Vec::new(),
            ..fixtures::history()
        };
        assert_eq!(
            render_json(&empty),
            serde_json::to_string_pretty(&empty).unwrap() + "\n"
        );
    }

    #[test]
    fn an_empty_history_says_so() {
        let empty = History {
            pairs: Vec::new(),
            ..fixtures::history()
        };
        assert!(render_text(&empty).contains("Only one release tag in the range"));
    }
}
