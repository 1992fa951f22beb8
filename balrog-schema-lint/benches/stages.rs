//! Benchmarks of each stage on generated PostgreSQL migrations shaped like a large project:
//! statement splitting and parsing, lowering, the Python reader, replay, classification,
//! and report rendering. Run with `cargo bench -p balrog-schema-lint`.

use std::fmt::Write;
use std::hint::black_box;

use balrog_schema_lint::catalog::Catalog;
use balrog_schema_lint::classify;
use balrog_schema_lint::model::ops::{Dialect, Operation};
use balrog_schema_lint::read::{python, sql};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// `count` migrations of about `bytes` each: ALTERs, indexes, functions with dollar-quoted
/// bodies, data changes and the odd drop, always naming tables created earlier.
fn migrations(count: usize, bytes: usize) -> Vec<String> {
    let mut state: u64 = 0x5eed;
    let mut next = move |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n.max(1)
    };
    let mut tables = 0u64;
    let mut out = Vec::with_capacity(count);
    for number in 0..count {
        let mut text = format!("-- migration {number}\nBEGIN;\n");
        while text.len() < bytes {
            if tables == 0 || next(10) == 0 {
                tables += 1;
                let _ = writeln!(
                    text,
                    "CREATE TABLE t{tables} (id bigserial PRIMARY KEY, name varchar(255) NOT NULL, data jsonb, created_at timestamptz NOT NULL DEFAULT now());"
                );
                continue;
            }
            let t = 1 + next(tables);
            let c = next(1000);
            let _ = match next(8) {
                0 | 1 => writeln!(text, "ALTER TABLE t{t} ADD COLUMN c{c} integer;"),
                2 => writeln!(text, "CREATE INDEX CONCURRENTLY idx_t{t}_{c} ON t{t} (name);"),
                3 => writeln!(text, "UPDATE t{t} SET data = '{{}}' WHERE data IS NULL AND id % {c} = 0;"),
                4 => writeln!(
                    text,
                    "CREATE OR REPLACE FUNCTION f{t}_{c}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.name := lower(NEW.name); -- ; inside\n  RETURN NEW;\nEND;\n$$;"
                ),
                5 => writeln!(text, "ALTER TABLE t{t} ALTER COLUMN name SET DEFAULT 'x{c}';"),
                6 => writeln!(text, "INSERT INTO t{t} (name) VALUES ('row {c}');"),
                _ => writeln!(text, "ALTER TABLE t{t} DROP COLUMN IF EXISTS c{c};"),
            };
        }
        text.push_str("COMMIT;\n");
        out.push(text);
    }
    out
}

fn bench(c: &mut Criterion) {
    let files = migrations(350, 3000);
    let total: usize = files.iter().map(String::len).sum();
    let lowered: Vec<Vec<Operation>> = files
        .iter()
        .map(|f| sql::lower_sql(f, Dialect::Postgres))
        .collect();

    let mut group = c.benchmark_group("sql");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(10);
    group.bench_function("split_and_parse_1mb", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| sql::count_statements(black_box(f), Dialect::Postgres))
                .sum::<usize>()
        })
    });
    group.bench_function("split_parse_lower_1mb", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| sql::lower_sql(black_box(f), Dialect::Postgres).len())
                .sum::<usize>()
        })
    });
    group.finish();

    let python_files = python_sources(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testdata/python"
    )));
    c.bench_function("python/read_testdata", |b| {
        b.iter(|| {
            python_files
                .iter()
                .map(|f| {
                    python::read_alembic(black_box(f), Dialect::Mysql)
                        .operations
                        .len()
                })
                .sum::<usize>()
        })
    });

    c.bench_function("catalog/replay_350_migrations", |b| {
        b.iter(|| {
            let mut catalog = Catalog::new(Dialect::Postgres);
            for op in lowered.iter().flatten() {
                catalog.apply(op);
            }
            catalog
        })
    });

    let (released, range) = lowered.split_at(lowered.len() - 20);
    let mut before = Catalog::new(Dialect::Postgres);
    for op in released.iter().flatten() {
        before.apply(op);
    }
    c.bench_function("classify/judge_20_migrations", |b| {
        b.iter(|| classify::judge_range(black_box(&before), range.iter().flatten()).judgements)
    });
}

