//! The repositories the Examples of history and repository rules describe: each is built as
//! a real git repository (released tree tagged at `FROM`, the release at `TO`) and checked
//! end to end, so that those Examples are run too, not only read.

use std::path::Path;

use git2::{Repository, Signature, Time};

use super::examples::production_sql;
use crate::model::finding::Finding;
use super::{check, CheckRequest};

/// The two trees of an Example's range. `None` content deletes the path at `TO`.
pub(super) struct ExampleRepo {
    pub from_tag: &'static str,
    pub to_tag: &'static str,
    pub released: Vec<(String, String)>,
    pub release: Vec<(String, Option<String>)>,
}

const PRODUCTION: &str = "migrations/0001_production.sql";

fn file(path: &str, text: &str) -> (String, String) {
    (path.to_string(), text.to_string())
}

fn add(path: &str, text: &str) -> (String, Option<String>) {
    (path.to_string(), Some(text.to_string()))
}

fn delete(path: &str) -> (String, Option<String>) {
    (path.to_string(), None)
}

/// The Alembic revisions of a Python Example: each `# versions/<file>` line starts a file.
fn alembic_files(example: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = Vec::new();
    for line in example.lines() {
        if let Some(rest) = line.strip_prefix("# versions/") {
            let name = rest.split([',', ' ']).next().unwrap_or(rest);
            files.push((format!("db/versions/{name}"), String::new()));
        } else if let Some((_, text)) = files.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    for (_, text) in &mut files {
        text.push_str("\nfrom alembic import op\n\ndef upgrade():\n    pass\n");
    }
    files
}

/// The repository a rule's Example describes in its comments, or `None` when the Example
/// is one migration that [`super::check_migration`] runs alone.
pub(super) fn example_repo(rule: &str, example: &str) -> Option<ExampleRepo> {
    let production = production_sql(example);
    let mut repo = ExampleRepo {
        from_tag: "v1.0",
        to_tag: "v1.1",
        released: vec![file(PRODUCTION, &production)],
        release: Vec::new(),
    };
    match rule {
        "baseline-migration" | "baseline-schema-drift" => {
            repo.release = vec![delete(PRODUCTION), add("schema/0001_baseline.sql", example)];
        }
        "broken-alembic-chain" => {
            repo.released = vec![
                file("db/env.py", "# alembic environment\n"),
                file(
                    "db/versions/a1_first.py",
                    "revision = \"a1\"\ndown_revision = None\n\nfrom alembic import op\n\ndef upgrade():\n    pass\n",
                ),
            ];
            repo.release = alembic_files(example)
                .into_iter()
                .map(|(path, text)| (path, Some(text)))
                .collect();
        }
        "run-python-without-reverse" => {
            // A Django app: the Example is the `operations` of its second migration.
            let body: String = example.lines().map(|l| format!("    {l}\n")).collect();
            repo.released = vec![
                file("library/migrations/__init__.py", ""),
                file(
                    "library/migrations/0001_initial.py",
                    "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    initial = True\n    dependencies = []\n    operations = [\n        migrations.CreateModel(name=\"Book\", fields=[(\"id\", models.AutoField(primary_key=True)), (\"slug\", models.SlugField(null=True))]),\n    ]\n",
                ),
            ];
            repo.release = vec![add(
                "library/migrations/0002_fill_slugs.py",
                &format!("from django.db import migrations\n\n\ndef fill_slugs(apps, schema_editor):\n    pass\n\n\nclass Migration(migrations.Migration):\n    dependencies = [(\"library\", \"0001_initial\")]\n{body}"),
            )];
        }
        "conflicting-dialect-evidence" => {
            // A diesel project whose Cargo features name PostgreSQL, with MySQL migrations.
            let cargo = "[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[dependencies]\ndiesel = { version = \"2\", features = [\"postgres\"] }\n";
            let sql: String = example
                .lines()
                .filter(|line| !line.starts_with("--"))
                .map(|line| format!("{line}\n"))
                .collect();
            repo.released = vec![
                file("Cargo.toml", cargo),
                file(
                    "migrations/2023-12-01-000000_releases/up.sql",
                    "CREATE TABLE releases (name VARCHAR(100) NOT NULL PRIMARY KEY);\n",
                ),
            ];
            repo.release = vec![add("migrations/2024-01-01-000000_init/up.sql", &sql)];
        }
        "unrecognised-migration-file" => {
            repo.released = vec![file(
                "db/migrations/0001_init.sql",
                "CREATE TABLE rules (id INT NOT NULL PRIMARY KEY);\n",
            )];
            repo.release = vec![add("db/migrations/0003_add_alias.py", example)];
        }
        "deleted-released-migration" => {
            repo.released
                .push(file("migrations/0003_add_index.sql", example));
            repo.release = vec![delete("migrations/0003_add_index.sql")];
        }
        "dropped-object-still-referenced" => {
            repo.release = vec![
                add(
                    "src/auslib/db.py",
                    "rules = Table(\"rules\", metadata,\n    Column(\"legacy_flag\", Boolean),\n)\n",
                ),
                add("migrations/0002_drop_legacy_flag.sql", example),
            ];
        }
        "duplicate-migration-version" => {
            repo.released.push(file(
                "migrations/0012_add_memory.sql",
                "ALTER TABLE rules ADD COLUMN memory INT NULL;\n",
            ));
            repo.release = vec![add("migrations/0012_add_alias.sql", example)];
        }
        "edited-released-migration" => {
            // Released with its first statement only.
            let statements: Vec<&str> = example.lines().collect();
            let released = statements[..statements.len().saturating_sub(1)].join("\n");
            repo.released.push(file(
                "migrations/0002_columns.sql",
                &format!("{released}\n"),
            ));
            repo.release = vec![add("migrations/0002_columns.sql", example)];
        }
        "migration-before-released" => {
            repo.released.push(file(
                "migrations/0003_add_memory.sql",
                "ALTER TABLE rules ADD COLUMN memory INT NULL;\n",
            ));
            repo.release = vec![add("migrations/0002_more.sql", example)];
        }
        "missing-down-migration" => {
            repo.released = vec![
                file("migrations/11_production.up.sql", &production),
                file("migrations/11_production.down.sql", "DROP TABLE rules;\n"),
                file(
                    "migrations/12_add_memory.up.sql",
                    "ALTER TABLE rules ADD COLUMN memory INT NULL;\n",
                ),
                file(
                    "migrations/12_add_memory.down.sql",
                    "ALTER TABLE rules DROP COLUMN memory;\n",
                ),
            ];
            repo.release = vec![add("migrations/13_add_alias.up.sql", example)];
        }
        "release-tag-format" => {
            // Balrog's release conventions: its profile.
            repo.released
                .push(file("balrog-schema-lint.toml", "profile = \"balrog\"\n"));
            repo.from_tag = "v3.40";
            repo.to_tag = "v3.41.0";
            repo.release = vec![add("migrations/0002_alias.sql", example)];
        }
        "renamed-released-migration" => {
            repo.released
                .push(file("migrations/0003_add_index.sql", example));
            repo.release = vec![
                delete("migrations/0003_add_index.sql"),
                add("migrations/0004_add_index.sql", example),
            ];
        }
        "version-not-bumped" => {
            // Balrog's release conventions: its profile.
            repo.released
                .push(file("balrog-schema-lint.toml", "profile = \"balrog\"\n"));
            repo.from_tag = "v3.40";
            repo.to_tag = "v3.41";
            repo.released.push(file("version.txt", "3.40\n"));
            repo.release = vec![add("migrations/0002_alias.sql", example)];
        }
        _ => return None,
    }
    Some(repo)
}

fn commit(repo: &Repository, tag: &str, day: i64) {
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = Signature::new(
        "r",
        "r@example.com",
        &Time::new(1_700_000_000 + day * 86_400, 0),
    )
    .unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    let id = repo
        .commit(Some("HEAD"), &sig, &sig, tag, &tree, &parents)
        .unwrap();
    let object = repo.find_object(id, None).unwrap();
    repo.tag_lightweight(tag, &object, false).unwrap();
}

fn write(dir: &Path, path: &str, text: &str) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

/// Builds the repository and checks its range with the default configuration.
pub(super) fn run(example: &ExampleRepo) -> Vec<Finding> {
    let dir = tempfile::tempdir().unwrap();
    let repo = Repository::init(dir.path()).unwrap();
    for (path, text) in &example.released {
        write(dir.path(), path, text);
    }
    commit(&repo, example.from_tag, 1);
    for (path, text) in &example.release {
        match text {
            Some(text) => write(dir.path(), path, text),
            None => std::fs::remove_file(dir.path().join(path)).unwrap(),
        }
    }
    commit(&repo, example.to_tag, 2);
    let report = check(&CheckRequest {
        repo: dir.path().to_path_buf(),
        from: Some(example.from_tag.into()),
        to: Some(example.to_tag.into()),
        ..CheckRequest::default()
    })
    .unwrap();
    report.findings
}
