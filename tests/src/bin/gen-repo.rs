//! `gen-repo DEST [--migrations N] [--tags N] [--sql-bytes N] [--code-files N]`: builds a
//! git repository shaped like a large, long-lived PostgreSQL project for benchmarks.
//!
//! Numbered SQL migrations under `db/migrations/` (many ALTERs, functions with dollar-quoted
//! bodies, indexes, data changes, the odd drop), Python code under `app/` that names the
//! tables and columns, and one tagged release (`vX.Y`) per commit. The content is a fixed
//! function of the arguments (a seeded generator, fixed times), so two runs give the same
//! commit ids and the figures in BENCHMARKS.md can be reproduced.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use git2::{Oid, Repository, Signature, Time};

struct Options {
    dest: PathBuf,
    migrations: usize,
    tags: usize,
    sql_bytes: usize,
    code_files: usize,
}

fn parse_args() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut options = Options {
        dest: PathBuf::new(),
        migrations: 350,
        tags: 250,
        sql_bytes: 1_000_000,
        code_files: 300,
    };
    let mut dest = None;
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{name} needs a number"))
        };
        match arg.as_str() {
            "--migrations" => options.migrations = number("--migrations")?.max(1),
            "--tags" => options.tags = number("--tags")?.max(2),
            "--sql-bytes" => options.sql_bytes = number("--sql-bytes")?,
            "--code-files" => options.code_files = number("--code-files")?,
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg}")),
            _ => dest = Some(PathBuf::from(arg)),
        }
    }
    options.dest = dest.ok_or(
        "usage: gen-repo DEST [--migrations N] [--tags N] [--sql-bytes N] [--code-files N]",
    )?;
    Ok(options)
}

/// A small deterministic generator (SplitMix64): no dependency, same output everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items
            .get(self.below(items.len()))
            .copied()
            .unwrap_or("text")
    }
}

/// What the generated schema holds so far, so that later migrations alter real objects.
#[derive(Default)]
struct Schema {
    tables: Vec<(String, Vec<String>)>,
    next_table: usize,
    next_column: usize,
}

const TYPES: [&str; 8] = [
    "integer",
    "bigint",
    "text",
    "varchar(255)",
    "boolean",
    "timestamptz",
    "jsonb",
    "numeric(12, 2)",
];

impl Schema {
    fn create_table(&mut self, rng: &mut Rng, out: &mut String) {
        self.next_table += 1;
        let name = format!("t{:04}_{}", self.next_table, rng.pick(&WORDS));
        let mut columns = Vec::new();
        let _ = writeln!(out, "CREATE TABLE {name} (\n    id bigserial PRIMARY KEY,");
        for _ in 0..3 + rng.below(6) {
            self.next_column += 1;
            let column = format!("{}_{}", rng.pick(&WORDS), self.next_column);
            let _ = writeln!(
                out,
                "    {column} {}{},",
                rng.pick(&TYPES),
                if rng.below(3) == 0 { " NOT NULL" } else { "" }
            );
            columns.push(column);
        }
        let _ = writeln!(
            out,
            "    created_at timestamptz NOT NULL DEFAULT now()\n);\n"
        );
        columns.push("created_at".into());
        self.tables.push((name, columns));
    }

    fn statement(&mut self, rng: &mut Rng, out: &mut String) {
        if self.tables.is_empty() || rng.below(12) == 0 {
            return self.create_table(rng, out);
        }
        let index = rng.below(self.tables.len());
        let Some((table, columns)) = self.tables.get_mut(index) else {
            return;
        };
        let table = table.clone();
        let column = columns
            .get(rng.below(columns.len()))
            .cloned()
            .unwrap_or_else(|| "id".into());
        match rng.below(20) {
            0..=4 => {
                self.next_column += 1;
                let new = format!("{}_{}", rng.pick(&WORDS), self.next_column);
                let _ = writeln!(
                    out,
                    "ALTER TABLE {table} ADD COLUMN {new} {};\n",
                    rng.pick(&TYPES)
                );
                columns.push(new);
            }
            5 => {
                let _ = writeln!(
                    out,
                    "ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {};\n",
                    rng.below(100)
                );
            }
            6 => {
                let _ = writeln!(
                    out,
                    "ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL;\n"
                );
            }
            7..=9 => {
                let _ = writeln!(
                    out,
                    "CREATE INDEX{} idx_{table}_{column} ON {table} ({column});\n",
                    if rng.below(2) == 0 {
                        " CONCURRENTLY"
                    } else {
                        ""
                    }
                );
            }
            10..=12 => {
                let _ = writeln!(
                    out,
                    "UPDATE {table} SET {column} = DEFAULT WHERE {column} IS NULL AND id % {} = 0;\n",
                    2 + rng.below(9)
                );
            }
            13 => {
                let _ = writeln!(
                    out,
                    "INSERT INTO {table} (created_at) SELECT now() FROM generate_series(1, {});\n",
                    1 + rng.below(50)
                );
            }
            14..=16 => self.function(rng, &table, &column, out),
            17 => {
                let _ = writeln!(
                    out,
                    "COMMENT ON TABLE {table} IS 'owned by the {} team';\n",
                    rng.pick(&WORDS)
                );
            }
            18 if columns.len() > 3 => {
                let at = rng.below(columns.len());
                let dropped = columns.remove(at);
                let _ = writeln!(out, "ALTER TABLE {table} DROP COLUMN {dropped};\n");
            }
            _ => {
                let _ = writeln!(
                    out,
                    "ALTER TABLE {table} ADD CONSTRAINT ck_{table}_{column} CHECK ({column} IS NOT NULL) NOT VALID;\n"
                );
            }
        }
    }

