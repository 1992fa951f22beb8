use super::*;

fn role(format: MigrationFormat, relative: &str) -> Role {
    role_with(format, relative, None, &LocationFacts::default())
}

fn role_with(
    format: MigrationFormat,
    relative: &str,
    kind: Option<ContentKind>,
    facts: &LocationFacts,
) -> Role {
    let candidate = Candidate {
        relative,
        location: "db/migrations",
    };
    classify(format, candidate, kind, facts, Dialect::Postgres)
}

/// The version an upgrade gets, or what it is instead.
fn version(format: MigrationFormat, relative: &str) -> String {
    match role(format, relative) {
        Role::Upgrade {
            format, version, ..
        } => {
            format!("{} {}", format.name(), version.as_str())
        }
        Role::Down(_) => "down".into(),
        Role::Ignored(_) => "ignored".into(),
        Role::Unrecognised(_) => "unrecognised".into(),
    }
}

#[test]
fn content_tells_python_formats_apart() {
    let alembic = "\"\"\"x\"\"\"\nrevision = \"080d29b15cd3\"\ndown_revision = None\n\ndef upgrade():\n    pass\n";
    assert_eq!(content_kind(alembic), ContentKind::Alembic);
    let typed = "revision: str = 'a'\ndown_revision: Union[str, None] = 'b'\n";
    assert_eq!(content_kind(typed), ContentKind::Alembic);
    let migrate = "from sqlalchemy import *\n\ndef upgrade(migrate_engine):\n    pass\n";
    assert_eq!(content_kind(migrate), ContentKind::SqlalchemyMigrate);
    let django = "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = []\n";
    assert_eq!(content_kind(django), ContentKind::Django);
    assert_eq!(
        content_kind("-- migrate:up\nSELECT 1;\n"),
        ContentKind::Dbmate
    );
    assert_eq!(
        content_kind("-- +goose Up\nSELECT 1;\n"),
        ContentKind::Goose
    );
    // Only one of the two assignments, or a comparison, is not a revision.
    assert_eq!(content_kind("revision = 1\n"), ContentKind::Plain);
    assert_eq!(
        content_kind("revision == 1\ndown_revision == 2\n"),
        ContentKind::Plain
    );
    assert_eq!(
        content_kind("def helper():\n    pass\n"),
        ContentKind::Plain
    );
}

#[test]
fn python_files_are_never_all_sqlalchemy_migrate() {
    let sql = MigrationFormat::Sql;
    let facts = LocationFacts::default();
    let alembic = role_with(
        sql,
        "080d29b15cd3_add_x.py",
        Some(ContentKind::Alembic),
        &facts,
    );
    assert!(matches!(
        alembic,
        Role::Upgrade {
            format: MigrationFormat::Alembic,
            ..
        }
    ));
    let dated = role_with(
        sql,
        "2024_01_01_1200-abc_x.py",
        Some(ContentKind::Alembic),
        &facts,
    );
    assert!(matches!(
        dated,
        Role::Upgrade {
            format: MigrationFormat::Alembic,
            ..
        }
    ));
    let migrate = role_with(
        sql,
        "012_x.py",
        Some(ContentKind::SqlalchemyMigrate),
        &facts,
    );
    assert!(matches!(
        migrate,
        Role::Upgrade {
            format: MigrationFormat::SqlalchemyMigrate,
            ..
        }
    ));
    for (name, kind) in [
        ("012_x.py", ContentKind::Plain),
        ("helpers.py", ContentKind::Plain),
        ("x.py", ContentKind::SqlalchemyMigrate),
    ] {
        assert!(
            matches!(
                role_with(sql, name, Some(kind), &facts),
                Role::Unrecognised(_)
            ),
            "{name}"
        );
    }
    assert!(matches!(
        role_with(sql, "__init__.py", Some(ContentKind::Plain), &facts),
        Role::Ignored(_)
    ));
    assert!(matches!(
        role_with(sql, "env.py", Some(ContentKind::Plain), &facts),
        Role::Ignored(_)
    ));
}

#[test]
fn common_files_are_ignored_with_a_reason() {
    for name in [
        "README",
        "README.md",
        "docs/notes.rst",
        ".gitkeep",
        "sub/.keep",
        "__pycache__/x.pyc",
    ] {
        for format in MigrationFormat::ALL {
            assert!(
                matches!(role(format, name), Role::Ignored(_)),
                "{name} {format:?}"
            );
        }
    }
}

