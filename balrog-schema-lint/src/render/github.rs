//! GitHub Actions rendering: workflow commands that become annotations on the changed
//! files, plus the Markdown step summary (the caller appends it to `$GITHUB_STEP_SUMMARY`;
//! the library never writes files).

use std::fmt::Write;

use super::{list_or_none, markdown};
use crate::model::finding::Severity;
use crate::report::Report;

/// The workflow command of a severity.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes a command's message (after the `::`), as the runner decodes it.
pub(crate) fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value (`file=`, `title=`), where `:` and `,` are separators.
pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Workflow commands for the report: one annotation per finding, a notice with the verdict,
/// and the deploy plan in a folded log group.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let report = balrog_schema_lint::check(&balrog_schema_lint::CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.40".into()),
///     to: Some("v3.41".into()),
///     ..Default::default()
/// })?;
/// let commands = balrog_schema_lint::render::github::render(&report);
/// assert!(commands.contains("::warning file=migrations/0002_drop_legacy.sql,line=1"));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let mut properties = Vec::new();
        if let Some(path) = &f.path {
            properties.push(format!("file={}", escape_property(path)));
            if let Some(line) = f.line.filter(|l| *l >= 1) {
                properties.push(format!("line={line}"));
            }
        }
        properties.push(format!("title={}", escape_property(&f.rule)));
        let _ = writeln!(
            out,
            "::{} {}::{}",
            command(f.severity),
            properties.join(","),
            escape_data(&format!("{}\nhelp: {}", f.message, f.help))
        );
        // Each related place gets its own annotation, on its own line of code.
        let at = match (&f.path, f.line) {
            (Some(path), Some(line)) => format!("{path}:{line}"),
            (Some(path), None) => path.clone(),
            (None, _) => "this release".to_string(),
        };
        for related in &f.related {
            let _ = writeln!(
                out,
                "::{} file={},line={},title={}::{}",
                command(related.severity),
                escape_property(&related.path),
                related.line.max(1),
                escape_property(&f.rule),
                escape_data(&format!(
                    "{}\nThe schema change at {at} removes it.",
                    related.message
                ))
            );
        }
    }
    let _ = writeln!(
        out,
        "::notice title={}::{}",
        escape_property(&format!(
            "balrog-schema-lint {} -> {}",
            report.from.rev, report.to.rev
        )),
        escape_data(&report.summary)
    );
    let _ = writeln!(out, "::group::Deploy plan ({})", report.verdict.name());
    if report.plan.steps.is_empty() {
        let _ = writeln!(out, "No single deploy order is safe for this release.");
    }
    for (i, step) in report.plan.steps.iter().enumerate() {
        let wait = step
            .wait_for
            .as_ref()
            .map(|w| format!(" Wait until {w}."))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}. {}{wait}",
            i + 1,
            neutralise(&step.action.to_string())
        );
    }
    if !report.plan.any_time.is_empty() {
        let _ = writeln!(
            out,
            "{} may deploy at any point.",
            report.plan.any_time.join(", ")
        );
    }
    if let Some(split) = &report.plan.split {
        if !split.first_release.is_empty() || !split.second_release.is_empty() {
            let _ = writeln!(
                out,
                "First release (expand, schema first): {}",
                list_or_none(&split.first_release)
            );
            let _ = writeln!(
                out,
                "Second release (contract, code first): {}",
                list_or_none(&split.second_release)
            );
        }
        if let Some(cut) = &split.cut {
            let _ = writeln!(out, "Where to cut: {}", neutralise(&cut.sentence()));
            let _ = writeln!(out, "{}", neutralise(&cut.commit_sentence()));
        }
        if let Some(blocked) = &split.blocked_by {
            let _ = writeln!(out, "No commit cuts this release in two:");
            for line in &blocked.reorder {
                let _ = writeln!(out, "- {}", neutralise(line));
            }
        }
        for advice in &split.advice {
            let _ = writeln!(out, "- {}", neutralise(advice));
        }
    }
    let _ = writeln!(out, "Rollback: {}", neutralise(&report.plan.rollback));
    let _ = writeln!(out, "::endgroup::");
    if let Some(cut) = report.plan.split.as_ref().and_then(|s| s.cut.as_ref()) {
        let _ = writeln!(
            out,
            "::notice title={}::{}",
            escape_property(&format!("Cut the release at {}", cut.commit.short)),
            escape_data(&cut.sentence())
        );
    }
    if let Some(bisect) = &report.bisect {
        let (command, title) = match &bisect.first_unsafe {
            Some(culprit) => (
                "error",
                format!("First unsafe commit: {}", culprit.commit.short),
            ),
            None => ("notice", "No commit made the range unsafe".to_string()),
        };
        let _ = writeln!(
            out,
            "::{command} title={}::{}",
            escape_property(&title),
            escape_data(&bisect.sentence())
        );
    }
    out
}

/// Plain log lines must not start a workflow command of their own.
fn neutralise(text: &str) -> String {
    text.replace("::", ": :").replace('\n', " ")
}

/// The Markdown for `$GITHUB_STEP_SUMMARY`.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let report = balrog_schema_lint::check(&balrog_schema_lint::CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.40".into()),
///     to: Some("v3.41".into()),
///     ..Default::default()
/// })?;
/// let summary = balrog_schema_lint::render::github::step_summary(&report);
/// assert!(summary.contains("DESTRUCTIVE"));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn step_summary(report: &Report) -> String {
    markdown::render(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn destructive_release_snapshot() {
        insta::assert_snapshot!("github_destructive", render(&fixtures::destructive()));
    }

    #[test]
    fn mixed_release_snapshot() {
        insta::assert_snapshot!("github_mixed", render(&fixtures::mixed()));
    }

    #[test]
    fn findings_become_annotations_on_their_lines() {
        let text = render(&fixtures::destructive());
        let first = text.lines().next().unwrap();
        assert_eq!(
            first,
            "::warning file=migrations/0040_add_rules_index.sql,line=1,title=edited-released-migration::\
migrations/0040_add_rules_index.sql ran in production at v4.12 and was edited; the edit changes no operation.\
%0Ahelp: Production will not run it again: put schema changes in a new migration."
        );
        assert!(text.contains("::group::Deploy plan (destructive)\n1. Deploy balrog-production"));
        assert!(text.ends_with("::endgroup::\n"));
    }

    #[test]
    fn every_command_is_one_line_and_escaped() {
        let text = render(&fixtures::mixed());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "::error title=mixed-release::The release expands (0042) and contracts (0043) the schema: no single deploy order is safe.%0Ahelp: Ship 0042 first, then 0043 in a later release."
        );
        assert!(lines[1].starts_with(
            "::warning file=migrations/0043_drop_req_signoffs.sql,line=1,title=drop-table::"
        ));
        assert!(
            lines[1].contains("100%25 of its rows") && lines[1].contains("\"forever\".%0ARows")
        );
        assert!(lines[2].starts_with("::notice file="));
        assert!(lines[3].starts_with("::notice title=balrog-schema-lint v4.13 -> v4.14::MIXED"));
    }

    #[test]
    fn property_escaping() {
        assert_eq!(escape_property("a:b,c%d\ne\r"), "a%3Ab%2Cc%25d%0Ae%0D");
        assert_eq!(escape_data("a:b,c%d\n"), "a:b,c%25d%0A");
    }

    #[test]
    fn step_summary_is_the_markdown_report() {
        let report = fixtures::mixed();
        assert_eq!(step_summary(&report), markdown::render(&report));
    }
}