    fn function(&self, rng: &mut Rng, table: &str, column: &str, out: &mut String) {
        let name = format!("fn_{table}_{}", rng.below(1000));
        let _ = writeln!(
            out,
            "CREATE OR REPLACE FUNCTION {name}() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n    -- keep {column} in step; quotes ' and ; inside the body are not statement ends\n    IF NEW.{column} IS NULL THEN\n        NEW.{column} := OLD.{column};\n    END IF;\n    UPDATE {table} SET created_at = now() WHERE id = NEW.id;\n    RETURN NEW;\nEND;\n$$;\n"
        );
        let _ = writeln!(
            out,
            "CREATE TRIGGER trg_{name} BEFORE UPDATE ON {table}\n    FOR EACH ROW EXECUTE FUNCTION {name}();\n"
        );
    }
}

const WORDS: [&str; 24] = [
    "account", "release", "rule", "channel", "product", "locale", "build", "mapping", "priority",
    "version", "status", "owner", "region", "signoff", "schedule", "history", "partner",
    "platform", "update", "target", "payload", "comment", "scope", "token",
];

fn migration(schema: &mut Schema, rng: &mut Rng, number: usize, bytes: usize) -> (String, String) {
    let mut out = format!("-- migration {number}: generated for benchmarks\nBEGIN;\n\n");
    while out.len() < bytes {
        schema.statement(rng, &mut out);
    }
    out.push_str("COMMIT;\n");
    let name = format!("db/migrations/{number:04}_{}.sql", rng.pick(&WORDS));
    (name, out)
}

fn code_file(schema: &Schema, rng: &mut Rng, number: usize, release: usize) -> String {
    let mut out =
        format!("\"\"\"Module {number}, release {release}.\"\"\"\n\nimport sqlalchemy as sa\n\n");
    for _ in 0..40 {
        let Some((table, columns)) = schema.tables.get(rng.below(schema.tables.len())) else {
            break;
        };
        let column = columns
            .get(rng.below(columns.len()))
            .map_or("id", String::as_str);
        let _ = writeln!(
            out,
            "def load_{column}_{}(db, key):\n    return db.execute(\"SELECT {column} FROM {table} WHERE id = :key\", key=key).scalar()\n",
            rng.below(100_000)
        );
    }
    out
}

/// Builds nested trees from a flat map of paths to blobs.
fn write_tree(repo: &Repository, files: &BTreeMap<String, Oid>) -> Result<Oid, git2::Error> {
    let mut children: BTreeMap<&str, BTreeMap<String, Oid>> = BTreeMap::new();
    let mut builder = repo.treebuilder(None)?;
    for (path, blob) in files {
        match path.split_once('/') {
            Some((dir, rest)) => {
                children
                    .entry(dir)
                    .or_default()
                    .insert(rest.to_string(), *blob);
            }
            None => {
                builder.insert(path, *blob, 0o100644)?;
            }
        }
    }
    for (dir, nested) in children {
        let tree = write_tree(repo, &nested)?;
        builder.insert(dir, tree, 0o040000)?;
    }
    builder.write()
}

fn build(options: &Options) -> Result<(), git2::Error> {
    let repo = Repository::init(&options.dest)?;
    let mut rng = Rng(0x5eed);
    let mut schema = Schema::default();
    let mut files: BTreeMap<String, Oid> = BTreeMap::new();
    files.insert(
        "balrog-schema-lint.toml".into(),
        repo.blob(b"dialect = \"postgres\"\n\n[[migrations]]\npath = \"db/migrations\"\nformat = \"sql\"\n")?,
    );
    files.insert(
        "README.md".into(),
        repo.blob(b"# generated benchmark project\n")?,
    );
    let per_migration = options.sql_bytes / options.migrations;
    let mut written = 0;
    let mut parent: Option<Oid> = None;
    for release in 0..options.tags {
        // The first release has no migration, so `v1.0..` the last tag holds every one.
        let due = options.migrations * release / (options.tags - 1);
        while written < due {
            written += 1;
            let (path, text) = migration(&mut schema, &mut rng, written, per_migration);
            files.insert(path, repo.blob(text.as_bytes())?);
        }
        // Every release touches some code too, as a real one does.
        for _ in 0..3 {
            let number = rng.below(options.code_files.max(1));
            if options.code_files > 0 {
                let text = code_file(&schema, &mut rng, number, release);
                files.insert(
                    format!("app/module_{number:03}.py"),
                    repo.blob(text.as_bytes())?,
                );
            }
        }
        if release == 0 {
            for number in 0..options.code_files {
                let text = code_file(&schema, &mut rng, number, release);
                files.insert(
                    format!("app/module_{number:03}.py"),
                    repo.blob(text.as_bytes())?,
                );
            }
        }
        let tree = repo.find_tree(write_tree(&repo, &files)?)?;
        let when = Time::new(1_600_000_000 + release as i64 * 86_400, 0);
        let sig = Signature::new("Release Engineer", "releng@example.com", &when)?;
        let parents = match parent {
            Some(p) => vec![repo.find_commit(p)?],
            None => Vec::new(),
        };
        let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let name = format!("v{}.{}", 1 + release / 100, release % 100);
        let commit = repo.commit(
            Some("HEAD"),
            &sig,
            &sig,
            &format!("Release {name}"),
            &tree,
            &parent_refs,
        )?;
        repo.tag_lightweight(&name, &repo.find_object(commit, None)?, false)?;
        parent = Some(commit);
    }
    Ok(())
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("gen-repo: {message}");
            return ExitCode::from(2);
        }
    };
    match build(&options) {
        Ok(()) => {
            println!(
                "{}: {} migrations, {} tags",
                options.dest.display(),
                options.migrations,
                options.tags
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("gen-repo: {err}");
            ExitCode::FAILURE
        }
    }
}
