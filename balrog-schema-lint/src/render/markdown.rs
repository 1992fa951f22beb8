//! Markdown rendering: a pull-request comment or a GitHub step summary.
//!
//! The deploy plan is given twice on purpose: as a numbered list (readable anywhere) and as
//! a mermaid flowchart (drawn by GitHub and GitLab). Long parts (big operation tables,
//! diffs) are folded into `<details>` so the comment stays short.

use std::fmt::Write;

use crate::model::finding::{Finding, Severity, Verdict};
use crate::model::migration::FileStatus;
use crate::plan::cut::Cut;
use crate::plan::Plan;
use crate::report::Report;

/// A hidden first line, so that a bot can find and update its earlier comment.
pub(crate) const MARKER: &str = "<!-- balrog-schema-lint -->";

/// Tables with more rows than this are folded.
const FOLD_ROWS: usize = 15;

/// The report as a Markdown document.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let report = balrog_schema_lint::check(&balrog_schema_lint::CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.40".into()),
///     to: Some("v3.41".into()),
///     ..Default::default()
/// })?;
/// let comment = balrog_schema_lint::render::markdown::render(&report);
/// assert!(comment.contains("DESTRUCTIVE"));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{MARKER}");
    let _ = writeln!(
        out,
        "## {} Schema migrations: {}\n",
        verdict_mark(report.verdict),
        report.verdict.name().to_uppercase()
    );
    let _ = writeln!(out, "{}\n", escape_text(&report.summary));
    let c = &report.counts;
    let _ = writeln!(
        out,
        "`{}` ({}) → `{}` ({}) · dialect {} · {} · {} · {} · {}\n",
        code_text(&report.from.rev),
        short(&report.from.commit),
        code_text(&report.to.rev),
        short(&report.to.commit),
        report.dialect,
        counted(c.migrations, "migration"),
        counted(c.operations, "operation"),
        counted(c.errors, "error"),
        counted(c.warnings, "warning"),
    );
    plan_section(&mut out, &report.plan);
    bisect_section(&mut out, report);
    operations_section(&mut out, report);
    findings_section(&mut out, &report.findings);
    let _ = writeln!(
        out,
        "<sub>balrog-schema-lint {}</sub>",
        escape_text(&report.tool_version)
    );
    out
}

fn verdict_mark(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::None | Verdict::Additive => "✅",
        Verdict::Destructive => "⚠️",
        Verdict::Mixed | Verdict::Breaking | Verdict::NeedsReview => "❌",
    }
}

fn severity_mark(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Info => "ℹ️",
    }
}

fn short(commit: &str) -> &str {
    commit.get(..9).unwrap_or(commit)
}

fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn plan_section(out: &mut String, plan: &Plan) {
    let _ = writeln!(out, "### Deploy plan\n");
    if plan.steps.is_empty() {
        let _ = writeln!(out, "No single deploy order is safe for this release.\n");
    }
    for (i, step) in plan.steps.iter().enumerate() {
        let wait = step
            .wait_for
            .as_ref()
            .map(|w| format!(" **Wait until {}.**", escape_text(&w.to_string())))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}. {}{wait}",
            i + 1,
            escape_text(&step.action.to_string())
        );
    }
    if !plan.steps.is_empty() {
        out.push('\n');
    }
    if !plan.any_time.is_empty() {
        let names: Vec<String> = plan
            .any_time
            .iter()
            .map(|s| format!("`{}`", code_text(s)))
            .collect();
        let _ = writeln!(
            out,
            "{} does not touch the database: deploy it at any point.\n",
            names.join(", ")
        );
    }
    if let Some(split) = &plan.split {
        if !split.first_release.is_empty() || !split.second_release.is_empty() {
            let _ = writeln!(out, "**Split the release:**\n");
            for (ordinal, (label, files)) in
                ["first", "second"].iter().zip(split.releases_in_order())
            {
                let _ = writeln!(out, "- {ordinal} {label}: {}", code_list(files));
            }
            out.push('\n');
        }
        if let Some(cut) = &split.cut {
            let _ = writeln!(out, "**Where to cut:** {}\n", escape_text(&cut.sentence()));
            let _ = writeln!(out, "{}\n", escape_text(&cut.commit_sentence()));
        }
        if let Some(blocked) = &split.blocked_by {
            let _ = writeln!(
                out,
                "**No commit cuts this release in two** ({} changing a migration tried):\n",
                counted(blocked.commits_tried, "commit")
            );
            for line in &blocked.reorder {
                let _ = writeln!(out, "- {}", escape_text(line));
            }
            out.push('\n');
        }
        for advice in &split.advice {
            let _ = writeln!(out, "- {}", escape_text(advice));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Rollback: {}\n", escape_text(&plan.rollback));
    mermaid(out, plan);
}

/// The plan as a left-to-right flowchart: one node per step, edges in deploy order (labelled
/// with what to wait for), services that may go at any time as a separate node.
fn mermaid(out: &mut String, plan: &Plan) {
    let _ = writeln!(out, "```mermaid\nflowchart LR");
    for (i, step) in plan.steps.iter().enumerate() {
        let _ = writeln!(
            out,
            "  step{}[\"{}. {}\"]",
            i + 1,
            i + 1,
            mermaid_text(&step.services.join(", "))
        );
    }
    for i in 1..plan.steps.len() {
        let previous = plan.steps.get(i - 1).and_then(|s| s.wait_for.as_ref());
        let edge = match previous {
            Some(_) => "-->|\"after it has finished\"|",
            None => "-->",
        };
        let _ = writeln!(out, "  step{i} {edge} step{}", i + 1);
    }
    if let Some(cut) = plan.split.as_ref().and_then(|s| s.cut.as_ref()) {
        cut_diagram(out, cut);
    } else if plan.steps.is_empty() {
        match &plan.split {
            Some(split) if !split.first_release.is_empty() || !split.second_release.is_empty() => {
                let _ = writeln!(
                    out,
                    "  release1[\"release 1: expand, schema first ({})\"]",
                    counted(split.first_release.len(), "migration")
                );
                let _ = writeln!(
                    out,
                    "  release2[\"release 2: contract, code first ({})\"]",
                    counted(split.second_release.len(), "migration")
                );
                let _ = writeln!(out, "  release1 -->|\"later release\"| release2");
            }
            _ => {
                let _ = writeln!(out, "  nosafe[\"no safe deploy order\"]");
            }
        }
    }
    if !plan.any_time.is_empty() {
        let _ = writeln!(
            out,
            "  anytime([\"any time: {}\"])",
            mermaid_text(&plan.any_time.join(", "))
        );
    }
    let _ = writeln!(out, "```\n");
}

/// The two releases of a cut, each with its own deploy steps, the second after the first.
fn cut_diagram(out: &mut String, cut: &Cut) {
    for (n, release) in [(1, &cut.first), (2, &cut.second)] {
        let name = match (&release.tag, n) {
            (Some(tag), 1) => format!("release 1: {tag} = {}", cut.commit.short),
            (None, 1) => format!("release 1: tag {}", cut.commit.short),
            (Some(tag), _) => format!("release 2: {tag}, the rest"),
            (None, _) => "release 2: the rest".to_string(),
        };
        let _ = writeln!(
            out,
            "  subgraph release{n}[\"{}\"]",
            mermaid_text(&format!("{name} ({})", release.describe()))
        );
        let _ = writeln!(out, "    direction LR");
        for (i, step) in release.steps.iter().enumerate() {
            let _ = writeln!(
                out,
                "    r{n}s{}[\"{}. {}\"]",
                i + 1,
                i + 1,
                mermaid_text(&step.services.join(", "))
            );
        }
        for i in 1..release.steps.len() {
            let waits = release
                .steps
                .get(i - 1)
                .is_some_and(|s| s.wait_for.is_some());
            let edge = if waits {
                "-->|\"after it has finished\"|"
            } else {
                "-->"
            };
            let _ = writeln!(out, "    r{n}s{i} {edge} r{n}s{}", i + 1);
        }
        let _ = writeln!(out, "  end");
    }
    let _ = writeln!(out, "  release1 -->|\"next release\"| release2");
}

fn bisect_section(out: &mut String, report: &Report) {
    let Some(bisect) = &report.bisect else {
        return;
    };
    let _ = writeln!(out, "### First unsafe commit\n");
    let _ = writeln!(out, "{}\n", escape_text(&bisect.sentence()));
}

fn operations_section(out: &mut String, report: &Report) {
    let _ = writeln!(out, "### Operations\n");
    if report.migrations.is_empty() {
        let _ = writeln!(out, "No migration changed in this range.\n");
        return;
    }
    let mut table = String::new();
    let _ = writeln!(table, "| File | Line | Operation | Direction |");
    let _ = writeln!(table, "|---|---:|---|---|");
    let mut rows = 0;
    for m in &report.migrations {
        let file = format!("`{}`", code_text(&m.path));
        if m.operations.is_empty() {
            let what = match (m.status, m.released) {
                (FileStatus::D, _) => "file deleted".to_string(),
                (FileStatus::R, _) => format!(
                    "renamed from `{}`",
                    code_text(m.old_path.as_deref().unwrap_or("?"))
                ),
                (FileStatus::M, true) => {
                    "released file edited: production will not run it again".to_string()
                }
                _ => "no operation".to_string(),
            };
            let _ = writeln!(table, "| {file} | | {what} | |");
            rows += 1;
        }
        for op in &m.operations {
            let reason = op
                .reason
                .as_deref()
                .map(|r| format!(" ({})", escape_cell(r)))
                .unwrap_or_default();
            let _ = writeln!(
                table,
                "| {file} | {} | {} | {}{reason} |",
                op.line,
                escape_cell(&op.description),
                op.direction.name()
            );
            rows += 1;
        }
    }
    if rows > FOLD_ROWS {
        let _ = writeln!(
            out,
            "<details><summary>{} in {}</summary>\n\n{table}\n</details>\n",
            counted(rows, "row"),
            counted(report.migrations.len(), "migration")
        );
    } else {
        let _ = writeln!(out, "{table}");
    }
}

fn findings_section(out: &mut String, findings: &[Finding]) {
    let _ = writeln!(out, "### Findings\n");
    if findings.is_empty() {
        let _ = writeln!(out, "No findings.\n");
        return;
    }
    for f in findings {
        let location = match (&f.path, f.line) {
            (Some(path), Some(line)) => format!(" `{}:{line}`", code_text(path)),
            (Some(path), None) => format!(" `{}`", code_text(path)),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "- {} **{}** `{}`{location}: {}  ",
            severity_mark(f.severity),
            f.severity.name(),
            code_text(&f.rule),
            escape_text(&f.message).replace('\n', " ")
        );
        let _ = writeln!(out, "  help: {}", escape_text(&f.help).replace('\n', " "));
        for related in &f.related {
            let _ = writeln!(
                out,
                "  - {} `{}:{}` {}",
                severity_mark(related.severity),
                code_text(&related.path),
                related.line,
                escape_text(&related.message).replace('\n', " ")
            );
        }
        if let Some(diff) = &f.diff {
            let what = f.path.as_deref().unwrap_or("the change");
            let _ = writeln!(
                out,
                "\n  <details><summary>Diff of {}</summary>\n\n{}\n  </details>\n",
                escape_html(what),
                indent(&fenced("diff", diff), "  ")
            );
        }
    }
    out.push('\n');
}

/// A fenced code block whose fence is longer than any run of backticks in `body`.
fn fenced(info: &str, body: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat((longest + 1).max(3));
    let body = body.strip_suffix('\n').unwrap_or(body);
    format!("{fence}{info}\n{body}\n{fence}")
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{prefix}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn code_list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items
            .iter()
            .map(|i| format!("`{}`", code_text(i)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Text inside an inline code span: a backtick would end the span early.
fn code_text(text: &str) -> String {
    text.replace('`', "'").replace('\n', " ")
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Prose from the report: names like `<all>` or `__init__` must not turn into HTML or
/// emphasis.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape_html(text).chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn escape_cell(text: &str) -> String {
    escape_text(text).replace('\n', " ")
}

/// A label inside a quoted mermaid node: quotes and angle brackets use mermaid's entity
/// codes.
fn mermaid_text(text: &str) -> String {
    text.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
        .replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn destructive_release_snapshot() {
        insta::assert_snapshot!("markdown_destructive", render(&fixtures::destructive()));
    }

    #[test]
    fn mixed_release_snapshot() {
        insta::assert_snapshot!("markdown_mixed", render(&fixtures::mixed()));
    }

    #[test]
    fn plan_is_a_numbered_list_and_a_flowchart() {
        let text = render(&fixtures::destructive());
        assert!(text.starts_with(MARKER));
        assert!(text.contains("## ⚠️ Schema migrations: DESTRUCTIVE"));
        assert!(text.contains("\n1. Deploy balrog-production"));
        assert!(text.contains("\n2. Deploy balrog-admin-production"));
        assert!(text.contains("```mermaid\nflowchart LR\n"));
        assert!(text.contains("step1[\"1. balrog-production\"]"));
        assert!(text.contains("step1 -->|\"after it has finished\"| step2"));
        assert!(text.contains("anytime([\"any time: balrog-agent-production\"])"));
        assert!(text.contains(
            "| `migrations/0041_drop_rules_legacy.sql` | 2 | drop column rules.legacy\\_flag | contract |"
        ));
        assert!(text.contains("<details><summary>Diff of migrations/0040_add_rules_index.sql"));
        assert!(text.contains("  ```diff\n  --- a/migrations/0040"));
    }

    #[test]
    fn untrusted_text_cannot_break_the_layout() {
        let text = render(&fixtures::mixed());
        assert!(text.contains("&lt;all&gt; of them &amp; \"forever\". Rows \\| columns"));
        assert!(!text.contains("<all>"));
        assert!(text.contains("release1 -->|\"later release\"| release2"));
    }

    #[test]
    fn long_tables_and_backtick_diffs_are_folded_safely() {
        let mut report = fixtures::destructive();
        let op = report.migrations[0].operations[0].clone();
        report.migrations[0].operations = vec![op; FOLD_ROWS + 1];
        report.findings[0].diff = Some("-a ``` b\n+a ```` b\n".into());
        let text = render(&report);
        assert!(text.contains("<details><summary>17 rows in 2 migrations</summary>"));
        assert!(text.contains("  `````diff\n  -a ``` b\n  +a ```` b\n  `````"));
    }

    #[test]
    fn escaping_and_fences() {
        assert_eq!(
            escape_text("a_b *c* <d> | e"),
            "a\\_b \\*c\\* &lt;d&gt; \\| e"
        );
        assert_eq!(fenced("", "x"), "```\nx\n```");
        assert_eq!(mermaid_text("a \"b\" <c>"), "a #quot;b#quot; #lt;c#gt;");
    }
}