#[test]
fn numbered_sql_names() {
    let sql = MigrationFormat::Sql;
    assert_eq!(version(sql, "0005_x.SQL"), "sql 0005");
    assert_eq!(version(sql, "0006 drop name.sql"), "sql 0006");
    assert_eq!(version(sql, "0007-drop-name.sql"), "sql 0007");
    assert_eq!(version(sql, "12_x.up.sql"), "golang-migrate 12");
    assert_eq!(version(sql, "12_x.down.sql"), "down");
    assert_eq!(version(sql, "schema.sql"), "unrecognised");
    assert_eq!(version(sql, "0008_x.rb"), "unrecognised");
    assert_eq!(version(sql, "data.txt"), "unrecognised");
    // Per-database trees, when the location holds several: only the dialect's applies.
    let trees = LocationFacts {
        database_trees: 2,
        ..LocationFacts::default()
    };
    let tree = |relative| match role_with(sql, relative, None, &trees) {
        Role::Upgrade { .. } => "upgrade",
        _ => "not an upgrade",
    };
    assert_eq!(tree("mysql/0001_x.sql"), "not an upgrade");
    assert_eq!(tree("mssql/0001_x.sql"), "not an upgrade");
    assert_eq!(tree("postgres/0001_x.sql"), "upgrade");
    // A single tree is read whatever its folder says.
    assert_eq!(version(sql, "mysql/0001_x.sql"), "sql 0001");
    assert_eq!(version(sql, "0001_x.sql.sqlite"), "ignored");
    assert_eq!(version(sql, "0001_x.sql.postgres"), "sql 0001");
    let facts = LocationFacts::default();
    let dbmate = role_with(sql, "20240101_x.sql", Some(ContentKind::Dbmate), &facts);
    assert!(matches!(
        dbmate,
        Role::Upgrade {
            format: MigrationFormat::Dbmate,
            ..
        }
    ));
    let goose = role_with(sql, "00001_x.sql", Some(ContentKind::Goose), &facts);
    assert!(matches!(
        goose,
        Role::Upgrade {
            format: MigrationFormat::Goose,
            ..
        }
    ));
    assert_eq!(
        version(MigrationFormat::Goose, "00002_x.go"),
        "unrecognised"
    );
}

#[test]
fn flyway_names_and_order() {
    let fly = MigrationFormat::Flyway;
    assert_eq!(version(fly, "V1_10__x.sql"), "flyway 1_10");
    assert_eq!(version(fly, "V2.1__x.sql"), "flyway 2.1");
    assert_eq!(version(fly, "U2__x.sql"), "down");
    assert_eq!(version(fly, "R__views.sql"), "flyway views");
    assert_eq!(version(fly, "B5__baseline.sql"), "ignored");
    assert_eq!(version(fly, "V3__x.sql.conf"), "ignored");
    assert_eq!(version(fly, "V3_x.sql"), "unrecognised");
    assert_eq!(version(fly, "Vx__y.sql"), "unrecognised");
    assert_eq!(version(fly, "V4__Migrate.java"), "unrecognised");
    let v = |name: &str| match role(fly, name) {
        Role::Upgrade { version, .. } => version,
        other => panic!("{name}: {other:?}"),
    };
    assert!(v("V1_9__a.sql") < v("V1_10__a.sql"));
    assert!(v("V2__a.sql") < v("V2.1__a.sql"));
    // Flyway ignores trailing zero parts: 2.0 is version 2.
    assert_eq!(v("V2.0__a.sql").parts(), v("V2__b.sql").parts());
    assert!(v("V999__a.sql") < v("R__a.sql"));
    assert!(v("R__a.sql") < v("R__b.sql"));
    assert!(v("R__b.sql").is_repeatable());
}

#[test]
fn diesel_versions_compare_as_strings() {
    let diesel = MigrationFormat::Diesel;
    assert_eq!(
        version(diesel, "2024-01-01-000000_x/up.sql"),
        "diesel 20240101000000"
    );
    assert_eq!(version(diesel, "2024-01-01-000000_x/down.sql"), "down");
    assert_eq!(
        version(diesel, "2024-01-01-000000_x/metadata.toml"),
        "ignored"
    );
    assert_eq!(
        version(diesel, "2024-01-01-000000_x/other.sql"),
        "unrecognised"
    );
    assert_eq!(version(diesel, "loose.sql"), "unrecognised");
    let v = |folder: &str| diesel_version(folder).unwrap();
    // 18 digits after 14 only where the strings say so, as diesel compares them.
    assert!(v("20240101000000_a") < v("202401010000000000_b"));
    assert!(v("2024-01-01-000000_a") < v("2024-01-02-000000_b"));
    assert!(v("9_a") > v("10_b"), "strings, not numbers");
    assert!(diesel_version("abc_x").is_none());
}