/// Every `.py` file under `dir` and its folders (the testdata layout).
fn python_sources(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.is_dir() {
            out.extend(python_sources(&path));
        } else if path.extension().is_some_and(|x| x == "py") {
            out.extend(std::fs::read_to_string(&path).ok());
        }
    }
    out
}

criterion_group!(benches, bench, end_to_end::bench);
criterion_main!(benches);

/// `check` and `history` through the library on a small generated repository, and report
/// rendering.
mod end_to_end {
    use super::*;
    use balrog_schema_lint::lint::history::{history, HistoryRequest};
    use balrog_schema_lint::render::{json, text};
    use balrog_schema_lint::{check, CheckRequest};
    use git2::{Repository, Signature, Time};

    fn repo(files: &[String], tags: usize) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temporary folder");
        let repo = Repository::init(dir.path()).expect("init");
        let mut parent = None;
        let config = repo
            .blob(b"dialect = \"postgres\"\n[[migrations]]\npath = \"db\"\nformat = \"sql\"\n")
            .expect("blob");
        let mut entries = Vec::new();
        for release in 0..tags {
            let due = files.len() * release / (tags - 1);
            while entries.len() < due {
                let n = entries.len();
                let id = repo.blob(files[n].as_bytes()).expect("blob");
                entries.push((format!("{:04}_m.sql", n + 1), id));
            }
            let mut db = repo.treebuilder(None).expect("tree");
            for (name, id) in &entries {
                db.insert(name, *id, 0o100644).expect("insert");
            }
            let db = db.write().expect("tree");
            let mut root = repo.treebuilder(None).expect("tree");
            root.insert("db", db, 0o040000).expect("insert");
            root.insert("balrog-schema-lint.toml", config, 0o100644)
                .expect("insert");
            let tree = repo.find_tree(root.write().expect("tree")).expect("tree");
            let sig = Signature::new(
                "r",
                "r@example.com",
                &Time::new(1_600_000_000 + release as i64, 0),
            )
            .expect("signature");
            let parents: Vec<git2::Commit<'_>> = parent
                .iter()
                .map(|p| repo.find_commit(*p).expect("commit"))
                .collect();
            let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
            let id = repo
                .commit(Some("HEAD"), &sig, &sig, "r", &tree, &refs)
                .expect("commit");
            repo.tag_lightweight(
                &format!("v1.{release}"),
                &repo.find_object(id, None).expect("object"),
                false,
            )
            .expect("tag");
            parent = Some(id);
        }
        dir
    }

    pub fn bench(c: &mut Criterion) {
        let files = migrations(60, 3000);
        let dir = repo(&files, 40);
        let request = CheckRequest {
            repo: dir.path().to_path_buf(),
            from: Some("v1.0".into()),
            to: Some("v1.39".into()),
            ..CheckRequest::default()
        };
        let mut group = c.benchmark_group("end_to_end");
        group.sample_size(10);
        group.bench_function("check_60_migrations", |b| {
            b.iter(|| check(&request).map(|r| r.counts))
        });
        group.bench_function("history_39_pairs", |b| {
            b.iter(|| {
                history(
                    &HistoryRequest {
                        repo: dir.path().to_path_buf(),
                        ..HistoryRequest::default()
                    },
                    &mut |_| {},
                )
                .map(|h| h.pairs.len())
            })
        });
        group.finish();
        if let Ok(report) = check(&request) {
            c.bench_function("report/text", |b| {
                b.iter(|| text::render(black_box(&report), text::TextOptions::default(), 1))
            });
            c.bench_function("report/json", |b| {
                b.iter(|| json::render(black_box(&report)))
            });
        }
    }
}
