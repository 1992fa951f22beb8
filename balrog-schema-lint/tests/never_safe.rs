//! Never "safe" by accident: a release holding one statement the tool cannot read or does
//! not model, among statements it understands, is judged `needs-review`, wherever that
//! statement sits, whatever surrounds it and whichever dialect reads it. The same release
//! without that statement is not needs-review, so the bad statement is what decides.

use std::path::Path;

use balrog_schema_lint::{check, CheckRequest, Verdict};
use git2::{Repository, Signature};
use proptest::prelude::*;

/// Statements every dialect reads, none of which conflicts with another in any order.
const GOOD: [&str; 7] = [
    "ALTER TABLE rules ADD COLUMN extra INT",
    "CREATE TABLE fresh (id INT PRIMARY KEY)",
    "CREATE INDEX idx_name ON rules (name)",
    "ALTER TABLE rules DROP COLUMN legacy",
    "UPDATE rules SET name = 'x' WHERE id = 1",
    "INSERT INTO rules (id, name) VALUES (1, 'a')",
    "DROP TABLE old_things",
];

/// A statement of one dialect only.
const MYSQL_GOOD: &str = "ALTER TABLE rules MODIFY name VARCHAR(20) NULL";

const DIALECTS: [&str; 4] = ["mysql", "postgres", "sqlite", "generic"];

/// Statements the tool cannot parse or does not model, each meaning needs-review.
const BAD: [&str; 10] = [
    "FROBNICATE rules",
    "ALTER TABLE rules FROBNICATE COLUMN x",
    "DO $$ BEGIN LOOP EXIT; END LOOP; END $$",
    "CREATE RULE r AS ON INSERT TO rules DO INSTEAD NOTHING",
    "PREPARE stmt FROM @sql",
    "ALTER TABLE rules ADD COLUMN (((",
    "CREATE TABLE broken (id INT,",
    "CREATE SPATIAL REFERENCE SYSTEM 4120 NAME 'g'",
    "ALTER TABLE rules ADD COLUMN x INT DEFAULT (SELECT",
    "CALL cleanup()",
];

fn commit(repo: &Repository, files: &[(String, String)], dialect: &str, tag: &str) {
    let mut migrations = repo.treebuilder(None).unwrap();
    for (name, text) in files {
        let blob = repo.blob(text.as_bytes()).unwrap();
        migrations.insert(name, blob, 0o100644).unwrap();
    }
    let folder = migrations.write().unwrap();
    let mut root = repo.treebuilder(None).unwrap();
    root.insert("migrations", folder, 0o040000).unwrap();
    let config = repo
        .blob(format!("dialect = \"{dialect}\"\n").as_bytes())
        .unwrap();
    root.insert("balrog-schema-lint.toml", config, 0o100644)
        .unwrap();
    let tree = repo.find_tree(root.write().unwrap()).unwrap();
    let sig = Signature::now("r", "r@example.com").unwrap();
    let parent = repo
        .head()
        .ok()
        .and_then(|h| h.peel_to_commit().ok())
        .into_iter()
        .collect::<Vec<_>>();
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    let id = repo
        .commit(Some("HEAD"), &sig, &sig, tag, &tree, &parents)
        .unwrap();
    repo.tag_lightweight(tag, &repo.find_object(id, None).unwrap(), false)
        .unwrap();
}

fn verdict_of(dir: &Path, dialect: &str, new_files: Vec<(String, String)>) -> Verdict {
    let repo = Repository::init(dir).unwrap();
    let base = vec![(
        "0001_init.sql".to_string(),
        "CREATE TABLE rules (id INT PRIMARY KEY, name VARCHAR(10), legacy INT);\nCREATE TABLE old_things (id INT);\n"
            .to_string(),
    )];
    commit(&repo, &base, dialect, "v1.0");
    let mut all = base;
    all.extend(new_files);
    commit(&repo, &all, dialect, "v1.1");
    check(&CheckRequest {
        repo: dir.to_path_buf(),
        ..CheckRequest::default()
    })
    .expect("the check completes")
    .verdict
}

/// Garbage after an unknown word: no statement ends, quotes or comments inside.
fn garbage() -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = "abcXYZ019 ()=,.*+<>!@%&|{}[]\n\t".chars().collect();
    proptest::collection::vec(proptest::sample::select(alphabet), 0..40)
        .prop_map(|chars| format!("XYZZY {}", chars.into_iter().collect::<String>()))
}

/// The migration files holding `statements`, in one file or split over two.
fn files_of(statements: &[String], split: bool, comments: bool) -> Vec<(String, String)> {
    let sep = if comments { ";\n-- next\n" } else { ";\n" };
    if statements.is_empty() {
        return Vec::new();
    }
    if split && statements.len() > 1 {
        let (first, second) = statements.split_at(statements.len() / 2);
        vec![
            ("0002_a.sql".to_string(), first.join(sep) + ";\n"),
            ("0003_b.sql".to_string(), second.join(sep) + ";\n"),
        ]
    } else {
        vec![("0002_a.sql".to_string(), statements.join(sep) + ";\n")]
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn one_unreadable_statement_is_never_safe(
        dialect in proptest::sample::select(DIALECTS.to_vec()),
        good in proptest::sample::subsequence(GOOD.to_vec(), 0..=GOOD.len()).prop_shuffle(),
        modify in any::<bool>(),
        bad in prop_oneof![proptest::sample::select(BAD.to_vec()).prop_map(String::from), garbage()],
        position in any::<proptest::sample::Index>(),
        split in any::<bool>(),
        comments in any::<bool>(),
    ) {
        let mut statements: Vec<String> = good.iter().map(|s| s.to_string()).collect();
        if modify && dialect == "mysql" {
            statements.push(MYSQL_GOOD.to_string());
        }
        // Without the bad statement the release is readable: not needs-review.
        let control = files_of(&statements, split, comments);
        let dir = tempfile::tempdir().unwrap();
        let verdict = verdict_of(dir.path(), dialect, control.clone());
        prop_assert_ne!(verdict, Verdict::NeedsReview, "{} {:?}", dialect, control);

        let at = position.index(statements.len() + 1);
        statements.insert(at, bad.clone());
        let files = files_of(&statements, split, comments);
        let dir = tempfile::tempdir().unwrap();
        let verdict = verdict_of(dir.path(), dialect, files.clone());
        prop_assert_eq!(verdict, Verdict::NeedsReview, "{} {:?}", dialect, files);
    }
}
