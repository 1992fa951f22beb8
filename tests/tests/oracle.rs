//! Every fixture history's SQL migrations applied to the real database of its dialect, and
//! the schema after each migration compared with the replayed one, object by object.

use std::collections::BTreeMap;
use std::sync::Mutex;

use balrog_schema_lint_tests::oracle::{self, Tally};
use balrog_schema_lint_tests::{scenarios_dir, snapshots, ScenarioRepo};

/// Fixtures the databases cannot run, and why.
const EXCLUDED: [(&str, &str); 6] = [
    (
        "unparsable-statement",
        "holds a statement no parser accepts, on purpose: the database rejects it too",
    ),
    (
        "dialect-conflict",
        "configured for one dialect and written in another, on purpose",
    ),
    (
        "layout-sqitch",
        "PostgreSQL SQL (TEXT keys) read in the default dialect, MySQL, which rejects it",
    ),
    (
        "postgres-review",
        "drops a table that never existed and creates one twice, on purpose",
    ),
    (
        "postgres-transactions",
        "assigns a column twice in one UPDATE, which PostgreSQL rejects, on purpose (column-assigned-twice)",
    ),
    (
        "prisma-configured-dialect",
        "MySQL SQL under a lock file that says postgresql until the configuration corrects it, on purpose",
    ),
];

/// Disagreements the replay keeps for now, as (fixture, the migration that shows it first,
/// object, why). Each must still show, so that the list shrinks when the replay learns the
/// case.
const KNOWN: [(&str, &str, &str, &str); 3] = [
    (
        "oracle-found-mysql",
        "migrations/0006_modify_restates_unique.sql",
        "table t7, indexes and unique keys",
        "MySQL adds a key for a UNIQUE restated by MODIFY; the operation cannot tell it from a \
         declarative restatement (Django's AlterField), which adds none",
    ),
    (
        "oracle-found-mysql",
        "migrations/0007_decimal_default_rounded.sql",
        "table t9, column b",
        "MySQL rounds a default to the column's scale; the replay keeps it as written",
    ),
    (
        "oracle-found-mysql",
        "migrations/0010_add_and_drop_indexed_column.sql",
        "table t12, indexes and unique keys",
        "MariaDB keeps the keys of a column dropped and added again in one statement",
    ),
];

/// Histories compared at once: the time goes to waiting for the servers, not to the CPU.
const WORKERS: usize = 4;

#[derive(Default)]
struct Results {
    failures: Vec<String>,
    /// Objects of [`KNOWN`] disagreements seen.
    known_seen: Vec<&'static str>,
    total: Tally,
    skipped: bool,
}

/// Compares every release of one fixture history.
fn compare_history(name: &str, results: &Mutex<Results>) {
    let repo = ScenarioRepo::new(name);
    // Commits between releases (`v1.1-01`) have no ref; the releases and `HEAD` do, and
    // every migration a between-commit adds is applied at the release after it.
    let revisions: Vec<String> = snapshots(&scenarios_dir().join(name))
        .expect("snapshots")
        .into_iter()
        .filter(|snapshot| !snapshot.contains('-'))
        .collect();
    for rev in &revisions {
        let request = oracle::request(repo.path(), rev);
        let outcome = oracle::check_revision(&request, name);
        let mut results = results.lock().unwrap_or_else(|e| e.into_inner());
        let outcome = match outcome {
            Ok(Some(outcome)) => outcome,
            Ok(None) => {
                results.skipped = true; // on purpose, said on stderr
                return;
            }
            Err(err) => {
                results.failures.push(format!("{name} at {rev}: {err}"));
                continue;
            }
        };
        results.total.add(outcome.tally);
        if let Some((path, error)) = &outcome.rejected {
            results.failures.push(format!(
                "{name} at {rev}: the database rejects {path}: {error}"
            ));
        }
        for (path, mismatch) in &outcome.mismatches {
            // From its migration on: later steps compare the same objects again.
            let known = KNOWN
                .iter()
                .find(|(fixture, _, object, _)| *fixture == name && *object == mismatch.object);
            match known {
                Some(known) => results.known_seen.push(known.2),
                None => results
                    .failures
                    .push(format!("{name} at {rev}, after {path}: {mismatch}")),
            }
        }
    }
}

