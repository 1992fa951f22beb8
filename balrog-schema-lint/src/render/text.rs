//! Human text rendering, for a terminal or a CI log.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::list_or_none;
use crate::model::finding::{Severity, Verdict};
use crate::model::migration::FileStatus;
use crate::model::ops::Direction;
use crate::report::Report;

/// Options for text output.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let report = balrog_schema_lint::check(&balrog_schema_lint::CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.40".into()),
///     to: Some("v3.41".into()),
///     ..Default::default()
/// })?;
/// use balrog_schema_lint::render::text::{render, TextOptions};
/// let plain = render(&report, TextOptions { color: false, diff: false }, 0);
/// assert!(!plain.contains('\u{1b}'));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Emit ANSI colours (only when writing to a terminal).
    pub color: bool,
    /// Show the unified diff of edited released migrations.
    pub diff: bool,
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

fn fg(color: AnsiColor) -> Style {
    Style::new().fg_color(Some(color.into()))
}

fn direction_style(direction: Direction) -> Style {
    match direction {
        Direction::Neutral => Style::new().dimmed(),
        Direction::Expand => fg(AnsiColor::Green),
        Direction::Contract => fg(AnsiColor::Yellow),
        Direction::Breaking | Direction::NeedsReview => fg(AnsiColor::Red).bold(),
    }
}

fn verdict_style(verdict: Verdict) -> Style {
    match verdict {
        Verdict::None | Verdict::Additive => fg(AnsiColor::Green).bold(),
        Verdict::Destructive => fg(AnsiColor::Yellow).bold(),
        Verdict::Mixed | Verdict::Breaking | Verdict::NeedsReview => fg(AnsiColor::Red).bold(),
    }
}

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Info => fg(AnsiColor::Blue).bold(),
        Severity::Warning => fg(AnsiColor::Yellow).bold(),
        Severity::Error => fg(AnsiColor::Red).bold(),
    }
}

fn short(commit: &str) -> &str {
    commit.get(..9).unwrap_or(commit)
}

