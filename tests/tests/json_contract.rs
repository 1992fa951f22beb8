//! The JSON report is a contract: `docs/report.schema.json` is generated from the report
//! types and must be current; every scenario's report matches it and reads back into an
//! equal `Report`.

use balrog_schema_lint::{check, CheckRequest, Report};
use balrog_schema_lint_tests::schema::{
    assert_valid_report, committed_schema, generate, schema_path, validate,
};
use balrog_schema_lint_tests::{scenarios_dir, ScenarioRepo};

#[test]
fn committed_schema_is_current() {
    let generated = generate();
    let text = serde_json::to_string_pretty(&generated).expect("schema") + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(schema_path(), &text).expect("write the schema");
    }
    assert!(
        committed_schema() == generated,
        "docs/report.schema.json is stale: regenerate it with \
         `UPDATE_SCHEMA=1 cargo test -p balrog-schema-lint-tests --test json_contract`"
    );
}

#[test]
fn every_scenario_report_matches_the_schema_and_round_trips() {
    let mut names: Vec<String> = std::fs::read_dir(scenarios_dir())
        .expect("scenarios")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert!(names.len() > 10);
    for name in names {
        let repo = ScenarioRepo::new(&name);
        let Ok(report) = check(&CheckRequest {
            repo: repo.path().to_path_buf(),
            ..CheckRequest::default()
        }) else {
            continue; // scenarios of input errors have no report
        };
        let json = serde_json::to_value(&report).expect("serialise");
        assert_valid_report(&json);
        let back: Report = serde_json::from_value(json).expect("the report reads back");
        assert_eq!(back, report, "{name}: the round trip changed the report");
    }
}

#[test]
fn the_validator_rejects_what_the_schema_forbids() {
    let schema = committed_schema();
    let repo = ScenarioRepo::new("demo");
    let report = check(&CheckRequest {
        repo: repo.path().to_path_buf(),
        ..CheckRequest::default()
    })
    .expect("demo checks");
    let good = serde_json::to_value(&report).expect("serialise");
    assert!(validate(&good, &schema, &schema, "$").is_ok());

    let mut extra = good.clone();
    extra["surprise"] = 1.into();
    assert!(validate(&extra, &schema, &schema, "$")
        .unwrap_err()
        .contains("surprise"));

    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("verdict");
    assert!(validate(&missing, &schema, &schema, "$")
        .unwrap_err()
        .contains("verdict"));

    let mut bad_verdict = good.clone();
    bad_verdict["verdict"] = "probably-fine".into();
    assert!(validate(&bad_verdict, &schema, &schema, "$").is_err());

    let mut bad_kind = good;
    if let Some(op) = bad_kind["migrations"][0]["operations"].get_mut(0) {
        op["kind"] = "drop-everything".into();
        assert!(validate(&bad_kind, &schema, &schema, "$").is_err());
    }
}
