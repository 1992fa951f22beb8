//! Alembic revisions that import helpers and constants from a module of the repository:
//! the module is read statically from the tree of each release, so a helper that changes
//! between releases changes what the revisions that import it are read to do.

use balrog_schema_lint::lint::history::{history, HistoryRequest};
use balrog_schema_lint::{check, CheckRequest, Report, Verdict};
use balrog_schema_lint_tests::{build_repo_from_files, testdata, Files};

const ALEMBIC: &str = "src/auslib/alembic";

fn fixture(name: &str) -> Vec<u8> {
    testdata(&format!("python/alembic/imported-history/{name}"))
}

fn revision(name: &str) -> (String, Vec<u8>) {
    (format!("{ALEMBIC}/versions/{name}"), fixture(name))
}

/// v1.0: the base schema and the first helper module; v1.1: a revision dropping the
/// archived columns through the helper; v1.2: the helper module grows an audit helper (that
/// takes its column name from a third module) and a revision uses it.
fn releases(dialect: &str) -> Vec<(&'static str, Files)> {
    let config = (
        "balrog-schema-lint.toml".to_string(),
        format!("dialect = \"{dialect}\"\n").into_bytes(),
    );
    let v1: Files = vec![
        config,
        (
            format!("{ALEMBIC}/env.py"),
            b"# alembic environment\n".to_vec(),
        ),
        (
            format!("{ALEMBIC}/versions/wild_base.py"),
            testdata("python/alembic/wild_base.py"),
        ),
        ("src/auslib/__init__.py".into(), Vec::new()),
        (
            "src/auslib/migration_util.py".into(),
            fixture("migration_util_v1.py"),
        ),
    ];
    let mut v11 = v1.clone();
    v11.push(revision("h1_drop_archived.py"));
    let mut v12: Files = v11
        .iter()
        .filter(|(path, _)| path != "src/auslib/migration_util.py")
        .cloned()
        .collect();
    v12.extend([
        (
            "src/auslib/migration_util.py".into(),
            fixture("migration_util_v2.py"),
        ),
        (
            "src/auslib/column_names.py".into(),
            fixture("column_names.py"),
        ),
        revision("h2_audit.py"),
    ]);
    vec![("v1.0", v1), ("v1.1", v11), ("v1.2", v12)]
}

fn operations(report: &Report) -> Vec<String> {
    report
        .migrations
        .iter()
        .flat_map(|m| {
            m.operations.iter().map(move |o| {
                format!(
                    "{} {}: {} ({})",
                    m.version.as_str(),
                    o.line,
                    o.description,
                    o.direction.name()
                )
            })
        })
        .collect()
}

fn check_range(dir: &std::path::Path, from: &str, to: &str) -> Report {
    check(&CheckRequest {
        repo: dir.to_path_buf(),
        from: Some(from.into()),
        to: Some(to.into()),
        ..CheckRequest::default()
    })
    .unwrap()
}

#[test]
fn helpers_are_read_from_the_module_at_each_release() {
    let dir = tempfile::tempdir().unwrap();
    build_repo_from_files(dir.path(), &releases("postgres")).unwrap();

    let first = check_range(dir.path(), "v1.0", "v1.1");
    assert_eq!(
        operations(&first),
        ["h1 19: drop column gadgets.legacy (contract)"]
    );
    assert_eq!(first.verdict, Verdict::Destructive);

    // The helper module of v1.2, and the module it imports its column name from.
    let second = check_range(dir.path(), "v1.1", "v1.2");
    assert_eq!(
        operations(&second),
        ["h2 17: add column owners.audited_at TIMESTAMP (expand)"]
    );
    assert_eq!(second.verdict, Verdict::Additive);

    // One run over every release reads h1 with both versions of the helper module, and
    // agrees with `check` on each pair.
    let found = history(
        &HistoryRequest {
            repo: dir.path().to_path_buf(),
            ..HistoryRequest::default()
        },
        &mut |_| {},
    )
    .unwrap();
    let verdicts: Vec<(&str, &str, Verdict)> = found
        .pairs
        .iter()
        .map(|p| (p.from.as_str(), p.to.as_str(), p.verdict))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("v1.0", "v1.1", Verdict::Destructive),
            ("v1.1", "v1.2", Verdict::Additive),
        ]
    );
}

#[test]
fn an_imported_dialect_helper_decides_the_branch() {
    let dir = tempfile::tempdir().unwrap();
    build_repo_from_files(dir.path(), &releases("sqlite")).unwrap();
    let report = check_range(dir.path(), "v1.0", "v1.1");
    assert_eq!(operations(&report), Vec::<String>::new());
    assert_eq!(report.verdict, Verdict::None);
}

