//! The ledger property: for random trees of migration-shaped (and not so migration-shaped)
//! files under a migration location, committed as two releases of a real repository, every
//! changed path is in exactly one of the report's migrations, ignored files and
//! unrecognised files, and a release with an unrecognised file is never called safe.

use std::collections::{BTreeMap, BTreeSet};

use balrog_schema_lint::model::migration::MigrationFormat;
use balrog_schema_lint::{check, CheckRequest, Verdict};
use balrog_schema_lint_tests::{build_repo_from_files, Files};
use proptest::prelude::*;

/// File names as they appear in real migration folders, and some that are not.
fn name() -> impl Strategy<Value = String> {
    let stem = prop_oneof![
        (0u32..40).prop_map(|n| format!("{n:04}_add_t{n}")),
        (0u32..40).prop_map(|n| format!("{n:04} drop t{n}")),
        (0u32..40).prop_map(|n| format!("{n}-x")),
        (0u32..40).prop_map(|n| format!("V{n}__d")),
        (0u32..40).prop_map(|n| format!("V1_{n}__d")),
        (0u32..40).prop_map(|n| format!("U{n}__d")),
        (0u32..40).prop_map(|n| format!("B{n}__d")),
        (0u32..9).prop_map(|n| format!("R__view{n}")),
        (0u32..40).prop_map(|n| format!("{n}_a.up")),
        (0u32..40).prop_map(|n| format!("{n}_a.down")),
        (0u32..40).prop_map(|n| format!("{n:02}backfill")),
        (0u32..40).prop_map(|n| format!("{n:x}abc{n}_rev")),
        Just("README".to_string()),
        Just(".gitkeep".to_string()),
        Just("__init__".to_string()),
        Just("env".to_string()),
        Just("script.py".to_string()),
        Just("migration".to_string()),
        Just("up".to_string()),
        Just("down".to_string()),
        Just("sqitch".to_string()),
        Just("migration_lock".to_string()),
        "[a-z]{1,6}",
    ];
    let ext = prop_oneof![
        Just(".sql"),
        Just(".SQL"),
        Just(".py"),
        Just(".rb"),
        Just(".go"),
        Just(".md"),
        Just(".txt"),
        Just(".toml"),
        Just(".plan"),
        Just(".mako"),
        Just(".sql.sqlite"),
        Just(".sql.postgres"),
        Just(".pyc"),
        Just(""),
    ];
    let dir = prop_oneof![
        4 => Just(String::new()),
        1 => (0u32..30).prop_map(|n| format!("2024-01-01-{n:06}_x/")),
        1 => (0u32..30).prop_map(|n| format!("{n}_x/")),
        1 => (0u32..30).prop_map(|n| format!("delta/{n}/")),
        1 => Just("full_schemas/72/".to_string()),
        1 => Just("deploy/".to_string()),
        1 => Just("revert/".to_string()),
        1 => Just("verify/".to_string()),
        1 => Just("mysql/".to_string()),
        1 => Just("__pycache__/".to_string()),
        1 => Just("sub/dir/".to_string()),
    ];
    (dir, stem, ext).prop_map(|(dir, stem, ext)| format!("{dir}{stem}{ext}"))
}

/// Contents: SQL that expands, contracts or cannot be parsed, Python of every kind, section
/// markers, binary data and noise.
fn content() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        (0u32..9).prop_map(|n| format!("CREATE TABLE t{n} (id INT);\n").into_bytes()),
        Just(b"ALTER TABLE rules ADD COLUMN c INT NULL;\n".to_vec()),
        Just(b"ALTER TABLE rules DROP COLUMN c;\n".to_vec()),
        Just(b"ALTER TABLE rules FROBNICATE;\n".to_vec()),
        Just(b"-- migrate:up\nCREATE TABLE d (id INT);\n-- migrate:down\nDROP TABLE d;\n".to_vec()),
        Just(b"-- +goose Up\nCREATE TABLE g (id INT);\n-- +goose Down\nDROP TABLE g;\n".to_vec()),
        Just(b"revision = 'a1'\ndown_revision = None\n\ndef upgrade():\n    op.drop_column('rules', 'c')\n".to_vec()),
        Just(b"from sqlalchemy import *\n\ndef upgrade(migrate_engine):\n    pass\n".to_vec()),
        Just(b"from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = []\n".to_vec()),
        Just(b"def run_create(cur, database_engine):\n    cur.execute('DROP TABLE x')\n".to_vec()),
        Just(b"users 2024-01-01T00:00:00Z A <a@b>\n@v1.0 2024-01-02T00:00:00Z A <a@b>\n".to_vec()),
        Just(b"provider = \"postgresql\"\n".to_vec()),
        Just(b"\0\x01\x02binary".to_vec()),
        Just(b"\xff\xfe not utf-8".to_vec()),
        Just(Vec::new()),
        "[ -~\n]{0,40}".prop_map(String::into_bytes),
    ]
}

