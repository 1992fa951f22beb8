//! Where to cut a mixed release, and `check --bisect`, on fixture histories with several
//! commits between releases (testdata/scenarios/cut-*), in every report format.

use balrog_schema_lint::render::{github, history as history_render, json, markdown, sarif, text};
use balrog_schema_lint::{check, CheckRequest, Report, Verdict};
use balrog_schema_lint::{history, HistoryRequest};
use balrog_schema_lint_tests::ScenarioRepo;

fn run(repo: &ScenarioRepo, bisect: bool) -> Report {
    check(&CheckRequest {
        repo: repo.path().to_path_buf(),
        bisect,
        ..CheckRequest::default()
    })
    .unwrap_or_else(|err| panic!("{err}"))
}

fn text_of(report: &Report) -> String {
    let code = i32::from(report.fails_at(balrog_schema_lint::Severity::Error));
    text::render(report, text::TextOptions::default(), code)
}

/// The SARIF run's property bag: the part of the log that carries the plan (the rule
/// metadata is the registry's and is tested with the SARIF renderer).
fn sarif_properties(report: &Report) -> String {
    let log: serde_json::Value = serde_json::from_str(&sarif::render(report)).expect("SARIF");
    serde_json::to_string_pretty(&log["runs"][0]["properties"]).expect("JSON")
}

/// The versions a list of migrations names.
macro_rules! versions {
    ($migrations:expr) => {
        $migrations
            .iter()
            .map(|m| m.version.as_str())
            .collect::<Vec<&str>>()
    };
}

/// How a value serialises (for the enums of the split, which are not re-exported).
macro_rules! name_of {
    ($value:expr) => {
        serde_json::to_value($value)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    };
}

#[test]
fn clean_cut_names_the_latest_commit_that_splits_expand_from_contract() {
    let repo = ScenarioRepo::new("cut-clean");
    let report = run(&repo, false);
    assert_eq!(report.verdict, Verdict::Mixed);
    let split = report.plan.split.as_ref().expect("a split");
    let cut = split.cut.as_ref().expect("a cut");
    assert!(split.blocked_by.is_none());
    // 0002 and 0003 expand in two commits, a code-only commit follows, then 0004 contracts:
    // the latest commit that changes a migration and leaves only expands before it is #12.
    assert_eq!(cut.commit.subject, "Add releases.comment (#12)");
    assert_eq!(cut.commit.pull_request, Some(12));
    assert_eq!(cut.commit.date, "2023-11-16");
    assert_eq!(cut.first.verdict, Verdict::Additive);
    assert_eq!(name_of!(cut.first.order), "schema-first");
    assert_eq!(versions!(cut.first.migrations), ["0002", "0003"]);
    assert_eq!(cut.second.verdict, Verdict::Destructive);
    assert_eq!(name_of!(cut.second.order), "code-first");
    assert_eq!(versions!(cut.second.migrations), ["0004"]);
    assert_eq!(
        (cut.first.tag.as_deref(), cut.second.tag.as_deref()),
        (Some("v1.1"), Some("v1.2"))
    );
    assert_eq!(
        cut.next_migration_commit
            .as_ref()
            .map(|c| c.subject.as_str()),
        Some("Drop rules.legacy_flag (#14)")
    );
    assert_eq!(
        cut.first.steps[0].services,
        ["balrog-admin-production"],
        "the expand release deploys the migrator first"
    );
    assert_eq!(cut.second.steps[0].services, ["balrog-production"]);
    assert!(cut.sentence().starts_with(&format!(
        "Tag {} as the first release v1.1 (additive: 0002, 0003; schema first), then the rest as the next release v1.2 (destructive: 0004; code first).",
        cut.commit.short
    )));

    insta::assert_snapshot!("cut-clean.txt", text_of(&report));
    insta::assert_snapshot!("cut-clean.json", json::render(&report));
    insta::assert_snapshot!("cut-clean.md", markdown::render(&report));
    insta::assert_snapshot!("cut-clean.github", github::render(&report));
    insta::assert_snapshot!("cut-clean.sarif-properties", sarif_properties(&report));
}

#[test]
fn expand_merged_after_contract_blocks_every_cut_and_says_what_to_reorder() {
    let repo = ScenarioRepo::new("cut-reorder");
    let report = run(&repo, false);
    assert_eq!(report.verdict, Verdict::Mixed);
    let split = report.plan.split.as_ref().expect("a split");
    assert!(split.cut.is_none());
    let blocked = split.blocked_by.as_ref().expect("blocked");
    assert_eq!(blocked.commits_tried, 3);
    let conflicts: Vec<(String, &str, &str)> = blocked
        .conflicts
        .iter()
        .map(|c| {
            (
                name_of!(c.kind),
                c.expand.version.as_str(),
                c.contract.version.as_str(),
            )
        })
        .collect();
    // 0002 came before the contract and is no obstacle; 0004 came after it.
    assert_eq!(
        conflicts,
        [("expand-after-contract".to_string(), "0004", "0003")]
    );
    assert!(blocked.reorder[0].contains("hold 0003 back to the next release"));

    insta::assert_snapshot!("cut-reorder.txt", text_of(&report));
    insta::assert_snapshot!("cut-reorder.json", json::render(&report));
    insta::assert_snapshot!("cut-reorder.md", markdown::render(&report));
    insta::assert_snapshot!("cut-reorder.github", github::render(&report));
    insta::assert_snapshot!("cut-reorder.sarif-properties", sarif_properties(&report));
}