/// Renders the report as text. `exit_code` is the code the caller will exit with, stated on
/// the last line.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let report = balrog_schema_lint::check(&balrog_schema_lint::CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.40".into()),
///     to: Some("v3.41".into()),
///     ..Default::default()
/// })?;
/// use balrog_schema_lint::render::text::{render, TextOptions};
/// let text = render(&report, TextOptions { color: false, diff: false }, 0);
/// assert!(text.contains("Verdict: DESTRUCTIVE"));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn render(report: &Report, options: TextOptions, exit_code: i32) -> String {
    let p = Painter {
        color: options.color,
    };
    let bold = Style::new().bold();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  {} ({}) -> {} ({})   dialect {}",
        p.paint(bold, "balrog-schema-lint"),
        report.from.rev,
        short(&report.from.commit),
        report.to.rev,
        short(&report.to.commit),
        report.dialect
    );
    if report.from.chosen_by == "latest-release-tag" {
        let _ = writeln!(
            out,
            "  from: {} is the latest release tag before {}",
            report.from.rev, report.to.rev
        );
    }
    let _ = writeln!(out, "  dialect: {}", report.dialect_source.describe());
    out.push('\n');

    if report.migrations.is_empty() && report.unrecognised.is_empty() {
        let _ = writeln!(out, "No migration changed in this range.");
    } else {
        let _ = writeln!(
            out,
            "{}",
            p.paint(bold, "Migrations in this release (apply order)")
        );
        let width = report
            .migrations
            .iter()
            .map(|m| m.path.len())
            .max()
            .unwrap_or(0);
        for m in &report.migrations {
            let status = match m.status {
                FileStatus::A => "A",
                FileStatus::M => "M",
                FileStatus::D => "D",
                FileStatus::R => "R",
            };
            let note = match (m.status, m.released) {
                (FileStatus::R, _) => {
                    format!("renamed from {}", m.old_path.as_deref().unwrap_or("?"))
                }
                (FileStatus::M, true) => "released: production will not run it again".into(),
                (FileStatus::D, _) => "deleted".into(),
                _ => format!("version {}", m.version),
            };
            let _ = writeln!(out, "  {status}  {:width$}  {note}", m.path);
            for op in &m.operations {
                let direction = p.paint(direction_style(op.direction), op.direction.name());
                let reason = op
                    .reason
                    .as_deref()
                    .map(|r| format!("  ({r})"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "     {:>4}  {:<52} {direction}{reason}",
                    op.line, op.description
                );
            }
        }
    }
    if !report.ignored.is_empty() {
        let _ = writeln!(
            out,
            "  {} changed file{} ignored: not upgrades in their layout (--format json lists each with the reason)",
            report.ignored.len(),
            plural(report.ignored.len())
        );
    }
    for file in &report.unrecognised {
        let _ = writeln!(out, "  ?  {}  not read: see the findings", file.path);
    }
    out.push('\n');

    let _ = writeln!(
        out,
        "Verdict: {}",
        p.paint(verdict_style(report.verdict), &report.summary)
    );
    out.push('\n');

    let _ = writeln!(out, "{}", p.paint(bold, "Deploy plan"));
    if report.plan.steps.is_empty() {
        let _ = writeln!(out, "  No single deploy order is safe for this release.");
    }
    for (i, step) in report.plan.steps.iter().enumerate() {
        let wait = step
            .wait_for
            .as_ref()
            .map(|w| format!(" Wait until {w}."))
            .unwrap_or_default();
        let _ = writeln!(out, "  {}. {}{wait}", i + 1, step.action);
    }
    if !report.plan.any_time.is_empty() && !report.plan.steps.is_empty() {
        let _ = writeln!(
            out,
            "     {} does not touch the database; deploy it at any point.",
            report.plan.any_time.join(", ")
        );
    }
    if let Some(split) = &report.plan.split {
        if !split.first_release.is_empty() || !split.second_release.is_empty() {
            let _ = writeln!(out, "  Split the release:");
            for (ordinal, (label, files)) in
                ["first", "second"].iter().zip(split.releases_in_order())
            {
                let _ = writeln!(out, "    {ordinal} {label}: {}", list_or_none(files));
            }
        }
        if let Some(cut) = &split.cut {
            let _ = writeln!(out, "  Where to cut: {}", cut.sentence());
            let _ = writeln!(out, "    {}", cut.commit_sentence());
        }
        if let Some(blocked) = &split.blocked_by {
            let _ = writeln!(
                out,
                "  No commit cuts this release in two ({} commit{} changing a migration tried):",
                blocked.commits_tried,
                plural(blocked.commits_tried)
            );
            for line in &blocked.reorder {
                let _ = writeln!(out, "    {line}");
            }
        }
        for advice in &split.advice {
            let _ = writeln!(out, "  - {advice}");
        }
    }
    let _ = writeln!(out, "  Rollback: {}", report.plan.rollback);
    if let Some(bisect) = &report.bisect {
        out.push('\n');
        let _ = writeln!(out, "{}", p.paint(bold, "First unsafe commit"));
        let _ = writeln!(out, "  {}", bisect.sentence());
    }

    if !report.findings.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", p.paint(bold, "Findings"));
        for f in &report.findings {
            let location = match (&f.path, f.line) {
                (Some(path), Some(line)) => format!(" {path}:{line}"),
                (Some(path), None) => format!(" {path}"),
                _ => String::new(),
            };
            let head = format!("{}[{}]", f.severity.name(), f.rule);
            let _ = writeln!(
                out,
                "  {}{location}",
                p.paint(severity_style(f.severity), &head)
            );
            let _ = writeln!(out, "    {}", f.message);
            let _ = writeln!(out, "    help: {}", f.help);
            for related in &f.related {
                let _ = writeln!(
                    out,
                    "    {} {}:{} {}",
                    p.paint(severity_style(related.severity), related.severity.name()),
                    related.path,
                    related.line,
                    related.message
                );
            }
            if options.diff {
                if let Some(diff) = &f.diff {
                    for line in diff.lines() {
                        let _ = writeln!(out, "    {line}");
                    }
                }
            }
        }
    }
    out.push('\n');
    let c = &report.counts;
    let _ = writeln!(
        out,
        "{} migration{}, {} operation{}, {} error{}, {} warning{}. Exit {exit_code}.",
        c.migrations,
        plural(c.migrations),
        c.operations,
        plural(c.operations),
        c.errors,
        plural(c.errors),
        c.warnings,
        plural(c.warnings),
    );
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