#[test]
fn prisma_sqitch_and_rails() {
    let prisma = MigrationFormat::Prisma;
    assert_eq!(
        version(prisma, "20240101120000_init/migration.sql"),
        "prisma 20240101120000_init"
    );
    assert_eq!(version(prisma, "migration_lock.toml"), "ignored");
    assert_eq!(
        version(prisma, "20240101120000_init/seed.txt"),
        "unrecognised"
    );
    assert_eq!(
        prisma_provider("# comment\nprovider = \"postgresql\"\n"),
        Some(Dialect::Postgres)
    );
    assert_eq!(
        prisma_provider("provider = \"mysql\""),
        Some(Dialect::Mysql)
    );

    let plan = "%syntax-version=1.0.0\n%project=x\n\nusers 2024-01-01T00:00:00Z A <a@b> # users\nflips [users] 2024-01-02T00:00:00Z A <a@b>\n@v1.0 2024-01-03T00:00:00Z A <a@b>\n\nusers [users@v1.0] 2024-01-04T00:00:00Z A <a@b> # rework\n";
    let changes = sqitch_plan(plan);
    let names: Vec<(&str, u64, &[String])> = changes
        .iter()
        .map(|c| (c.name.as_str(), c.instance, c.tags.as_slice()))
        .collect();
    assert_eq!(
        names,
        [
            ("users", 0, &["v1.0".to_string()][..]),
            ("flips", 0, &[][..]),
            ("users", 1, &[][..])
        ]
    );
    let facts = LocationFacts {
        sqitch_plan: Some(changes),
        ..LocationFacts::default()
    };
    let sqitch = |path: &str| match role_with(MigrationFormat::Sqitch, path, None, &facts) {
        Role::Upgrade { version, .. } => format!("{:?}", version.parts()),
        other => format!("{other:?}")
            .split('(')
            .next()
            .unwrap_or("")
            .to_string(),
    };
    // (place in the plan, which entry of the change)
    assert_eq!(sqitch("deploy/users@v1.0.sql"), "[0, 0]");
    assert_eq!(sqitch("deploy/flips.sql"), "[1, 0]");
    assert_eq!(sqitch("deploy/users.sql"), "[2, 1]");
    assert_eq!(sqitch("deploy/users@v9.sql"), "Unrecognised");
    assert_eq!(sqitch("deploy/unplanned.sql"), "Unrecognised");
    assert_eq!(sqitch("revert/users.sql"), "Down");
    assert_eq!(sqitch("verify/users.sql"), "Ignored");
    assert_eq!(sqitch("sqitch.plan"), "Ignored");


    // sqitch names the earlier entry's copy after the latest tag when the change was
    // reworked, and finds it under any tag between the two entries; change names may hold
    // slashes.
    let plan = "func/f 2024-01-01T00:00:00Z A <a@b>\n@alpha 2024-01-02T00:00:00Z A <a@b>\nx 2024-01-03T00:00:00Z A <a@b>\n@beta 2024-01-04T00:00:00Z A <a@b>\nfunc/f [func/f@beta] 2024-01-05T00:00:00Z A <a@b>\n@gamma 2024-01-06T00:00:00Z A <a@b>\n";
    let facts = LocationFacts {
        sqitch_plan: Some(sqitch_plan(plan)),
        ..LocationFacts::default()
    };
    let sqitch = |path: &str| match role_with(MigrationFormat::Sqitch, path, None, &facts) {
        Role::Upgrade { version, .. } => format!("{:?}", version.parts()),
        _ => "not an upgrade".to_string(),
    };
    assert_eq!(sqitch("deploy/func/f@beta.sql"), "[0, 0]");
    assert_eq!(sqitch("queries/users/create.sql"), "not an upgrade");
    assert_eq!(sqitch("deploy/func/f@alpha.sql"), "[0, 0]");
    assert_eq!(sqitch("deploy/func/f@gamma.sql"), "not an upgrade");
    assert_eq!(sqitch("deploy/func/f.sql"), "[2, 1]");

    assert_eq!(
        version(MigrationFormat::Rails, "20240101000000_add_x.rb"),
        "unrecognised"
    );
    assert_eq!(version(MigrationFormat::Django, "0002_x.py"), "django 0002_x");
    assert_eq!(version(MigrationFormat::Django, "__init__.py"), "ignored");
}