#[test]
fn cut_follows_the_first_parent_history_to_the_merge_commit() {
    let repo = ScenarioRepo::new("cut-merge");
    let report = run(&repo, false);
    assert_eq!(
        (report.from.rev.as_str(), report.to.rev.as_str()),
        ("v1.0", "v1.1")
    );
    let cut = report
        .plan
        .split
        .as_ref()
        .and_then(|s| s.cut.as_ref())
        .expect("a cut");
    // The branch's own commits were never the main line's state: the merge commit is.
    assert_eq!(
        cut.commit.subject,
        "Merge pull request #31 from releng/shutoffs"
    );
    assert_eq!(cut.commit.pull_request, Some(31));
    assert_eq!(versions!(cut.first.migrations), ["0002", "0003"]);
    assert_eq!(versions!(cut.second.migrations), ["0004"]);
    insta::assert_snapshot!("cut-merge.txt", text_of(&report));

    // `history` marks the mixed pair as one with a clean cut.
    let found = history(
        &HistoryRequest {
            repo: repo.path().to_path_buf(),
            ..HistoryRequest::default()
        },
        &mut |_| {},
    )
    .expect("history");
    assert_eq!(found.pairs.len(), 1);
    assert!(found.pairs[0]
        .plan
        .split
        .as_ref()
        .is_some_and(|s| s.cut.is_some()));
    insta::assert_snapshot!("cut-merge.history", history_render::render_text(&found));
}

#[test]
fn one_pull_request_with_both_halves_cannot_be_cut_on_the_main_line() {
    let repo = ScenarioRepo::new("cut-one-pull-request");
    let report = run(&repo, false);
    let blocked = report
        .plan
        .split
        .as_ref()
        .and_then(|s| s.blocked_by.as_ref())
        .expect("blocked");
    assert_eq!(blocked.commits_tried, 1);
    assert_eq!(blocked.conflicts.len(), 1);
    let conflict = &blocked.conflicts[0];
    assert_eq!(name_of!(conflict.kind), "same-commit");
    assert_eq!(
        conflict.expand.commit.as_ref().map(|c| c.subject.as_str()),
        Some("Merge pull request #41 from releng/shutoffs")
    );
    insta::assert_snapshot!("cut-one-pull-request.txt", text_of(&report));
}

#[test]
fn bisect_names_the_commit_that_made_the_range_mixed() {
    let repo = ScenarioRepo::new("cut-clean");
    let report = run(&repo, true);
    let bisect = report.bisect.as_ref().expect("bisect ran");
    let culprit = bisect.first_unsafe.as_ref().expect("a culprit");
    assert_eq!(culprit.commit.subject, "Drop rules.legacy_flag (#14)");
    assert_eq!(culprit.commit.pull_request, Some(14));
    assert_eq!(
        (culprit.verdict_before, culprit.verdict),
        (Verdict::Additive, Verdict::Mixed)
    );
    assert_eq!(versions!(culprit.migrations), ["0004"]);
    assert_eq!(bisect.commits_checked, 3);

    insta::assert_snapshot!("bisect-clean.txt", text_of(&report));
    insta::assert_snapshot!("bisect-clean.md", markdown::render(&report));
    insta::assert_snapshot!("bisect-clean.github", github::render(&report));
    let doc: serde_json::Value = serde_json::from_str(&json::render(&report)).expect("JSON");
    insta::assert_snapshot!(
        "bisect-clean.json",
        serde_json::to_string_pretty(&doc["bisect"]).expect("JSON")
    );
    insta::assert_snapshot!("bisect-clean.sarif-properties", sarif_properties(&report));
}

#[test]
fn bisect_in_a_range_that_became_mixed_early() {
    let repo = ScenarioRepo::new("cut-reorder");
    let report = run(&repo, true);
    let culprit = report
        .bisect
        .as_ref()
        .and_then(|b| b.first_unsafe.as_ref())
        .expect("a culprit");
    assert_eq!(culprit.commit.subject, "Drop rules.legacy_flag (#22)");
    assert_eq!(culprit.verdict, Verdict::Mixed);
    assert_eq!(report.bisect.as_ref().map(|b| b.commits_checked), Some(2));
}

#[test]
fn bisect_of_a_safe_range_names_no_commit() {
    let repo = ScenarioRepo::new("cut-clean");
    let mut request = CheckRequest {
        repo: repo.path().to_path_buf(),
        bisect: true,
        ..CheckRequest::default()
    };
    // v1.0 up to the commit before the drop: two additive commits.
    request.to = Some("HEAD~2".into());
    let report = check(&request).expect("check");
    assert_eq!(report.verdict, Verdict::Additive);
    let bisect = report.bisect.as_ref().expect("bisect ran");
    assert_eq!(bisect.first_unsafe, None);
    assert_eq!(bisect.commits_checked, 2);
    assert_eq!(
        bisect.sentence(),
        "No commit made the range unsafe (2 commits that change a migration checked)."
    );
}