/// What happens to a file of the first release in the second.
#[derive(Debug, Clone)]
enum Fate {
    Kept,
    Modified(Vec<u8>),
    Deleted,
    Renamed(String),
}

fn fate() -> impl Strategy<Value = Fate> {
    prop_oneof![
        3 => Just(Fate::Kept),
        2 => content().prop_map(Fate::Modified),
        1 => Just(Fate::Deleted),
        1 => name().prop_map(Fate::Renamed),
    ]
}

fn format() -> impl Strategy<Value = MigrationFormat> {
    proptest::sample::select(MigrationFormat::ALL.to_vec())
}

type Tree = BTreeMap<String, Vec<u8>>;

fn releases() -> impl Strategy<Value = (Tree, Tree, MigrationFormat)> {
    let first = proptest::collection::btree_map(name(), content(), 0..10);
    let fates = proptest::collection::vec(fate(), 10);
    let added = proptest::collection::btree_map(name(), content(), 0..6);
    (first, fates, added, format()).prop_map(|(first, fates, added, format)| {
        let mut second = Tree::new();
        for ((path, text), fate) in first.iter().zip(fates) {
            match fate {
                Fate::Kept => {
                    second.insert(path.clone(), text.clone());
                }
                Fate::Modified(new) => {
                    second.insert(path.clone(), new);
                }
                Fate::Deleted => {}
                Fate::Renamed(to) => {
                    second.insert(to, text.clone());
                }
            }
        }
        second.extend(added);
        (first, second, format)
    })
}

fn snapshot(tree: &Tree, format: MigrationFormat) -> Files {
    let config = format!(
        "dialect = \"postgres\"\n[[migrations]]\npath = \"m\"\nformat = \"{}\"\n",
        format.name()
    );
    let mut files: Files = vec![("balrog-schema-lint.toml".to_string(), config.into_bytes())];
    // A file outside the location changes in every release; it is never in the ledger.
    files.push((
        "src/app.py".to_string(),
        format!("{}\n", tree.len()).into_bytes(),
    ));
    files.extend(
        tree.iter()
            .map(|(path, text)| (format!("m/{path}"), text.clone())),
    );
    files
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_changed_path_is_in_exactly_one_place((first, second, format) in releases()) {
        let dir = tempfile::tempdir().expect("temporary folder");
        build_repo_from_files(
            dir.path(),
            &[("v1.0", snapshot(&first, format)), ("v1.1", snapshot(&second, format))],
        )
        .expect("repository");
        let report = check(&CheckRequest {
            repo: dir.path().to_path_buf(),
            from: Some("v1.0".into()),
            to: Some("v1.1".into()),
            ..CheckRequest::default()
        })
        .map_err(|err| TestCaseError::fail(err.to_string()))?;

        let changed: BTreeSet<String> = first
            .keys()
            .chain(second.keys())
            .filter(|p| first.get(*p) != second.get(*p))
            .map(|p| format!("m/{p}"))
            .collect();
        let mut placed: Vec<&str> = Vec::new();
        let mut mentioned: BTreeSet<String> = BTreeSet::new();
        for m in &report.migrations {
            placed.push(&m.path);
            mentioned.insert(m.path.clone());
            mentioned.extend(m.old_path.clone());
        }
        for f in report.ignored.iter().chain(&report.unrecognised) {
            placed.push(&f.path);
            mentioned.insert(f.path.clone());
            mentioned.extend(f.old_path.clone());
        }
        let distinct: BTreeSet<&str> = placed.iter().copied().collect();
        prop_assert_eq!(distinct.len(), placed.len(), "a path is in two places: {:?}", placed);
        prop_assert_eq!(&mentioned, &changed, "the ledger and the changed paths differ");
        if !report.unrecognised.is_empty() {
            prop_assert!(
                !matches!(report.verdict, Verdict::None | Verdict::Additive | Verdict::Destructive),
                "verdict {:?} with unrecognised files {:?}", report.verdict, report.unrecognised
            );
            for file in &report.unrecognised {
                prop_assert!(report.findings.iter().any(|f| f.rule == "unrecognised-migration-file"
                    && f.path.as_deref() == Some(file.path.as_str())));
            }
        }
        prop_assert_eq!(report.counts.ignored, report.ignored.len());
        prop_assert_eq!(report.counts.unrecognised, report.unrecognised.len());
    }
}