/// v1.0: the metadata with a naming convention (in a module `env.py` imports) and a revision
/// adding unnamed keys; v1.1: a revision dropping them by the names the convention gave.
fn convention_releases(with_convention: bool) -> Vec<(&'static str, Files)> {
    let db = if with_convention {
        fixture("db_with_convention.py")
    } else {
        b"from sqlalchemy import MetaData\n\nmetadata = MetaData()\n".to_vec()
    };
    let v1: Files = vec![
        (format!("{ALEMBIC}/env.py"), fixture("env.py")),
        (
            format!("{ALEMBIC}/versions/wild_base.py"),
            testdata("python/alembic/wild_base.py"),
        ),
        ("src/auslib/__init__.py".into(), Vec::new()),
        ("src/auslib/db.py".into(), db),
        revision("n1_named_by_convention.py"),
    ];
    let mut v11 = v1.clone();
    v11.push(revision("n2_drop_by_convention.py"));
    vec![("v1.0", v1), ("v1.1", v11)]
}

#[test]
fn constraints_are_named_by_the_metadata_naming_convention() {
    let schema = |dir: &std::path::Path, at: &str| {
        balrog_schema_lint::schema_at(
            &CheckRequest {
                repo: dir.to_path_buf(),
                ..CheckRequest::default()
            },
            at,
        )
        .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    build_repo_from_files(dir.path(), &convention_releases(true)).unwrap();
    let report = check_range(dir.path(), "v1.0", "v1.1");
    // Each drop finds the key the convention named (op.f() kept its name as written).
    assert_eq!(
        operations(&report),
        [
            "n2 15: drop constraint uq_gadgets_weight on gadgets (expand)",
            "n2 16: drop constraint ck_gadgets_positive on gadgets (expand)",
            "n2 17: drop constraint fk_settings_value_owners on settings (expand)",
            "n2 18: drop index ix_gadgets_notes on gadgets (neutral)",
        ]
    );
    assert_eq!(report.verdict, Verdict::Additive);
    let named = schema(dir.path(), "v1.0");
    for name in [
        "uq_gadgets_weight",
        "ck_gadgets_positive",
        "fk_settings_value_owners",
        "ix_gadgets_notes",
    ] {
        assert!(named.contains(name), "{name} in {named}");
    }
    let after = schema(dir.path(), "v1.1");
    assert!(
        !after.contains("uq_gadgets_weight") && !after.contains("UNIQUE (weight)"),
        "{after}"
    );

    // Without the convention the keys have no such names.
    let dir = tempfile::tempdir().unwrap();
    build_repo_from_files(dir.path(), &convention_releases(false)).unwrap();
    let unnamed = schema(dir.path(), "v1.0");
    assert!(unnamed.contains("UNIQUE (weight)"), "{unnamed}");
    assert!(!unnamed.contains("uq_gadgets_weight"), "{unnamed}");
    // So the drops by those names leave the keys in place.
    assert!(schema(dir.path(), "v1.1").contains("UNIQUE (weight)"));
}

/// v1.0 releases `l1`, whose module-level `get_logger()` calls into a repository module the
/// reader cannot follow to the end; v1.1 changes that module and adds a comment to `l1`.
fn logger_releases() -> Vec<(&'static str, Files)> {
    let base: Files = vec![
        (
            "balrog-schema-lint.toml".to_string(),
            b"dialect = \"postgres\"\n".to_vec(),
        ),
        (
            format!("{ALEMBIC}/env.py"),
            b"# alembic environment\n".to_vec(),
        ),
        (
            format!("{ALEMBIC}/versions/wild_base.py"),
            testdata("python/alembic/wild_base.py"),
        ),
        ("src/auslib/__init__.py".into(), Vec::new()),
    ];
    let mut v10 = base.clone();
    v10.push(revision("l1_logged.py"));
    v10.push(("src/auslib/log_util.py".into(), fixture("log_util_v1.py")));
    let mut v11 = base;
    let mut commented = fixture("l1_logged.py");
    commented.extend_from_slice(b"\n# The note column is free text.\n");
    v11.push((format!("{ALEMBIC}/versions/l1_logged.py"), commented));
    v11.push(("src/auslib/log_util.py".into(), fixture("log_util_v2.py")));
    vec![("v1.0", v10), ("v1.1", v11)]
}

#[test]
fn an_edit_whose_statements_are_unreadable_at_both_ends_is_not_called_a_change() {
    let dir = tempfile::tempdir().unwrap();
    build_repo_from_files(dir.path(), &logger_releases()).unwrap();
    let report = check_range(dir.path(), "v1.0", "v1.1");
    assert_eq!(report.verdict, Verdict::None);
    let edits: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "edited-released-migration")
        .collect();
    assert_eq!(edits.len(), 1, "{edits:?}");
    let edit = edits[0];
    // Not "formatting only" (the tool cannot tell), and not "changed what it does" with the
    // same operations listed twice: both reasons, at the statement's line.
    assert_eq!(edit.severity, balrog_schema_lint::Severity::Error);
    assert_eq!(edit.line, Some(14));
    assert!(edit.message.contains("cannot be told"), "{}", edit.message);
    assert!(
        edit.message.contains("get_app_settings"),
        "{}",
        edit.message
    );
    assert!(
        edit.message.contains("get_logging_settings"),
        "{}",
        edit.message
    );
    assert!(
        !edit.message.contains("formatting only"),
        "{}",
        edit.message
    );
}
