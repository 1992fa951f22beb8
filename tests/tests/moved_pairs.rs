//! A deleted and an added migration pair as one moved migration only when their migration
//! names match one to one. Layouts that name every migration's file alike (diesel's
//! `up.sql`) must not pair every new migration with one deleted file: that reported new
//! migrations as moved released ones, which production "will not run again", and a release
//! that adds and drops columns came back `none`.

use balrog_schema_lint::{check, CheckRequest, Dialect, FileStatus, Verdict};
use balrog_schema_lint_tests::build_repo_from_files;

fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    list.iter()
        .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
        .collect()
}

#[test]
fn new_diesel_migrations_are_not_moves_of_one_deleted_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let init = "CREATE TABLE t (a INT NOT NULL PRIMARY KEY, b INT);\n";
    let released = files(&[
        ("migrations/2023-01-01-000000_init/up.sql", init),
        (
            "migrations_testing/2020-01-01-000000_views/up.sql",
            "CREATE VIEW v AS SELECT a FROM t;\n",
        ),
    ]);
    let release = files(&[
        ("migrations/2023-01-01-000000_init/up.sql", init),
        (
            "migrations/2023-02-01-000000_add_c/up.sql",
            "ALTER TABLE t ADD COLUMN c INT;\n",
        ),
        (
            "migrations/2023-03-01-000000_drop_b/up.sql",
            "ALTER TABLE t DROP COLUMN b;\n",
        ),
    ]);
    build_repo_from_files(dir.path(), &[("v1.0", released), ("v1.1", release)]).expect("repo");
    let report = check(&CheckRequest {
        repo: dir.path().to_path_buf(),
        from: Some("v1.0".into()),
        to: Some("v1.1".into()),
        dialect: Some(Dialect::Postgres),
        ..CheckRequest::default()
    })
    .expect("check");
    let statuses: Vec<(&str, FileStatus)> = report
        .migrations
        .iter()
        .map(|m| (m.path.as_str(), m.status))
        .collect();
    assert!(
        statuses.contains(&("migrations/2023-02-01-000000_add_c/up.sql", FileStatus::A))
            && statuses.contains(&("migrations/2023-03-01-000000_drop_b/up.sql", FileStatus::A)),
        "{statuses:?}"
    );
    assert_eq!(report.verdict, Verdict::Mixed, "{statuses:?}");
}
