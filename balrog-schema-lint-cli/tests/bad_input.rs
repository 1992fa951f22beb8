//! Bad input, run through the built binary against real repositories: every case ends with
//! exit 2 and a message naming the thing at fault, or a needs-review finding at the right
//! line. None may panic, hang or overflow the stack.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use git2::{Oid, Repository, Signature, Time};
use serde_json::Value;

/// What a path in a commit holds.
enum Entry<'a> {
    File(&'a [u8]),
    Link(&'a str),
    Submodule(Oid),
}

/// A repository in a temporary folder, built commit by commit.
struct TestRepo {
    dir: tempfile::TempDir,
    repo: Repository,
    parent: Option<Oid>,
    clock: i64,
}

impl TestRepo {
    fn new() -> TestRepo {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        TestRepo {
            dir,
            repo,
            parent: None,
            clock: 1_700_000_000,
        }
    }

    fn bare() -> TestRepo {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init_bare(dir.path()).unwrap();
        TestRepo {
            dir,
            repo,
            parent: None,
            clock: 1_700_000_000,
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Commits a whole tree (one entry per path) and tags it when `tag` is given.
    fn commit_entries(&mut self, files: &[(&str, Entry<'_>)], tag: Option<&str>) -> Oid {
        let mut map: BTreeMap<String, (Oid, i32)> = BTreeMap::new();
        for (path, entry) in files {
            let value = match entry {
                Entry::File(bytes) => (self.repo.blob(bytes).unwrap(), 0o100644),
                Entry::Link(target) => (self.repo.blob(target.as_bytes()).unwrap(), 0o120000),
                Entry::Submodule(id) => (*id, 0o160000),
            };
            map.insert(path.to_string(), value);
        }
        let tree = write_tree(&self.repo, &map);
        let tree = self.repo.find_tree(tree).unwrap();
        self.clock += 86_400;
        let sig = Signature::new("r", "r@example.com", &Time::new(self.clock, 0)).unwrap();
        let parents: Vec<git2::Commit<'_>> = self
            .parent
            .map(|p| vec![self.repo.find_commit(p).unwrap()])
            .unwrap_or_default();
        let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let id = self
            .repo
            .commit(Some("HEAD"), &sig, &sig, "c", &tree, &refs)
            .unwrap();
        if let Some(tag) = tag {
            let object = self.repo.find_object(id, None).unwrap();
            self.repo.tag_lightweight(tag, &object, false).unwrap();
        }
        self.parent = Some(id);
        id
    }

    fn commit(&mut self, files: &[(&str, &[u8])], tag: Option<&str>) -> Oid {
        let entries: Vec<(&str, Entry<'_>)> =
            files.iter().map(|(p, b)| (*p, Entry::File(b))).collect();
        self.commit_entries(&entries, tag)
    }

    /// v1.0 with one migration, then `files` added on top as v1.1.
    fn release_with(files: &[(&str, &[u8])]) -> TestRepo {
        let mut repo = TestRepo::new();
        let base: &[(&str, &[u8])] = &[(
            "migrations/0001_init.sql",
            b"CREATE TABLE rules (id INT PRIMARY KEY, name VARCHAR(10));\n",
        )];
        repo.commit(base, Some("v1.0"));
        let mut all = base.to_vec();
        all.extend_from_slice(files);
        repo.commit(&all, Some("v1.1"));
        repo
    }
}

fn write_tree(repo: &Repository, files: &BTreeMap<String, (Oid, i32)>) -> Oid {
    let mut children: BTreeMap<&str, BTreeMap<String, (Oid, i32)>> = BTreeMap::new();
    let mut builder = repo.treebuilder(None).unwrap();
    for (path, (id, mode)) in files {
        match path.split_once('/') {
            Some((dir, rest)) => {
                children
                    .entry(dir)
                    .or_default()
                    .insert(rest.to_string(), (*id, *mode));
            }
            None => {
                builder.insert(path, *id, *mode).unwrap();
            }
        }
    }
    for (dir, nested) in children {
        let tree = write_tree(repo, &nested);
        builder.insert(dir, tree, 0o040000).unwrap();
    }
    builder.write().unwrap()
}

/// Runs the binary with a deadline: a hang fails the test instead of the whole run.
fn bsl(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_balrog-schema-lint"))
        .args(args)
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run balrog-schema-lint");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("balrog-schema-lint {args:?} did not finish in 60 s");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.wait_with_output().unwrap()
}

fn check(repo: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", "--repo", repo.to_str().unwrap()];
    args.extend_from_slice(extra);
    bsl(&args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An input error: exit 2, nothing on stdout, every `names` in the message, no panic.
fn assert_input_error(out: &Output, names: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(out.stdout.is_empty(), "no partial output: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for name in names {
        assert!(err.contains(name), "message should name {name:?}: {err}");
    }
}

/// The JSON report of a range that completes (exit 0 or 1).
fn report(repo: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let out = check(repo, &args);
    let err = stderr(&out);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    balrog_schema_lint_tests::schema::assert_valid_report(&doc);
    doc
}

/// The operations of `path` in a report as (line, kind, direction).
fn ops(doc: &Value, path: &str) -> Vec<(u64, String, String)> {
    doc["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["path"] == path)
        .flat_map(|m| m["operations"].as_array().unwrap().clone())
        .map(|op| {
            (
                op["line"].as_u64().unwrap(),
                op["kind"].as_str().unwrap().to_string(),
                op["direction"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Asserts a needs-review verdict with a needs-review operation of `path` at `line`.
fn assert_needs_review_at(doc: &Value, path: &str, line: u64) {
    assert_eq!(doc["verdict"], "needs-review", "{doc:#}");
    let found = ops(doc, path);
    assert!(
        found
            .iter()
            .any(|(l, _, d)| *l == line && d == "needs-review"),
        "expected needs-review at {path}:{line}, got {found:?}"
    );
}

const NEW: &str = "migrations/0002_new.sql";

// --- revisions and repositories -------------------------------------------------------

#[test]
fn unknown_to_revision() {
    let repo = TestRepo::release_with(&[]);
    assert_input_error(&check(repo.path(), &["--to", "v7.7"]), &["v7.7"]);
}

#[test]
fn unknown_from_revision() {
    let repo = TestRepo::release_with(&[]);
    assert_input_error(
        &check(repo.path(), &["--from", "no-such-branch"]),
        &["no-such-branch"],
    );
}

#[test]
fn from_after_to() {
    let repo = TestRepo::release_with(&[]);
    assert_input_error(
        &check(repo.path(), &["--from", "v1.1", "--to", "v1.0"]),
        &["v1.1", "v1.0"],
    );
}

#[test]
fn malformed_revision_expressions() {
    let repo = TestRepo::release_with(&[]);
    for rev in ["HEAD~99", "v1.0^^^^", "@{-1}", "", "HEAD:missing.sql"] {
        let out = check(repo.path(), &["--from", rev]);
        assert_eq!(out.status.code(), Some(2), "{rev:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"));
    }
}

#[test]
fn not_a_git_repository() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("plain");
    std::fs::create_dir(&folder).unwrap();
    assert_input_error(&check(&folder, &[]), &["not a git repository", "plain"]);
}

#[test]
fn repository_path_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    assert_input_error(&check(&missing, &[]), &["nowhere"]);
}

#[test]
fn empty_repository_without_commits() {
    let repo = TestRepo::new();
    assert_input_error(&check(repo.path(), &[]), &["HEAD"]);
    let out = bsl(&["history", "--repo", repo.path().to_str().unwrap()]);
    assert_input_error(&out, &["HEAD"]);
}

#[test]
fn no_release_tag_without_from() {
    let mut repo = TestRepo::new();
    repo.commit(&[("migrations/0001_a.sql", b"SELECT 1;\n")], None);
    repo.commit(&[("migrations/0001_a.sql", b"SELECT 2;\n")], None);
    assert_input_error(&check(repo.path(), &[]), &["no release tag", "--from"]);
}

#[test]
fn shallow_clone_missing_the_from_commit() {
    let mut repo = TestRepo::release_with(&[(NEW, b"ALTER TABLE rules ADD COLUMN x INT;\n")]);
    let old = repo.repo.revparse_single("v1.0").unwrap().id();
    let tip = repo.commit(&[("README", b"x\n")], Some("v1.2"));
    // A depth-1 clone: the older commit's object is absent and `shallow` lists the cut.
    let git_dir = repo.repo.path().to_path_buf();
    std::fs::write(git_dir.join("shallow"), format!("{tip}\n")).unwrap();
    let hex = old.to_string();
    std::fs::remove_file(git_dir.join("objects").join(&hex[..2]).join(&hex[2..])).unwrap();
    assert_input_error(&check(repo.path(), &["--from", "v1.0"]), &["v1.0"]);
    assert_input_error(&check(repo.path(), &["--from", &hex]), &[&hex[..9]]);
}

#[test]
fn partial_clone_missing_a_file_outside_the_migrations() {
    // Releases from before the project had migrations: one swaps a picture for another,
    // and the clone (`--filter=blob:none`, say) lacks the old picture. Nothing under a
    // migration location changed, so nothing needs it.
    let mut repo = TestRepo::new();
    repo.commit(
        &[("docs/a.gif", b"GIF89a one"), ("src/app.py", b"x = 1\n")],
        Some("v1.0"),
    );
    repo.commit(
        &[("docs/b.gif", b"GIF89a two"), ("src/app.py", b"x = 2\n")],
        Some("v1.1"),
    );
    repo.commit(
        &[
            ("docs/b.gif", b"GIF89a two"),
            ("src/app.py", b"x = 2\n"),
            ("migrations/0001_a.sql", b"CREATE TABLE a (id INT);\n"),
        ],
        Some("v1.2"),
    );
    let gif = repo.repo.blob(b"GIF89a one").unwrap().to_string();
    let objects = repo.repo.path().join("objects");
    std::fs::remove_file(objects.join(&gif[..2]).join(&gif[2..])).unwrap();

    let doc = report(repo.path(), &["--from", "v1.0", "--to", "v1.1"]);
    assert_eq!(doc["verdict"], "none");
    let doc = report(repo.path(), &["--from", "v1.0", "--to", "v1.2"]);
    assert_eq!(doc["verdict"], "additive");
    let out = bsl(&[
        "history",
        "--repo",
        repo.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let history: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let verdicts: Vec<&Value> = history["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| &pair["verdict"])
        .collect();
    assert_eq!(verdicts, ["none", "additive"]);
}

#[test]
fn bare_repository_works() {
    let mut repo = TestRepo::bare();
    repo.commit(
        &[("migrations/0001_a.sql", b"CREATE TABLE a (id INT);\n")],
        Some("v1.0"),
    );
    repo.commit(
        &[
            ("migrations/0001_a.sql", b"CREATE TABLE a (id INT);\n"),
            ("migrations/0002_b.sql", b"ALTER TABLE a DROP COLUMN id;\n"),
        ],
        Some("v1.1"),
    );
    let doc = report(repo.path(), &["--to", "v1.1"]);
    assert_eq!(doc["verdict"], "destructive");
}

#[test]
fn to_a_tag_of_a_blob() {
    let repo = TestRepo::release_with(&[]);
    let blob = repo.repo.blob(b"not a commit").unwrap();
    let object = repo.repo.find_object(blob, None).unwrap();
    repo.repo.tag_lightweight("v2.0", &object, false).unwrap();
    assert_input_error(&check(repo.path(), &["--to", "v2.0"]), &["v2.0", "commit"]);
    assert_input_error(&check(repo.path(), &["--from", "v2.0"]), &["v2.0"]);
}

#[test]
fn to_a_tag_of_a_tree() {
    let repo = TestRepo::release_with(&[]);
    let tree = repo.repo.head().unwrap().peel_to_tree().unwrap();
    repo.repo
        .tag_lightweight("v3.0", tree.as_object(), false)
        .unwrap();
    assert_input_error(&check(repo.path(), &["--to", "v3.0"]), &["v3.0", "commit"]);
}

#[test]
fn release_tags_of_blobs_and_trees_are_not_releases() {
    let repo = TestRepo::release_with(&[(NEW, b"ALTER TABLE rules DROP COLUMN name;\n")]);
    let blob = repo.repo.blob(b"x").unwrap();
    let object = repo.repo.find_object(blob, None).unwrap();
    repo.repo.tag_lightweight("v1.0.5", &object, false).unwrap();
    let signature = Signature::now("r", "r@example.com").unwrap();
    repo.repo
        .tag(
            "v1.0.6",
            &object,
            &signature,
            "annotated tag of a blob",
            false,
        )
        .unwrap();
    // The default FROM skips them and finds v1.0.
    let doc = report(repo.path(), &["--to", "v1.1"]);
    assert_eq!(doc["from"]["rev"], "v1.0");
    let out = bsl(&["history", "--repo", repo.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn tag_names_with_huge_numbers() {
    // The tags sit between v1.1 and the tip, where a tag read as a version would be chosen
    // as `--from` (it would be the highest release before the tip).
    let mut repo = TestRepo::release_with(&[]);
    let base: &[(&str, &[u8])] = &[(
        "migrations/0001_init.sql",
        b"CREATE TABLE rules (id INT PRIMARY KEY, name VARCHAR(10));\n",
    )];
    let between = repo.commit(&[base[0], ("a", b"a".as_slice())], None);
    repo.commit(&[base[0], ("a", b"b".as_slice())], None);
    let object = repo.repo.find_object(between, None).unwrap();
    for name in [
        "v99999999999999999999999.1",
        "v1.99999999999999999999999",
        "v1.2.3.4.5",
        "v.1",
        "v-1.2",
    ] {
        repo.repo.tag_lightweight(name, &object, false).unwrap();
    }
    let doc = report(repo.path(), &[]);
    assert_eq!(doc["from"]["rev"], "v1.1", "{:#}", doc["from"]);
    assert_eq!(doc["from"]["chosen_by"], "latest-release-tag");
}

#[test]
fn from_equal_to_is_an_empty_range() {
    let repo = TestRepo::release_with(&[(NEW, b"ALTER TABLE rules DROP COLUMN name;\n")]);
    let doc = report(repo.path(), &["--from", "v1.1", "--to", "v1.1"]);
    assert_eq!(doc["verdict"], "none");
}

// --- migration files -------------------------------------------------------------------

#[test]
fn migration_that_is_a_binary_file() {
    let repo = TestRepo::release_with(&[(NEW, b"ALTER TABLE\0\x01\x02 rules;\n")]);
    let doc = report(repo.path(), &[]);
    assert_needs_review_at(&doc, NEW, 1);
    assert!(doc.to_string().contains("binary"), "{doc:#}");
}

#[test]
fn migration_that_is_not_utf8() {
    let repo = TestRepo::release_with(&[(NEW, b"-- caf\xe9\nALTER TABLE rules ADD x INT;\n")]);
    let doc = report(repo.path(), &[]);
    assert_needs_review_at(&doc, NEW, 1);
    assert!(doc.to_string().contains("UTF-8"), "{doc:#}");
}

#[test]
fn a_50_mb_migration_is_bounded() {
    let mut text = String::from("ALTER TABLE rules ADD COLUMN a INT;\n");
    let filler = "-- padding padding padding padding padding padding padding padding\n";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(filler);
    }
    let repo = TestRepo::release_with(&[(NEW, text.as_bytes())]);
    let started = Instant::now();
    let doc = report(repo.path(), &[]);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_needs_review_at(&doc, NEW, 1);
    assert!(doc.to_string().contains("too large"), "{doc:#}");
}

#[test]
fn sql_nested_ten_thousand_deep() {
    let depth = 10_000;
    let sql = format!(
        "ALTER TABLE rules ADD COLUMN a INT;\nSELECT {}1{};\nALTER TABLE rules DROP COLUMN name;\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let repo = TestRepo::release_with(&[(NEW, sql.as_bytes())]);
    let doc = report(repo.path(), &[]);
    assert_needs_review_at(&doc, NEW, 2);
    // The statements around it are still read.
    let found = ops(&doc, NEW);
    assert!(
        found.iter().any(|(l, k, _)| *l == 3 && k == "drop-column"),
        "{found:?}"
    );
}

#[test]
fn sql_deep_in_a_column_default() {
    let depth = 10_000;
    let sql = format!(
        "ALTER TABLE rules ADD COLUMN a INT DEFAULT {}1{};\n",
        "-".repeat(depth),
        ""
    );
    let repo = TestRepo::release_with(&[(NEW, sql.as_bytes())]);
    let doc = report(repo.path(), &[]);
    assert_needs_review_at(&doc, NEW, 1);
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{doc:#}");
    assert_eq!(findings[0]["rule"], "unreadable-statement");
    assert_eq!(findings[0]["line"], 1);
    let message = findings[0]["message"].as_str().unwrap();
    assert!(message.contains("nested too deeply"), "{message}");
}

fn alembic_repo(new_file: &str, body: &[u8]) -> TestRepo {
    let mut repo = TestRepo::new();
    let env: &[u8] = b"# alembic env\n";
    let first: &[u8] = b"revision = 'a1'\ndown_revision = None\n\nfrom alembic import op\nimport sqlalchemy as sa\n\ndef upgrade():\n    op.create_table('rules', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(10)))\n";
    let base = [("db/env.py", env), ("db/versions/a1_first.py", first)];
    repo.commit(&base, Some("v1.0"));
    let mut all = base.to_vec();
    all.push((new_file, body));
    repo.commit(&all, Some("v1.1"));
    repo
}

#[test]
fn python_nested_ten_thousand_deep() {
    let depth = 10_000;
    let body = format!(
        "revision = 'b2'\ndown_revision = 'a1'\n\nfrom alembic import op\nimport sqlalchemy as sa\n\ndef upgrade():\n    x = {}1{}\n    op.drop_column('rules', 'name')\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let repo = alembic_repo("db/versions/b2_deep.py", body.as_bytes());
    let doc = report(repo.path(), &[]);
    // Deep brackets are still read: the statement after them counts.
    assert_eq!(doc["verdict"], "destructive", "{doc:#}");
    let found = ops(&doc, "db/versions/b2_deep.py");
    assert!(
        found.iter().any(|(l, k, _)| *l == 9 && k == "drop-column"),
        "{found:?}"
    );
}

#[test]
fn python_deeply_nested_calls_and_lists() {
    let depth = 10_000;
    let body = format!(
        "revision = 'b2'\ndown_revision = 'a1'\n\nfrom alembic import op\n\ndef upgrade():\n    op.execute({}'x'{})\n",
        "f(".repeat(depth),
        ")".repeat(depth)
    );
    let repo = alembic_repo("db/versions/b2_deep.py", body.as_bytes());
    let doc = report(repo.path(), &[]);
    assert_eq!(doc["verdict"], "needs-review", "{doc:#}");
    let body = format!(
        "revision = 'b2'\ndown_revision = 'a1'\n\nfrom alembic import op\n\ndef upgrade():\n    op.execute({}'x'{})\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let repo = alembic_repo("db/versions/b2_deep.py", body.as_bytes());
    let doc = report(repo.path(), &[]);
    assert_eq!(doc["verdict"], "needs-review", "{doc:#}");
}

#[test]
fn python_with_a_syntax_error() {
    let body: &[u8] = b"revision = 'b2'\ndown_revision = 'a1'\n\nfrom alembic import op\n\ndef upgrade(:\n    op.drop_column('rules', 'name')\n";
    let repo = alembic_repo("db/versions/b2_broken.py", body);
    let doc = report(repo.path(), &[]);
    assert_needs_review_at(&doc, "db/versions/b2_broken.py", 6);
}

#[test]
fn alembic_chain_with_a_cycle() {
    let mut repo = TestRepo::new();
    let env: &[u8] = b"# env\n";
    let a: &[u8] = b"revision = 'a1'\ndown_revision = 'c3'\nfrom alembic import op\ndef upgrade():\n    op.drop_column('rules', 'x')\n";
    let b: &[u8] = b"revision = 'b2'\ndown_revision = 'a1'\nfrom alembic import op\ndef upgrade():\n    op.drop_column('rules', 'y')\n";
    let c: &[u8] = b"revision = 'c3'\ndown_revision = 'b2'\nfrom alembic import op\ndef upgrade():\n    op.drop_column('rules', 'z')\n";
    repo.commit(&[("db/env.py", env)], Some("v1.0"));
    repo.commit(
        &[
            ("db/env.py", env),
            ("db/versions/a1.py", a),
            ("db/versions/b2.py", b),
            ("db/versions/c3.py", c),
        ],
        Some("v1.1"),
    );
    let out = check(repo.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    balrog_schema_lint_tests::schema::assert_valid_report(&doc);
    let text = doc["findings"].to_string();
    assert!(text.contains("cycle"), "{text}");
}

#[test]
fn alembic_revision_that_is_its_own_parent() {
    let body: &[u8] = b"revision = 'b2'\ndown_revision = 'b2'\nfrom alembic import op\ndef upgrade():\n    op.drop_column('rules', 'name')\n";
    let repo = alembic_repo("db/versions/b2_self.py", body);
    let out = check(repo.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let chain: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "broken-alembic-chain")
        .collect();
    assert_eq!(chain.len(), 1, "{doc:#}");
    assert_eq!(chain[0]["severity"], "error");
    assert_eq!(chain[0]["path"], "db/versions/b2_self.py");
    let message = chain[0]["message"].as_str().unwrap();
    assert!(
        message.contains("b2") && message.contains("cycle"),
        "{message}"
    );
}

#[test]
fn symlinked_migration() {
    let mut repo = TestRepo::new();
    let init: &[u8] = b"CREATE TABLE rules (id INT);\n";
    repo.commit(&[("migrations/0001_init.sql", init)], Some("v1.0"));
    repo.commit_entries(
        &[
            ("migrations/0001_init.sql", Entry::File(init)),
            (
                "migrations/0002_link.sql",
                Entry::Link("../elsewhere/drop.sql"),
            ),
        ],
        Some("v1.1"),
    );
    let doc = report(repo.path(), &[]);
    assert_needs_review_at(&doc, "migrations/0002_link.sql", 1);
    assert!(doc.to_string().contains("symbolic link"));
}

#[test]
fn submodule_in_the_migrations_folder() {
    let mut repo = TestRepo::new();
    let init: &[u8] = b"CREATE TABLE rules (id INT);\n";
    repo.commit(&[("migrations/0001_init.sql", init)], Some("v1.0"));
    let other = Oid::from_str("0123456789abcdef0123456789abcdef01234567").unwrap();
    repo.commit_entries(
        &[
            ("migrations/0001_init.sql", Entry::File(init)),
            ("migrations/0002_vendored.sql", Entry::Submodule(other)),
        ],
        Some("v1.1"),
    );
    let doc = report(repo.path(), &[]);
    assert_needs_review_at(&doc, "migrations/0002_vendored.sql", 1);
    assert!(doc.to_string().contains("submodule"));
}

#[test]
fn unterminated_string_and_dollar_quote() {
    let sql: &[u8] = b"ALTER TABLE rules ADD COLUMN a INT;\nINSERT INTO rules VALUES ('oops);\n";
    let repo = TestRepo::release_with(&[(NEW, sql)]);
    let doc = report(repo.path(), &[]);
    assert_needs_review_at(&doc, NEW, 2);
    let sql: &[u8] =
        b"ALTER TABLE rules ADD COLUMN a INT;\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1;\n";
    let repo = TestRepo::release_with(&[(NEW, sql)]);
    let doc = report(repo.path(), &["--dialect", "postgres"]);
    assert_needs_review_at(&doc, NEW, 2);
}

#[test]
fn control_characters_and_garbage() {
    let sql: &[u8] = b"ALTER TABLE rules ADD COLUMN a INT;\n\x01\x02\x7f ~~ ## ;\n";
    let repo = TestRepo::release_with(&[(NEW, sql)]);
    let doc = report(repo.path(), &[]);
    assert_needs_review_at(&doc, NEW, 2);
}

#[test]
fn byte_order_mark_and_crlf() {
    // A byte-order mark is not part of the first statement, and CRLF line ends count as one
    // line each: a mark read as text would make the first statement unreadable, and a
    // statement dropped silently would leave only the drop (destructive).
    let sql: &[u8] = b"\xef\xbb\xbfALTER TABLE rules ADD COLUMN a INT;\r\n\r\nALTER TABLE rules DROP COLUMN name;\r\n";
    let repo = TestRepo::release_with(&[(NEW, sql)]);
    let doc = report(repo.path(), &[]);
    assert_eq!(
        ops(&doc, NEW),
        [
            (1, "add-column".to_string(), "expand".to_string()),
            (3, "drop-column".to_string(), "contract".to_string()),
        ]
    );
    assert_eq!(doc["verdict"], "mixed", "{doc:#}");
    assert!(!doc["findings"].to_string().contains('\u{feff}'), "{doc:#}");
}

#[test]
fn byte_order_mark_and_crlf_in_python() {
    let body: &[u8] = b"\xef\xbb\xbfrevision = 'b2'\r\ndown_revision = 'a1'\r\n\r\nfrom alembic import op\r\nimport sqlalchemy as sa\r\n\r\ndef upgrade():\r\n    op.add_column('rules', sa.Column('a', sa.Integer, nullable=True))\r\n    op.drop_column('rules', 'name')\r\n";
    let repo = alembic_repo("db/versions/b2_bom.py", body);
    let doc = report(repo.path(), &[]);
    assert_eq!(
        ops(&doc, "db/versions/b2_bom.py"),
        [
            (8, "add-column".to_string(), "expand".to_string()),
            (9, "drop-column".to_string(), "contract".to_string()),
        ]
    );
    assert_eq!(doc["verdict"], "mixed", "{doc:#}");
}

#[test]
fn empty_and_comment_only_migrations() {
    let repo = TestRepo::release_with(&[
        ("migrations/0002_empty.sql", b""),
        (
            "migrations/0003_comments.sql",
            b"-- nothing\n/* at all */\n",
        ),
    ]);
    let doc = report(repo.path(), &[]);
    assert_eq!(doc["verdict"], "none", "{doc:#}");
}

#[test]
fn migration_version_too_large_for_a_number() {
    let repo = TestRepo::release_with(&[(
        "migrations/99999999999999999999999999_x.sql",
        b"ALTER TABLE rules DROP COLUMN name;\n",
    )]);
    let doc = report(repo.path(), &[]);
    assert_eq!(doc["verdict"], "destructive", "{doc:#}");
}

#[test]
fn whole_migrations_folder_deleted() {
    let mut repo = TestRepo::new();
    repo.commit(
        &[("migrations/0001_a.sql", b"CREATE TABLE a (id INT);\n")],
        Some("v1.0"),
    );
    repo.commit(&[("README", b"gone\n")], Some("v1.1"));
    let out = check(
        repo.path(),
        &["--migrations", "migrations", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    // A database that ran the deleted migration is unaffected: no change, one warning.
    assert_eq!(doc["verdict"], "none", "{doc:#}");
    assert_eq!(doc["migrations"][0]["path"], "migrations/0001_a.sql");
    assert_eq!(doc["migrations"][0]["status"], "D");
    let findings: Vec<(&str, &str, &str)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        [(
            "deleted-released-migration",
            "warning",
            "migrations/0001_a.sql"
        )]
    );
}

// --- configuration ---------------------------------------------------------------------

fn with_config(config: &str) -> TestRepo {
    let mut repo = TestRepo::new();
    let init: &[u8] = b"CREATE TABLE rules (id INT);\n";
    repo.commit(&[("migrations/0001_init.sql", init)], Some("v1.0"));
    repo.commit(
        &[
            ("migrations/0001_init.sql", init),
            ("balrog-schema-lint.toml", config.as_bytes()),
        ],
        Some("v1.1"),
    );
    repo
}

#[test]
fn invalid_config_key() {
    let repo = with_config("dialect = \"mysql\"\nfail_onn = \"error\"\n");
    assert_input_error(
        &check(repo.path(), &[]),
        &["fail_onn", "balrog-schema-lint.toml"],
    );
}

#[test]
fn config_path_outside_the_repository() {
    let repo = with_config("[[migrations]]\npath = \"../x\"\n");
    assert_input_error(&check(repo.path(), &[]), &["migrations[0].path", "../x"]);
    let repo = with_config("[[migrations]]\npath = \"db/../../x\"\n");
    assert_input_error(&check(repo.path(), &[]), &["migrations[0].path"]);
}

#[test]
fn command_line_migrations_outside_the_repository() {
    let repo = TestRepo::release_with(&[]);
    assert_input_error(&check(repo.path(), &["--migrations", "../x"]), &["../x"]);
}

#[test]
fn unknown_dialect_in_config() {
    let repo = with_config("dialect = \"oracle\"\n");
    assert_input_error(&check(repo.path(), &[]), &["oracle"]);
}

#[test]
fn conflicting_dialects_in_config() {
    let repo = with_config("dialect = \"mysql\"\ndialect = \"postgres\"\n");
    assert_input_error(&check(repo.path(), &[]), &["dialect"]);
}

#[test]
fn unknown_rule_in_config() {
    let repo = with_config("[rules]\nno-such-rule = \"off\"\n");
    assert_input_error(&check(repo.path(), &[]), &["no-such-rule"]);
}

#[test]
fn bad_severity_in_config() {
    let repo = with_config("[rules]\ndrop-column = \"fatal\"\n");
    assert_input_error(&check(repo.path(), &[]), &["fatal"]);
}

#[test]
fn bad_migrations_glob() {
    let repo = with_config("[[migrations]]\npath = \"db/[unclosed\"\n");
    assert_input_error(&check(repo.path(), &[]), &["db/[unclosed"]);
    let repo = TestRepo::release_with(&[]);
    assert_input_error(
        &check(repo.path(), &["--migrations", "db/{a,b"]),
        &["db/{a,b"],
    );
}

#[test]
fn bad_code_paths_glob() {
    let repo = with_config("code_paths = [\"src/[\"]\n");
    assert_input_error(&check(repo.path(), &[]), &["code_paths", "src/["]);
}

#[test]
fn config_that_is_not_utf8_or_not_toml() {
    let mut repo = TestRepo::new();
    repo.commit(
        &[("balrog-schema-lint.toml", b"dialect = \"\xff\"\n")],
        Some("v1.0"),
    );
    repo.commit(
        &[("balrog-schema-lint.toml", b"dialect = \"\xff\"\n")],
        Some("v1.1"),
    );
    assert_input_error(&check(repo.path(), &[]), &["balrog-schema-lint.toml"]);
    let repo = with_config("[[migrations]\npath = 1\n");
    assert_input_error(&check(repo.path(), &[]), &["balrog-schema-lint.toml"]);
}

#[test]
fn config_file_given_but_missing() {
    let repo = TestRepo::release_with(&[]);
    let missing = repo.path().join("absent.toml");
    assert_input_error(
        &check(repo.path(), &["--config", missing.to_str().unwrap()]),
        &["absent.toml"],
    );
}

#[test]
fn duplicate_service_names() {
    let repo =
        with_config("[services.migrator]\nname = \"a\"\n[[services.dependents]]\nname = \"a\"\n");
    assert_input_error(&check(repo.path(), &[]), &["\"a\""]);
}

// --- command line ------------------------------------------------------------------------

#[test]
fn unknown_options_and_values() {
    let repo = TestRepo::release_with(&[]);
    for args in [
        &["--format", "yaml"][..],
        &["--dialect", "oracle"],
        &["--fail-on", "sometimes"],
        &["--colour", "always"],
    ] {
        let out = check(repo.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(args[0]) || stderr(&out).contains(args[1]));
    }
}

#[test]
fn history_with_a_bad_tags_glob() {
    let repo = TestRepo::release_with(&[]);
    let out = bsl(&[
        "history",
        "--repo",
        repo.path().to_str().unwrap(),
        "--tags",
        "v[",
    ]);
    assert_input_error(&out, &["--tags", "v["]);
}

#[test]
fn history_with_unknown_bounds() {
    let repo = TestRepo::release_with(&[]);
    let out = bsl(&[
        "history",
        "--repo",
        repo.path().to_str().unwrap(),
        "--from",
        "v0.0.0.1",
    ]);
    assert_input_error(&out, &["v0.0.0.1"]);
}
