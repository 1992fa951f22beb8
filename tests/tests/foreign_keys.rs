//! Foreign keys recreated with other `ON DELETE` / `ON UPDATE` actions or deferrability, end
//! to end: read from SQL, replayed, judged, reported (the oracle test checks the replayed
//! actions against the real databases for the same fixture histories).

use balrog_schema_lint::render::text;
use balrog_schema_lint::{check, CheckRequest, Report, Verdict};
use balrog_schema_lint_tests::ScenarioRepo;

fn check_range(name: &str, from: &str, to: &str) -> Report {
    let repo = ScenarioRepo::new(name);
    check(&CheckRequest {
        repo: repo.path().to_path_buf(),
        from: Some(from.into()),
        to: Some(to.into()),
        ..CheckRequest::default()
    })
    .unwrap_or_else(|err| panic!("{name}: {err}"))
}

fn directions(report: &Report) -> Vec<(u32, &str)> {
    report
        .migrations
        .iter()
        .flat_map(|m| &m.operations)
        .map(|o| (o.line, o.direction.name()))
        .collect()
}

fn rendered(report: &Report) -> String {
    let code = i32::from(report.fails_at(balrog_schema_lint::Severity::Error));
    text::render(report, text::TextOptions::default(), code)
}

fn action_findings(report: &Report) -> Vec<(Option<u32>, &str)> {
    report
        .findings
        .iter()
        .filter(|f| f.rule == "foreign-key-action-changed")
        .map(|f| (f.line, f.message.as_str()))
        .collect()
}

#[test]
fn cascade_to_restrict_is_destructive() {
    let report = check_range("foreign-key-actions", "v1.0", "v1.1");
    assert_eq!(report.verdict, Verdict::Destructive);
    // The drop is part of the replacement; the key added back refuses deletes it cascaded.
    assert_eq!(directions(&report), [(2, "neutral"), (3, "contract")]);
    let found = action_findings(&report);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].1.contains("ON DELETE RESTRICT instead of CASCADE"),
        "{}",
        found[0].1
    );
    // The key held on the same rows before: no orphan warning.
    assert!(!report.findings.iter().any(|f| f.rule == "add-foreign-key"));
    insta::assert_snapshot!("foreign-key-actions-v1.1", rendered(&report));
}

#[test]
fn cascade_added_and_deferral_removed_together_break() {
    let report = check_range("foreign-key-actions", "v1.1", "v1.2");
    assert_eq!(report.verdict, Verdict::Breaking);
    assert_eq!(
        directions(&report),
        [
            (2, "neutral"),
            (3, "expand"),
            (5, "neutral"),
            (6, "breaking"),
            (8, "expand")
        ]
    );
    let found = action_findings(&report);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0]
        .1
        .contains("ON DELETE CASCADE instead of NO ACTION"));
    assert!(found[1]
        .1
        .contains("NOT DEFERRABLE instead of DEFERRABLE INITIALLY DEFERRED"));
    insta::assert_snapshot!("foreign-key-actions-v1.2", rendered(&report));
}

#[test]
fn mysql_no_action_is_restrict() {
    let report = check_range("mysql-foreign-key-actions", "v1.0", "v1.1");
    assert_eq!(report.verdict, Verdict::Destructive);
    assert_eq!(
        directions(&report),
        [
            (2, "neutral"),
            (3, "contract"),
            (6, "neutral"),
            (7, "neutral")
        ]
    );
    let found = action_findings(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0]
        .1
        .contains("ON DELETE RESTRICT instead of SET NULL"));
}
