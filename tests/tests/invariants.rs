//! Promises that hold for every fixture history, checked over every pair of consecutive
//! releases.

use balrog_schema_lint::{check, CheckRequest, Severity, Verdict};
use balrog_schema_lint_tests::{scenarios_dir, snapshots, ScenarioRepo};

/// A needs-review verdict always says why: at least one error finding.
#[test]
fn every_needs_review_verdict_carries_an_error() {
    let mut names: Vec<String> = std::fs::read_dir(scenarios_dir())
        .expect("testdata/scenarios")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    let mut needs_review = 0;
    for name in &names {
        let repo = ScenarioRepo::new(name);
        // Commits between releases (`v1.1-01`) have no ref; the releases and `HEAD` do.
        let tags: Vec<String> = snapshots(&scenarios_dir().join(name))
            .expect("snapshots")
            .into_iter()
            .filter(|snapshot| !snapshot.contains('-'))
            .collect();
        for pair in tags.windows(2) {
            let report = check(&CheckRequest {
                repo: repo.path().to_path_buf(),
                from: Some(pair[0].clone()),
                to: Some(pair[1].clone()),
                ..CheckRequest::default()
            })
            .unwrap_or_else(|err| panic!("{name} {}..{}: {err}", pair[0], pair[1]));
            if report.verdict == Verdict::NeedsReview {
                needs_review += 1;
                assert!(
                    report
                        .findings
                        .iter()
                        .any(|f| f.severity == Severity::Error),
                    "{name} {}..{}: needs-review without an error finding",
                    pair[0],
                    pair[1]
                );
            }
        }
    }
    assert!(
        needs_review > 0,
        "no fixture exercises a needs-review verdict"
    );
}