#[test]
fn sqitch_conf_moves_the_plan_and_scripts() {
    let conf = "[core]\n\tengine = pg\n\t# plan_file = sqitch.plan\n\t top_dir = ./sql\n[engine \"pg\"]\n\ttarget = dev\n";
    let dirs = SqitchDirs::from_conf(conf);
    assert_eq!(dirs.plan, "sql/sqitch.plan");
    assert_eq!(dirs.deploy, "sql/deploy");
    assert_eq!(dirs.revert, "sql/revert");
    let plain = SqitchDirs::from_conf("[core]\n\tengine = pg\n\t# top_dir = .\n");
    assert_eq!(plain, SqitchDirs::default());
    let own = SqitchDirs::from_conf("[core]\ntop_dir = db\ndeploy_dir = db/up\n");
    assert_eq!((own.plan.as_str(), own.deploy.as_str()), ("db/sqitch.plan", "db/up"));

    let facts = LocationFacts {
        sqitch_plan: Some(sqitch_plan("users 2024-01-01T00:00:00Z A <a@b>\n")),
        sqitch_dirs: dirs,
        ..LocationFacts::default()
    };
    let sqitch = |path: &str| match role_with(MigrationFormat::Sqitch, path, None, &facts) {
        Role::Upgrade { .. } => "upgrade",
        Role::Down(_) => "down",
        Role::Ignored(_) => "ignored",
        Role::Unrecognised(_) => "unrecognised",
    };
    assert_eq!(sqitch("sql/deploy/users.sql"), "upgrade");
    assert_eq!(sqitch("sql/deploy/other.sql"), "unrecognised");
    assert_eq!(sqitch("sql/revert/users.sql"), "down");
    // The plan sqitch.conf does not name, and the project's other files, deploy nothing.
    assert_eq!(sqitch("sqitch.plan"), "ignored");
    assert_eq!(sqitch("lib/Registry.pm"), "ignored");
    assert_eq!(sqitch("deploy/users.sql"), "ignored");
}

#[test]
fn synapse_deltas() {
    let synapse = MigrationFormat::Synapse;
    let at = |relative: &str, location: &str| {
        classify(
            synapse,
            Candidate { relative, location },
            None,
            &LocationFacts::default(),
            Dialect::Postgres,
        )
    };
    let v = |relative: &str| match at(relative, "synapse/storage/schema/main") {
        Role::Upgrade { version, .. } => version,
        other => panic!("{relative}: {other:?}"),
    };
    assert_eq!(v("delta/73/05backfill.sql").as_str(), "73/05backfill.sql");
    assert!(v("delta/99/01x.sql") < v("delta/100/01a.sql"));
    assert!(v("delta/73/01b.sql") < v("delta/73/02a.sql.postgres"));
    assert!(matches!(
        at("delta/73/users.py", "s/main"),
        Role::Upgrade { .. }
    ));
    assert!(matches!(
        at("delta/73/v12.sql.sqlite", "s/main"),
        Role::Ignored(_)
    ));
    assert!(matches!(
        at("full_schemas/72/full.sql.postgres", "s/main"),
        Role::Ignored(_)
    ));
    assert!(matches!(
        at("delta/73/x.txt", "s/main"),
        Role::Unrecognised(_)
    ));
    assert!(matches!(at("delta/x.sql", "s/main"), Role::Unrecognised(_)));
    assert!(matches!(
        at("73/01x.sql", "s/main/delta"),
        Role::Upgrade { .. }
    ));
    assert!(matches!(at("__init__.py", "s"), Role::Ignored(_)));
}

#[test]
fn formats_are_inferred_from_their_markers() {
    let infer = |location: &str, files: &[&str]| infer_format(location, files);
    assert_eq!(
        infer("s/main/delta", &["73/01x.sql"]),
        MigrationFormat::Synapse
    );
    assert_eq!(
        infer("s/main", &["delta/73/01x.sql", "full_schemas/72/x.sql"]),
        MigrationFormat::Synapse
    );
    assert_eq!(
        infer("db", &["sqitch.plan", "deploy/x.sql"]),
        MigrationFormat::Sqitch
    );
    assert_eq!(
        infer("prisma/migrations", &["1_init/migration.sql"]),
        MigrationFormat::Prisma
    );
    assert_eq!(
        infer("db/migration", &["V1__x.sql", "R__v.sql"]),
        MigrationFormat::Flyway
    );
    assert_eq!(infer("db/migrate", &["1_x.rb"]), MigrationFormat::Rails);
    assert_eq!(
        infer("m", &["0001_x.sql", "abc_x.py"]),
        MigrationFormat::Auto
    );
}
