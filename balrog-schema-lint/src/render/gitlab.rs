//! GitLab Code Quality rendering: a JSON array of issues that the merge request widget shows
//! next to the changed lines.

use serde::Serialize;

use super::fingerprint::fingerprints;
use crate::model::finding::Severity;
use crate::report::Report;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

/// The Code Quality severity of a finding: an error must be dealt with before shipping, so
/// it is `critical`; `blocker` and `minor` are not used.
pub(crate) fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

/// The report as a Code Quality JSON array with a trailing newline.
///
/// Code Quality requires a location on every issue. A finding about the release as a whole
/// (no file) is placed on the first migration of the range, line 1, where the reviewer
/// meets it; with no migration at all it is placed on the configuration file.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let report = balrog_schema_lint::check(&balrog_schema_lint::CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.40".into()),
///     to: Some("v3.41".into()),
///     ..Default::default()
/// })?;
/// let json = balrog_schema_lint::render::gitlab::render(&report);
/// let issues: serde_json::Value = serde_json::from_str(&json).unwrap();
/// assert_eq!(issues[0]["check_name"], "drop-column");
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn render(report: &Report) -> String {
    let fallback = report
        .migrations
        .first()
        .map(|m| m.path.as_str())
        .unwrap_or(crate::config::CONFIG_FILE);
    let issues: Vec<Issue<'_>> = report
        .findings
        .iter()
        .zip(fingerprints(&report.findings))
        .map(|(f, fingerprint)| Issue {
            description: format!("{} Help: {}", f.message, f.help),
            check_name: &f.rule,
            fingerprint,
            severity: severity(f.severity),
            location: Location {
                path: f.path.as_deref().unwrap_or(fallback),
                lines: Lines {
                    begin: f.line.filter(|l| *l >= 1).unwrap_or(1),
                },
            },
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues)
        .unwrap_or_else(|err| format!("[{{\"description\": \"cannot serialise: {err}\"}}]"));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::report::fixtures;

    #[test]
    fn destructive_release_snapshot() {
        insta::assert_snapshot!("gitlab_destructive", render(&fixtures::destructive()));
    }

    #[test]
    fn mixed_release_snapshot() {
        insta::assert_snapshot!("gitlab_mixed", render(&fixtures::mixed()));
    }

    #[test]
    fn parses_back_with_every_required_field() {
        let report = fixtures::mixed();
        let issues: Vec<Value> = serde_json::from_str(&render(&report)).expect("a JSON array");
        assert_eq!(issues.len(), report.findings.len());
        for issue in &issues {
            for key in ["description", "check_name", "fingerprint", "severity"] {
                assert!(issue[key].is_string(), "{key} in {issue}");
            }
            assert!(issue["location"]["path"].is_string());
            assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
            let fingerprint = issue["fingerprint"].as_str().unwrap();
            assert_eq!(fingerprint.len(), 16);
            assert!(fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
        }
        assert_eq!(issues[0]["check_name"], "mixed-release");
        assert_eq!(issues[0]["severity"], "critical");
        assert_eq!(
            issues[0]["location"]["path"],
            "migrations/0042_releases_comment.sql"
        );
        assert_eq!(issues[1]["severity"], "major");
        assert_eq!(issues[1]["location"]["lines"]["begin"], 1);
        assert_eq!(issues[2]["severity"], "info");
        assert_eq!(issues[2]["location"]["lines"]["begin"], 7);
    }

    #[test]
    fn fingerprints_survive_a_line_move() {
        let report = fixtures::mixed();
        let mut moved = report.clone();
        moved.findings[1].line = Some(30);
        let a: Vec<Value> = serde_json::from_str(&render(&report)).unwrap();
        let b: Vec<Value> = serde_json::from_str(&render(&moved)).unwrap();
        assert_eq!(a[1]["fingerprint"], b[1]["fingerprint"]);
        assert_ne!(a[0]["fingerprint"], a[1]["fingerprint"]);
    }

    #[test]
    fn no_findings_is_an_empty_array() {
        let mut report = fixtures::destructive();
        report.findings.clear();
        assert_eq!(render(&report), "[]\n");
    }
}
