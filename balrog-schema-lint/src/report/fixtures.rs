//! Hand-built reports that every renderer's tests share, so that the formats are judged on
//! the same releases: a destructive one and a mixed one. Built directly (not through the
//! pipeline) so that they do not change when the readers or rules change.

use crate::config::Services;
use crate::model::finding::{Finding, Severity, Verdict};
use crate::model::migration::FileStatus;
use crate::model::migration::MigrationFormat;
use crate::model::ops::{ColumnDef, Dialect, Direction, OpKind, SqlType};
use crate::plan::{self, PlannedMigration};
use crate::report::{Counts, MigrationReport, OperationReport, Report, Revision, SCHEMA_VERSION};

fn revision(rev: &str, commit: &str, chosen_by: &str) -> Revision {
    Revision {
        rev: rev.into(),
        commit: commit.into(),
        chosen_by: chosen_by.into(),
    }
}

fn op(line: u32, kind: OpKind, direction: Direction) -> OperationReport {
    let operation = crate::model::ops::Operation {
        line,
        kind,
        source: String::new(),
    };
    let lock = crate::classify::locks::lock(
        &operation,
        None,
        Dialect::Mysql,
        &crate::model::lock::Target::default(),
    );
    OperationReport {
        line,
        description: operation.kind.describe(),
        kind: operation.kind,
        direction,
        reason: None,
        lock,
    }
}

fn migration(path: &str, version: &str, operations: Vec<OperationReport>) -> MigrationReport {
    MigrationReport {
        path: path.into(),
        old_path: None,
        status: FileStatus::A,
        version: version.into(),
        format: MigrationFormat::Sql,
        dialect: Dialect::Mysql,
        released: false,
        operations,
    }
}

fn finding(
    rule: &str,
    severity: Severity,
    location: Option<(&str, u32)>,
    message: &str,
    help: &str,
) -> Finding {
    Finding {
        rule: rule.into(),
        severity,
        path: location.map(|(p, _)| p.to_string()),
        line: location.map(|(_, l)| l),
        message: message.into(),
        help: help.into(),
        diff: None,
        related: Vec::new(),
    }
}

