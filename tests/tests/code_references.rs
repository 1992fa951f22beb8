//! `dropped-object-still-referenced` on a fixture history (testdata/scenarios/code-references)
//! whose code names a dropped column in every way that matters: a query (an error), a Django
//! model field and a diesel `table!` entry (errors), a form field and a local variable of the
//! same name (warnings), a query of another table and a quoted key far from any query of the
//! table (exact places not tied to the table: warnings), and a commented-out query and
//! minified vendored scripts (nothing).
//! Each place is its own location in every report format.

use balrog_schema_lint::render::{github, json, markdown, sarif, text};
use balrog_schema_lint::{check, CheckRequest, Report, Severity, Verdict};
use balrog_schema_lint_tests::ScenarioRepo;

fn run() -> Report {
    let repo = ScenarioRepo::new("code-references");
    check(&CheckRequest {
        repo: repo.path().to_path_buf(),
        ..CheckRequest::default()
    })
    .unwrap_or_else(|err| panic!("{err}"))
}

/// The SARIF results: the rule metadata is the registry's and is tested with the renderer.
fn sarif_results(report: &Report) -> String {
    let log: serde_json::Value = serde_json::from_str(&sarif::render(report)).expect("SARIF");
    serde_json::to_string_pretty(&log["runs"][0]["results"]).expect("JSON")
}

#[test]
fn each_reference_is_located_and_graded() {
    let report = run();
    assert_eq!(report.verdict, Verdict::Destructive);
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule == "dropped-object-still-referenced")
        .expect("the dropped column is still referenced");
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(
        finding.path.as_deref(),
        Some("migrations/0002_drop_rules_legacy_flag.sql")
    );
    let places: Vec<String> = finding
        .related
        .iter()
        .map(|r| format!("{} {}:{}", r.severity.name(), r.path, r.line))
        .collect();
    assert_eq!(
        places,
        [
            "error server/src/schema.rs:7",
            "error src/dashboard/models.py:6",
            "error src/queries.py:6",
            "warning src/forms.py:5",
            "warning src/queries.py:15",
            "warning src/queries.py:16",
            "warning src/queries.py:21",
            "warning src/queries.py:26",
        ],
        "no comment, commented-out query or minified script is listed"
    );

    let code = i32::from(report.fails_at(Severity::Error));
    insta::assert_snapshot!(
        "code-references.txt",
        text::render(&report, text::TextOptions::default(), code)
    );
    insta::assert_snapshot!("code-references.json", json::render(&report));
    insta::assert_snapshot!("code-references.md", markdown::render(&report));
    insta::assert_snapshot!("code-references.github", github::render(&report));
    insta::assert_snapshot!("code-references.sarif-results", sarif_results(&report));
}

#[test]
fn configured_severity_caps_every_place() {
    let repo = ScenarioRepo::new("code-references");
    let config = repo.path().join("relaxed.toml");
    std::fs::write(
        &config,
        "profile = \"balrog\"\n[rules]\ndropped-object-still-referenced = \"warning\"\n",
    )
    .expect("write the configuration");
    let report = check(&CheckRequest {
        repo: repo.path().to_path_buf(),
        config_file: Some(config),
        ..CheckRequest::default()
    })
    .unwrap_or_else(|err| panic!("{err}"));
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule == "dropped-object-still-referenced")
        .expect("still reported");
    assert_eq!(finding.severity, Severity::Warning);
    assert!(finding
        .related
        .iter()
        .all(|r| r.severity == Severity::Warning));
    assert_eq!(finding.related.len(), 8);
}
