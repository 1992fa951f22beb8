//! The built binary, run as a release engineer would: stdout, stderr and exit code.

use std::path::Path;
use std::process::{Command, Output};

use balrog_schema_lint_tests::schema::assert_valid_report;
use balrog_schema_lint_tests::{release_series, ScenarioRepo};

fn bsl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_balrog-schema-lint"))
        .args(args)
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("run balrog-schema-lint")
}

fn check(repo: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", "--repo", repo.to_str().unwrap()];
    args.extend_from_slice(extra);
    bsl(&args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn destructive_release_exits_zero_with_plan() {
    let repo = ScenarioRepo::new("drop-column");
    let out = check(repo.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Verdict: DESTRUCTIVE"), "{text}");
    assert!(text.contains("1. Deploy balrog-production"), "{text}");
    assert!(text.contains("2. Deploy balrog-admin-production"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour when piped");
}

#[test]
fn mixed_release_exits_one() {
    let repo = ScenarioRepo::new("mixed");
    let out = check(repo.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("Verdict: MIXED"));
}

#[test]
fn fail_on_warning_fails_a_destructive_release() {
    let repo = ScenarioRepo::new("drop-column");
    assert_eq!(
        check(repo.path(), &["--fail-on", "warning"]).status.code(),
        Some(1)
    );
    assert_eq!(
        check(repo.path(), &["--fail-on", "never"]).status.code(),
        Some(0)
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let repo = ScenarioRepo::new("drop-column");
    let out = check(repo.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_valid_report(&doc);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["from"]["rev"], "v1.0");
    assert_eq!(doc["from"]["commit"].as_str().unwrap().len(), 40);
    assert_eq!(doc["to"]["rev"], "v1.1", "HEAD is named by its release tag");
    assert_eq!(doc["verdict"], "destructive");
    assert_eq!(doc["plan"]["steps"][0]["services"][0], "balrog-production");
    let migration = &doc["migrations"][0];
    assert_eq!(migration["path"], "migrations/0002_drop_rules_legacy.sql");
    assert_eq!(migration["status"], "A");
    assert_eq!(migration["version"], "0002");
    let op = &migration["operations"][0];
    assert_eq!(op["kind"], "drop-column");
    assert_eq!(op["table"], "rules");
    assert_eq!(op["column"], "legacy_flag");
    assert_eq!(op["direction"], "contract");
    assert_eq!(op["line"], 2);
    let finding = &doc["findings"][0];
    for key in ["rule", "severity", "path", "line", "message", "help"] {
        assert!(!finding[key].is_null(), "finding lacks {key}");
    }
}

#[test]
fn explicit_range_and_unknown_revision() {
    let repo = ScenarioRepo::new("drop-column");
    let out = check(repo.path(), &["--from", "v1.0", "--to", "v1.1"]);
    assert_eq!(out.status.code(), Some(0));
    let out = check(repo.path(), &["--from", "v9.9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown revision `v9.9`"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "no partial output");
}

#[test]
fn reversed_range_is_an_input_error() {
    let repo = ScenarioRepo::new("drop-column");
    let out = check(repo.path(), &["--from", "v1.1", "--to", "v1.0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`v1.1` comes after `v1.0`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn not_a_repository() {
    let dir = tempfile::tempdir().unwrap();
    let out = check(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a git repository"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_config_names_the_key() {
    let repo = ScenarioRepo::new("drop-column");
    let config = repo.path().join("custom.toml");
    std::fs::write(&config, "dialect = \"mysql\"\nmigration = []\n").unwrap();
    let out = check(repo.path(), &["--config", config.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("custom.toml") && err.contains("migration"),
        "{err}"
    );
}

#[test]
fn bad_usage_exits_two() {
    assert_eq!(bsl(&["check", "--format", "yaml"]).status.code(), Some(2));
    assert_eq!(bsl(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn rules_and_explain() {
    let out = bsl(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("drop-column"));
    let out = bsl(&["explain", "drop-column"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("## Why is this bad"));
    let out = bsl(&["explain", "drop-colum"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("drop-colum"));
}

#[test]
fn works_in_a_bare_clone() {
    let repo = ScenarioRepo::new("drop-column");
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("bare.git");
    git2::build::RepoBuilder::new()
        .bare(true)
        .clone(repo.path().to_str().unwrap(), &bare)
        .unwrap();
    let out = check(&bare, &["--to", "v1.1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("DESTRUCTIVE"));
}

/// A repository with hundreds of release tags, some not versions: the default --from is the
/// highest version before HEAD, compared numerically.
#[test]
fn hundreds_of_tags_pick_the_previous_release() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, commits) = release_series(dir.path(), 3, 320, 40).unwrap();
    for (i, commit) in commits.iter().enumerate().step_by(50) {
        let obj = repo.find_object(*commit, None).unwrap();
        repo.tag_lightweight(&format!("v3.{i}-real"), &obj, false)
            .unwrap();
    }
    // HEAD is tagged v3.319 itself: compare with the release before it.
    let out = check(dir.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_report(&doc);
    assert_eq!(doc["from"]["rev"], "v3.318");
    assert_eq!(doc["from"]["chosen_by"], "latest-release-tag");
    let out = check(dir.path(), &["--from", "v3.279", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_report(&doc);
    assert_eq!(doc["verdict"], "additive");
    assert_eq!(doc["migrations"][0]["path"], "migrations/0008_t7.sql");
}

#[test]
fn every_format_renders_the_report() {
    let repo = ScenarioRepo::new("drop-column");
    let run = |format: &str| {
        let out = check(repo.path(), &["--format", format, "--fail-on", "never"]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        stdout(&out)
    };

    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif"));
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "balrog-schema-lint");
    let rules = driver["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "drop-column"));
    assert!(sarif["runs"][0]["results"].is_array());

    let github = run("github");
    assert!(github.contains("::notice title=balrog-schema-lint v1.0 -> v1.1::"));
    assert!(github.contains("::group::Deploy plan ("));
    assert!(github.ends_with("::endgroup::\n"));

    let markdown = run("markdown");
    assert!(markdown.starts_with("<!-- balrog-schema-lint -->\n## "));
    assert!(markdown.contains("### Deploy plan"));
    assert!(markdown.contains("```mermaid\nflowchart LR\n"));

    let gitlab: serde_json::Value = serde_json::from_str(&run("gitlab")).expect("JSON");
    for issue in gitlab.as_array().expect("an array") {
        assert!(issue["fingerprint"].is_string() && issue["location"]["path"].is_string());
    }

    let junit = run("junit");
    assert!(junit.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    assert!(junit.contains("<testsuite name=\"balrog-schema-lint v1.0..v1.1\""));
    assert!(junit.trim_end().ends_with("</testsuites>"));
}

#[test]
fn github_format_appends_the_step_summary() {
    let repo = ScenarioRepo::new("drop-column");
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_balrog-schema-lint"))
        .args(["check", "--repo", repo.path().to_str().unwrap()])
        .args(["--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(
        written.starts_with("earlier step\n<!-- balrog-schema-lint -->\n"),
        "{written}"
    );
    assert!(written.contains("### Deploy plan"));
    assert!(
        !stdout(&out).contains("### Deploy plan"),
        "stdout has commands only"
    );

    // Other formats leave the summary alone.
    let before = std::fs::read_to_string(&summary).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_balrog-schema-lint"))
        .args(["check", "--repo", repo.path().to_str().unwrap()])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), before);
}

/// 60 release tags on one line of history; every tenth release adds a migration; a tag on a
/// side branch and tags that are not versions are left out.
fn sixty_releases() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let (repo, commits) = release_series(dir.path(), 5, 60, 10).unwrap();
    for (i, commit) in commits.iter().enumerate().step_by(20) {
        let obj = repo.find_object(*commit, None).unwrap();
        repo.tag_lightweight(&format!("v5.{i}-rc"), &obj, false)
            .unwrap();
    }
    // A point release on a side branch off v5.30: not an ancestor of HEAD.
    let base = repo.find_commit(commits[30]).unwrap();
    let sig =
        git2::Signature::new("r", "r@example.com", &git2::Time::new(1_700_000_000, 0)).unwrap();
    let side = repo
        .commit(None, &sig, &sig, "side", &base.tree().unwrap(), &[&base])
        .unwrap();
    let obj = repo.find_object(side, None).unwrap();
    repo.tag_lightweight("v5.30.1", &obj, false).unwrap();
    dir
}

#[test]
fn history_covers_every_consecutive_release() {
    let dir = sixty_releases();
    let repo = dir.path().to_str().unwrap();
    let out = bsl(&["history", "--repo", repo, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        out.stderr.is_empty(),
        "no progress bar when stderr is not a terminal"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema_version"], 1);
    let pairs = doc["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 59);
    assert_eq!(pairs[0]["from"], "v5.0");
    assert_eq!(pairs[0]["to"], "v5.1");
    assert_eq!(pairs[58]["to"], "v5.59");
    for (i, pair) in pairs.iter().enumerate() {
        let added = usize::from((i + 1) % 10 == 0);
        assert_eq!(pair["counts"]["migrations"], added, "pair {i}: {pair}");
        assert!(pair["verdict"].is_string() && pair["plan"]["steps"].is_array());
    }
    assert_eq!(pairs[9]["to"], "v5.10");
    assert_eq!(pairs[9]["counts"]["migrations"], 1);

    let out = bsl(&["history", "--repo", repo]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let rows: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows[0][..4], ["FROM", "TO", "VERDICT", "MIGRATIONS"]);
    assert_eq!(rows[1][..2], ["v5.0", "v5.1"]);
    assert_eq!(rows[10][..4], ["v5.9", "v5.10", rows[10][2], "1"]);
    assert_eq!(rows[59][..2], ["v5.58", "v5.59"]);
    assert!(text.contains("\n59 pairs: "), "{text}");
}

#[test]
fn history_bounds_and_errors() {
    let dir = sixty_releases();
    let repo = dir.path().to_str().unwrap();
    let pairs = |extra: &[&str]| {
        let mut args = vec!["history", "--repo", repo, "--format", "json"];
        args.extend_from_slice(extra);
        let out = bsl(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                format!(
                    "{}..{}",
                    p["from"].as_str().unwrap(),
                    p["to"].as_str().unwrap()
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        pairs(&["--from", "v5.57"]),
        ["v5.57..v5.58", "v5.58..v5.59"]
    );
    assert_eq!(pairs(&["--to", "v5.2"]), ["v5.0..v5.1", "v5.1..v5.2"]);
    assert_eq!(
        pairs(&["--tags", "v5.?0", "--from", "v5.30"]),
        ["v5.30..v5.40", "v5.40..v5.50"]
    );
    // The side-branch tag is in the history of itself only.
    assert_eq!(
        pairs(&["--from", "v5.29", "--to", "v5.30.1"]),
        ["v5.29..v5.30", "v5.30..v5.30.1"]
    );

    let out = bsl(&["history", "--repo", repo, "--tags", "v5.[0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--tags"), "{}", stderr(&out));
    let out = bsl(&["history", "--repo", repo, "--from", "v9.0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("v9.0"));
    let out = bsl(&["history", "--repo", repo, "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn pull_request_mode_judges_the_branch_and_the_release_if_shipped_now() {
    let repo = ScenarioRepo::new("drop-column");
    let out = check(repo.path(), &["--pr", "--base", "v1.0", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_report(&doc["pull_request"]);
    assert_valid_report(&doc["if_released_now"]);
    assert_eq!(doc["base"], "v1.0");
    assert_eq!(doc["pull_request"]["from"]["chosen_by"], "merge-base");
    assert_eq!(doc["pull_request"]["verdict"], "destructive");
    assert_eq!(doc["if_released_now"]["from"]["rev"], "v1.0");
    let out = check(repo.path(), &["--pr", "--base", "v1.0"]);
    assert!(stdout(&out).contains("If released now"), "{}", stdout(&out));
    // Without --base the local default branch is the base; HEAD is on it, so the branch
    // itself changes nothing.
    let out = check(repo.path(), &["--pr", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["base"], "master");
    assert_eq!(doc["pull_request"]["verdict"], "none");
    assert_eq!(doc["if_released_now"]["verdict"], "destructive");
}

#[test]
fn schema_diff_shows_the_replayed_schema_and_its_difference() {
    let repo = ScenarioRepo::new("drop-column");
    let out = bsl(&["schema-diff", "--repo", repo.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("CREATE TABLE rules ("), "{text}");
    assert!(text.contains("-    legacy_flag TINYINT(1),"), "{text}");
    let repo = ScenarioRepo::new("no-migration-change");
    let out = bsl(&["schema-diff", "--repo", repo.path().to_str().unwrap()]);
    assert!(
        stdout(&out).contains("no schema difference"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn no_replay_judges_each_statement_alone() {
    let repo = ScenarioRepo::new("mysql-modify-change");
    let with = check(repo.path(), &["--format", "json"]);
    let without = check(repo.path(), &["--format", "json", "--no-replay"]);
    let verdict = |o: &Output| {
        let doc = serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap();
        assert_valid_report(&doc);
        doc["verdict"].clone()
    };
    assert_eq!(verdict(&with), "additive");
    assert_eq!(
        verdict(&without),
        "breaking",
        "without the old types the widening cannot be seen"
    );
}

/// The script of a step of the GitHub Action in action.yml (the `run: |` block).
fn action_step_script(name: &str) -> String {
    let action = include_str!("../../action.yml");
    let step = action
        .split("    - name: ")
        .find(|s| s.starts_with(name))
        .unwrap_or_else(|| panic!("no step {name} in action.yml"));
    let run = step.split("      run: |\n").nth(1).expect("a run block");
    run.lines()
        .take_while(|l| l.is_empty() || l.starts_with("        "))
        .map(|l| l.get(8..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the Action's own step scripts, as the runner would, with the built binary on PATH.
#[test]
fn github_action_steps_report_the_verdict_and_fail_by_fail_on() {
    let repo = ScenarioRepo::new("drop-column");
    let temp = tempfile::tempdir().unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_balrog-schema-lint"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = temp.path().join("output");
    let summary = temp.path().join("summary");
    let run = |step: &str, fail_on: &str| {
        Command::new("bash")
            .arg("-c")
            .arg(action_step_script(step))
            .env("PATH", &path)
            .env("RUNNER_TEMP", temp.path())
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("INPUT_FROM", "")
            .env("INPUT_TO", "HEAD")
            .env("INPUT_CONFIG", "")
            .env("INPUT_REPO", repo.path())
            .env("INPUT_FAIL_ON", fail_on)
            .output()
            .unwrap()
    };
    let verdict = run("Read the verdict", "error");
    assert_eq!(verdict.status.code(), Some(0), "{}", stderr(&verdict));
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        "verdict=destructive\n"
    );
    let checked = run("Check the migrations", "error");
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    assert!(
        stdout(&checked).contains("::warning file=migrations/0002_drop_rules_legacy.sql,line=2")
    );
    assert!(std::fs::read_to_string(&summary)
        .unwrap()
        .contains("DESTRUCTIVE"));
    let strict = run("Check the migrations", "warning");
    assert_eq!(
        strict.status.code(),
        Some(1),
        "a warning fails the step with fail-on warning"
    );
}