fn assemble(
    verdict: Verdict,
    from: Revision,
    to: Revision,
    migrations: Vec<MigrationReport>,
    findings: Vec<Finding>,
) -> Report {
    let planned: Vec<PlannedMigration<'_>> = migrations
        .iter()
        .map(|m| PlannedMigration {
            path: &m.path,
            operations: m
                .operations
                .iter()
                .map(|o| (&o.kind, o.direction))
                .collect(),
        })
        .collect();
    let plan = plan::build(verdict, &Services::balrog(), &planned, &from.rev, &to.rev);
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let counts = Counts {
        migrations: migrations.len(),
        operations: migrations.iter().map(|m| m.operations.len()).sum(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        ..Counts::default()
    };
    Report {
        schema_version: SCHEMA_VERSION,
        tool_version: "0.1.0".into(),
        from,
        to,
        dialect: Dialect::Mysql,
        dialect_source: crate::model::dialect_source::DialectSource::Profile {
            profile: crate::model::profile::Profile::Balrog,
        },
        profile: crate::model::profile::Profile::Balrog,
        target: "MySQL 8.0".into(),
        verdict,
        summary: verdict.summary(),
        plan,
        migrations,
        ignored: Vec::new(),
        unrecognised: Vec::new(),
        findings,
        counts,
        fail_on: Some(Severity::Error),
        bisect: None,
    }
}

/// v4.12 -> v4.13: drops a column, and edits a released migration (a finding with a diff).
pub fn destructive() -> Report {
    let drop = op(
        2,
        OpKind::DropColumn {
            table: "rules".into(),
            column: "legacy_flag".into(),
        },
        Direction::Contract,
    );
    let mut edited = migration("migrations/0040_add_rules_index.sql", "0040", Vec::new());
    edited.status = FileStatus::M;
    edited.released = true;
    let mut edit = finding(
        "edited-released-migration",
        Severity::Warning,
        Some(("migrations/0040_add_rules_index.sql", 1)),
        "migrations/0040_add_rules_index.sql ran in production at v4.12 and was edited; the edit changes no operation.",
        "Production will not run it again: put schema changes in a new migration.",
    );
    edit.diff = Some(
        "--- a/migrations/0040_add_rules_index.sql\n+++ b/migrations/0040_add_rules_index.sql\n@@ -1 +1 @@\n-create index rules_product on rules (product);\n+CREATE INDEX rules_product ON rules (product);\n"
            .into(),
    );
    assemble(
        Verdict::Destructive,
        revision(
            "v4.12",
            "3f2a9c1e0b7d4c5a8e9f1a2b3c4d5e6f7a8b9c0d",
            "latest-release-tag",
        ),
        revision(
            "HEAD",
            "9be07d4a1c2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a",
            "default",
        ),
        vec![
            migration("migrations/0041_drop_rules_legacy.sql", "0041", vec![drop]),
            edited,
        ],
        vec![
            edit,
            finding(
                "drop-column",
                Severity::Warning,
                Some(("migrations/0041_drop_rules_legacy.sql", 2)),
                "rules.legacy_flag is dropped; the code deployed first must not read or write it.",
                "Confirm HEAD has no reference to legacy_flag.",
            ),
        ],
    )
}

/// v4.13 -> v4.14: adds a column and drops a table in one release, with text that needs
/// escaping in every format (`%`, `:`, `,`, `<`, `&`, `|`, quotes, a newline).
pub fn mixed() -> Report {
    let mut column = ColumnDef::new("comment", Some(SqlType::with_params("VARCHAR", &[100])));
    column.default = Some("'n/a'".into());
    let add = op(
        3,
        OpKind::AddColumn {
            table: "releases".into(),
            column,
        },
        Direction::Expand,
    );
    let drop = op(
        1,
        OpKind::DropTable {
            table: "permissions_req_signoffs".into(),
        },
        Direction::Contract,
    );
    let data = op(
        7,
        OpKind::DataChange {
            change: crate::model::ops::DataChangeKind::Update,
            table: "releases".into(),
            filtered: true,
        },
        Direction::Neutral,
    );
    assemble(
        Verdict::Mixed,
        revision(
            "v4.13",
            "9be07d4a1c2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a",
            "latest-release-tag",
        ),
        revision("v4.14", "c0ffee0011223344556677889900aabbccddeeff", "given"),
        vec![
            migration(
                "migrations/0042_releases_comment.sql",
                "0042",
                vec![add, data],
            ),
            migration(
                "migrations/0043_drop_req_signoffs.sql",
                "0043",
                vec![drop],
            ),
        ],
        vec![
            finding(
                "mixed-release",
                Severity::Error,
                None,
                "The release expands (0042) and contracts (0043) the schema: no single deploy order is safe.",
                "Ship 0042 first, then 0043 in a later release.",
            ),
            finding(
                "drop-table",
                Severity::Warning,
                Some(("migrations/0043_drop_req_signoffs.sql", 1)),
                "Table permissions_req_signoffs is dropped: 100% of its rows, <all> of them & \"forever\".\nRows | columns are gone.",
                "Back it up first, e.g. mysqldump balrog permissions_req_signoffs.",
            ),
            finding(
                "unsupported-statement",
                Severity::Info,
                Some(("migrations/0042_releases_comment.sql", 7)),
                "UPDATE releases touches every matching row, in one transaction.",
                "Batch large updates.",
            ),
        ],
    )
}

/// Two pairs: the destructive and the mixed release.
pub(crate) fn history() -> crate::report::History {
    let pair = |from: &str, to: &str, report: Report| crate::report::Pair {
        from: from.into(),
        to: to.into(),
        from_commit: report.from.commit.clone(),
        to_commit: report.to.commit.clone(),
        verdict: report.verdict,
        plan: report.plan,
        counts: report.counts,
    };
    crate::report::History {
        schema_version: crate::report::HISTORY_SCHEMA_VERSION,
        tags: "release_tags `v\\d+\\.\\d+(\\.\\d+)?`".into(),
        profile: crate::model::profile::Profile::Balrog,
        dialect: Dialect::Mysql,
        dialect_source: crate::model::dialect_source::DialectSource::Profile {
            profile: crate::model::profile::Profile::Balrog,
        },
        pairs: vec![
            pair("v4.12", "v4.13", destructive()),
            pair("v4.13", "v4.14", mixed()),
        ],
    }
}
