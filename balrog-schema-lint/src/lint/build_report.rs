//! The last step: the analysis, its findings and the deploy plan assembled into the report.

use git2::Oid;

use crate::analysis::Analysis;
use crate::config::{Config, RuleLevel};
use crate::lint::Range;
use crate::model::finding::{Finding, Severity};
use crate::plan::{self, PlannedMigration};
use crate::report::{Counts, MigrationReport, OperationReport, Report, Revision, SCHEMA_VERSION};

/// The report of a range.
pub fn build_report(
    analysis: Analysis,
    findings: Vec<Finding>,
    range: &Range,
    config: &Config,
) -> Report {
    let planned: Vec<PlannedMigration<'_>> = analysis
        .migrations
        .iter()
        .map(|m| PlannedMigration {
            path: &m.path,
            operations: m
                .operations
                .iter()
                .map(|a| (&a.op.kind, a.judgement.direction))
                .collect(),
        })
        .collect();
    let plan = plan::build(
        analysis.verdict,
        &config.services(),
        &planned,
        &range.from.0,
        &range.to.0,
    );
    let verdict = analysis.verdict;
    let crate::analysis::Ledger {
        ignored,
        unrecognised,
    } = analysis.ledger;
    let migrations: Vec<MigrationReport> = analysis
        .migrations
        .into_iter()
        .map(|m| MigrationReport {
            version: m.version.as_str().to_string(),
            path: m.path,
            old_path: m.old_path,
            status: m.status,
            format: m.format,
            dialect: m.dialect,
            released: m.released,
            operations: m
                .operations
                .into_iter()
                .map(|a| OperationReport {
                    line: a.op.line,
                    description: a.op.kind.describe(),
                    kind: a.op.kind,
                    direction: a.judgement.direction,
                    reason: a.judgement.reason,
                    lock: a.lock,
                })
                .collect(),
        })
        .collect();
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let counts = Counts {
        migrations: migrations.len(),
        operations: migrations.iter().map(|m| m.operations.len()).sum(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        ignored: ignored.len(),
        unrecognised: unrecognised.len(),
    };
    let revision = |(rev, commit, chosen): &(String, Oid, &'static str)| Revision {
        rev: rev.clone(),
        commit: commit.to_string(),
        chosen_by: chosen.to_string(),
    };
    Report {
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        from: revision(&range.from),
        to: revision(&range.to),
        dialect: config.dialect,
        dialect_source: config.dialect_source.clone(),
        profile: config.profile(),
        target: config.target().describe(config.dialect),
        verdict,
        summary: verdict.summary(),
        plan,
        migrations,
        ignored,
        unrecognised,
        findings,
        counts,
        bisect: None,
        fail_on: match config.fail_on {
            None | Some(RuleLevel::Error) => Some(Severity::Error),
            Some(RuleLevel::Warning) => Some(Severity::Warning),
            Some(RuleLevel::Info) => Some(Severity::Info),
            Some(RuleLevel::Off) => None,
        },
    }
}