#[test]
fn every_fixture_history_matches_the_real_database() {
    let excluded: BTreeMap<&str, &str> = EXCLUDED.into_iter().collect();
    let mut names: Vec<String> = std::fs::read_dir(scenarios_dir())
        .expect("testdata/scenarios")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| !excluded.contains_key(name.as_str()))
        .collect();
    names.sort();
    let results = Mutex::new(Results::default());
    let queue = Mutex::new(names.iter());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| loop {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                match next {
                    Some(name) => compare_history(name, &results),
                    None => break,
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    if results.skipped {
        return;
    }
    results.failures.sort();
    eprintln!(
        "oracle: {} of {} objects equal over {} fixture histories",
        results.total.equal,
        results.total.compared,
        names.len()
    );
    assert!(
        results.failures.is_empty(),
        "{} disagreements with the real databases:\n  {}",
        results.failures.len(),
        results.failures.join("\n  ")
    );
    assert!(results.total.compared > 0, "nothing was compared");
    for (fixture, migration, object, why) in KNOWN {
        assert!(
            results.known_seen.contains(&object),
            "{fixture} {migration}: the known disagreement on {object} ({why}) is gone: \
             take it off KNOWN"
        );
    }
}

/// The introspection itself: every object kind a script creates is seen, in the canonical
/// spelling the comparison uses, so that "equal" above means something.
mod introspection {
    use balrog_schema_lint_tests::databases::{server, Engine};
    use balrog_schema_lint_tests::oracle::introspect;
    use balrog_schema_lint_tests::oracle::shape::{ColumnShape, ForeignKeyShape, KeyShape};

    const COMMON: &str = "
        CREATE TABLE releases (name VARCHAR(100) NOT NULL PRIMARY KEY);
        CREATE TABLE rules (
            rule_id INTEGER NOT NULL PRIMARY KEY,
            alias VARCHAR(50) DEFAULT 'none',
            release_name VARCHAR(100) REFERENCES releases (name),
            priority INTEGER,
            UNIQUE (alias)
        );
        CREATE INDEX rules_priority ON rules (priority, release_name);
        CREATE VIEW named_rules AS SELECT rule_id, alias FROM rules;
        CREATE TABLE approvals (
            id INTEGER NOT NULL PRIMARY KEY,
            rule_id INTEGER,
            FOREIGN KEY (rule_id) REFERENCES rules (rule_id) ON DELETE CASCADE ON UPDATE SET NULL
        );";

    fn check(
        engine: Engine,
        extra: &str,
    ) -> Option<balrog_schema_lint_tests::oracle::shape::Schema> {
        let server = server(engine)?;
        let db = server.scratch("introspection").expect("scratch database");
        db.execute(&format!("{COMMON}\n{extra}"))
            .expect("script runs");
        let schema = introspect::schema(&db).expect("introspection");
        let rules = &schema.tables["rules"];
        assert_eq!(rules.primary_key, ["rule_id"], "{engine:?}");
        let alias = rules.columns.iter().find(|c| c.name == "alias");
        let expected_type = match engine {
            Engine::Postgres => "character varying(50)",
            Engine::Mariadb => "varchar(50)",
            Engine::Sqlite => "varchar(50)",
        };
        assert_eq!(
            alias,
            Some(&ColumnShape {
                name: "alias".into(),
                ty: expected_type.into(),
                nullable: true,
                default: Some("'none'".into()),
            }),
            "{engine:?}"
        );
        assert!(rules.keys.contains(&KeyShape {
            columns: vec!["alias".into()],
            unique: true,
            partial: false
        }));
        assert!(rules.keys.contains(&KeyShape {
            columns: vec!["priority".into(), "release_name".into()],
            unique: false,
            partial: false
        }));
        assert_eq!(
            rules.foreign_keys,
            [ForeignKeyShape {
                columns: vec!["release_name".into()],
                references: "releases".into(),
                // MariaDB reports the default action as RESTRICT, which it is there.
                actions: if engine == Engine::Mariadb {
                    "on delete restrict on update restrict".into()
                } else {
                    String::new()
                },
            }]
        );
        assert!(schema.views.contains("named_rules"));
        assert_eq!(
            schema.tables["approvals"].foreign_keys[0].actions,
            "on delete cascade on update set null",
            "{engine:?}"
        );
        Some(schema)
    }

    #[test]
    fn postgresql() {
        let Some(schema) = check(
            Engine::Postgres,
            "CREATE TYPE channel AS ENUM ('release', 'beta', 'nightly');
             CREATE SEQUENCE change_ids;
             CREATE TABLE owned (id SERIAL PRIMARY KEY);
             CREATE UNIQUE INDEX rules_live ON rules (alias) WHERE priority > 0;
             CREATE FUNCTION bump(n int4, OUT m integer) LANGUAGE sql AS $$ SELECT n + 1 $$;
             CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql
                 AS $$ BEGIN RETURN NEW; END $$;
             CREATE TRIGGER rules_touch BEFORE UPDATE ON rules
                 FOR EACH ROW EXECUTE FUNCTION touch();
             ALTER TABLE rules DISABLE TRIGGER rules_touch;
             ALTER TABLE rules ENABLE ROW LEVEL SECURITY;
             CREATE POLICY live ON rules AS RESTRICTIVE USING (priority > 0);
             GRANT SELECT ON rules TO PUBLIC;
             COMMENT ON COLUMN rules.alias IS 'Short name';
             CREATE TABLE signoffs (
                 id INTEGER PRIMARY KEY,
                 rule_id INTEGER REFERENCES rules (rule_id) ON DELETE RESTRICT
                     DEFERRABLE INITIALLY DEFERRED
             );",
        ) else {
            return;
        };
        assert_eq!(
            schema.tables["signoffs"].foreign_keys[0].actions,
            "on delete restrict deferrable initially deferred"
        );
        // Only input arguments make the signature; the trigger is seen disabled.
        assert_eq!(
            schema.routines.iter().collect::<Vec<_>>(),
            ["bump(integer)", "touch()"]
        );
        assert_eq!(schema.triggers.get("rules.rules_touch"), Some(&false));
        assert_eq!(schema.policies.get("rules.live"), Some(&true));
        assert_eq!(schema.row_security.get("rules"), Some(&(true, false)));
        assert!(schema.public_grants.contains("rules select"));
        assert_eq!(
            schema.comments.get("rules.alias").map(String::as_str),
            Some("Short name")
        );
        assert_eq!(schema.enums["channel"], ["release", "beta", "nightly"]);
        // The serial column's own sequence belongs to the column.
        assert_eq!(schema.sequences.iter().collect::<Vec<_>>(), ["change_ids"]);
        assert_eq!(schema.tables["owned"].columns[0].default, None);
        assert!(schema.tables["rules"].keys.contains(&KeyShape {
            columns: vec!["alias".into()],
            unique: true,
            partial: true
        }));
    }

    #[test]
    fn mariadb() {
        let Some(schema) = check(
            Engine::Mariadb,
            "CREATE TABLE counters (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, n INT(11) DEFAULT 0);
             CREATE FUNCTION next_n(p INT) RETURNS INT DETERMINISTIC RETURN p + 1;
             CREATE PROCEDURE reset_counters() UPDATE counters SET n = 0;
             CREATE TRIGGER counters_insert BEFORE INSERT ON counters FOR EACH ROW SET NEW.n = 1;",
        ) else {
            return;
        };
        assert_eq!(
            schema.routines.iter().collect::<Vec<_>>(),
            ["function next_n", "procedure reset_counters"]
        );
        assert_eq!(schema.triggers.get("counters.counters_insert"), Some(&true));
        let counters = &schema.tables["counters"];
        assert_eq!(counters.columns[0].ty, "int unsigned");
        assert_eq!(counters.columns[0].default, None);
        assert_eq!(counters.columns[1].default.as_deref(), Some("0"));
    }

    #[test]
    fn sqlite() {
        let Some(schema) = check(
            Engine::Sqlite,
            "CREATE UNIQUE INDEX rules_live ON rules (alias) WHERE priority > 0;
             CREATE TRIGGER rules_touch AFTER UPDATE ON rules BEGIN SELECT 1; END;",
        ) else {
            return;
        };
        assert_eq!(schema.triggers.get("rules.rules_touch"), Some(&true));
        assert!(schema.tables["rules"].keys.contains(&KeyShape {
            columns: vec!["alias".into()],
            unique: true,
            partial: true
        }));
    }
}
