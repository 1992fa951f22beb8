//! Tests over the fixture scripts in `testdata/python/`.

use super::interp::{Effect, Flavor};
use super::{read_alembic, read_sqlalchemy_migrate, resolve};
use crate::model::ops::{ColumnDef, ConstraintKind, Dialect, OpKind, Operation, ParsedMigration};

macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../testdata/python/",
            $path
        ))
    };
}

/// A column in one line: `name TYPE [NOT NULL] [PK] [AI] [UNIQUE] [DEFAULT x] [CLIENT]`.
fn column(c: &ColumnDef) -> String {
    let mut s = c.name.clone();
    match &c.ty {
        Some(t) => s.push_str(&format!(" {t}")),
        None => s.push_str(" ?"),
    }
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    if c.primary_key {
        s.push_str(" PK");
    }
    if c.auto_increment {
        s.push_str(" AI");
    }
    if c.unique {
        s.push_str(" UNIQUE");
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if c.client_default {
        s.push_str(" CLIENT");
    }
    s
}

/// An operation in one line, with every field the fixtures exercise.
fn render(op: &Operation) -> String {
    let body = match &op.kind {
        OpKind::CreateTable {
            table,
            columns,
            constraints,
            if_not_exists,
        } => {
            let cols: Vec<String> = columns.iter().map(column).collect();
            let cons: Vec<String> = constraints
                .iter()
                .map(|c| {
                    let kind = match &c.kind {
                        ConstraintKind::PrimaryKey => "pk".to_string(),
                        ConstraintKind::Unique => "unique".to_string(),
                        ConstraintKind::ForeignKey { references, .. } => format!("fk->{references}"),
                        ConstraintKind::Check { expr } => format!("check {expr}"),
                    };
                    format!("{kind}({})", c.columns.join(","))
                })
                .collect();
            let ine = if *if_not_exists { " if-not-exists" } else { "" };
            format!(
                "create table{ine} {table} [{}] [{}]",
                cols.join(", "),
                cons.join(", ")
            )
        }
        OpKind::AddColumn { table, column: c } => {
            format!("add column {table}.{}", column(c))
        }
        OpKind::CreateIndex {
            name,
            table,
            columns,
            unique,
            ..
        } => format!(
            "create {}index {} on {table}({})",
            if *unique { "unique " } else { "" },
            name.as_deref().unwrap_or("-"),
            columns.join(",")
        ),
        OpKind::AddConstraint { table, constraint } => format!(
            "add {:?} {} on {table}({})",
            constraint.kind,
            constraint.name.as_deref().unwrap_or("-"),
            constraint.columns.join(",")
        ),
        OpKind::SetDefault {
            table,
            column,
            default,
        } => format!("set default {default} on {table}.{column}"),
        OpKind::Unreadable { error } => format!("UNREADABLE {error}"),
        OpKind::Unsupported { what, .. } => format!("UNSUPPORTED {what}"),
        other => other.describe(),
    };
    format!("{}: {body}", op.line)
}

fn rendered(parsed: &ParsedMigration) -> Vec<String> {
    parsed.operations.iter().map(render).collect()
}

fn migrate(src: &str, dialect: Dialect) -> Vec<String> {
    rendered(&read_sqlalchemy_migrate(src, dialect))
}

/// The SQL strings a script runs, with their lines.
fn sql_of(src: &str, dialect: Dialect, flavor: Flavor) -> Vec<(u32, String)> {
    resolve(src, dialect, flavor)
        .effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Sql(s) => Some((
                s.line,
                s.sql.split_whitespace().collect::<Vec<_>>().join(" "),
            )),
            Effect::Op(_) => None,
        })
        .collect()
}

#[test]
fn create_all_creates_declared_tables_at_their_declaration() {
    let ops = migrate(
        fixture!("sqlalchemy-migrate/create_tables.py"),
        Dialect::Mysql,
    );
    assert_eq!(
        ops,
        vec![
            "10: create table if-not-exists widgets [widget_id INTEGER NOT NULL PK AI, label VARCHAR(40) NOT NULL UNIQUE, enabled BOOLEAN CLIENT, colour VARCHAR(12) DEFAULT 'blue', notes TEXT, blob LONGTEXT] []",
            "20: create table if-not-exists widget_parts [widget_id INTEGER NOT NULL PK, part VARCHAR(30) NOT NULL PK, weight BIGINT] []",
            "20: create index ix_widget_parts_weight on widget_parts(weight)",
            "28: create index parts_by_weight on widget_parts(weight,part)",
            "38: create table gadgets [gadget_id INTEGER NOT NULL PK AI] []",
        ]
    );
}

#[test]
fn column_changes_on_existing_tables() {
    let ops = migrate(fixture!("sqlalchemy-migrate/columns.py"), Dialect::Mysql);
    assert_eq!(
        ops,
        vec![
            "8: add column gizmos.size INTEGER",
            "10: add column gizmos.shade VARCHAR(20) CLIENT",
            "10: update gizmos (every row)",
            "11: set NOT NULL on gizmos.shade",
            "13: drop column gizmos.obsolete",
            "14: drop column gizmos.retired",
            "15: rename column sprockets.name to title",
            "16: change type of gizmos.summary to TEXT",
            "17: change type of gizmos.code to VARCHAR(64)",
            "17: set NOT NULL on gizmos.code",
            "17: rename column gizmos.code to gizmo_code",
            "18: drop NOT NULL on gizmos.maybe",
            "19: set default 'new' on gizmos.status",
            "21: create unique index gizmo_code_idx on gizmos(gizmo_code)",
            "22: drop index old_idx on gizmos",
            "23: drop table sprocket_history",
        ]
    );
}

#[test]
fn raw_sql_is_resolved_and_lowered_at_the_call_line() {
    let sql = sql_of(
        fixture!("sqlalchemy-migrate/raw_sql.py"),
        Dialect::Mysql,
        Flavor::Migrate,
    );
    let expected: Vec<(u32, String)> = vec![
        (8, "UPDATE gizmos SET code = '' WHERE code IS NULL"),
        (9, "DELETE FROM gizmo_log WHERE created < 1000"),
        (16, "ALTER TABLE gizmos ADD COLUMN flag INTEGER"),
        (18, "ALTER TABLE clicks_daily DROP COLUMN spare"),
        (18, "ALTER TABLE views_daily DROP COLUMN spare"),
        (19, "CREATE INDEX gizmos_idx ON gizmos (code)"),
        (21, "DROP TABLE gadgets_old"),
        (22, "TRUNCATE gadgets_daily"),
    ]
    .into_iter()
    .map(|(l, s)| (l, s.to_string()))
    .collect();
    assert_eq!(sql, expected);
    // Nothing else is produced: the lowered SQL is all there is.
    let effects = resolve(
        fixture!("sqlalchemy-migrate/raw_sql.py"),
        Dialect::Mysql,
        Flavor::Migrate,
    )
    .effects;
    assert!(effects.iter().all(|e| matches!(e, Effect::Sql(_))));
}

#[test]
fn lowered_sql_operations_take_the_python_line() {
    let src = "def upgrade(migrate_engine):\n    x = 1\n    migrate_engine.execute(\n        \"ALTER TABLE t DROP COLUMN c;\\nALTER TABLE t DROP COLUMN d\"\n    )\n";
    let parsed = read_sqlalchemy_migrate(src, Dialect::Mysql);
    let direct = crate::read::sql::lower_sql(
        "ALTER TABLE t DROP COLUMN c;\nALTER TABLE t DROP COLUMN d",
        Dialect::Mysql,
    );
    assert_eq!(parsed.operations.len(), direct.len());
    assert!(parsed.operations.iter().all(|op| op.line == 3));
}

#[test]
fn dialect_branches_follow_the_configured_engine() {
    let src = fixture!("sqlalchemy-migrate/dialect_branches.py");
    assert_eq!(
        migrate(src, Dialect::Mysql),
        vec![
            "8: alter table row_format",
            "14: add column gizmos.hits BIGINT",
            "17: drop column gizmos.legacy",
            "20: set NOT NULL on gizmos.hits",
        ]
    );
    assert_eq!(
        migrate(src, Dialect::Sqlite),
        vec!["14: add column gizmos.hits INTEGER"]
    );
    assert_eq!(
        sql_of(src, Dialect::Mysql, Flavor::Migrate),
        vec![(8, "ALTER TABLE gizmos ROW_FORMAT=COMPRESSED".to_string())]
    );
    assert!(sql_of(src, Dialect::Sqlite, Flavor::Migrate).is_empty());
    assert_eq!(
        migrate(src, Dialect::Postgres),
        vec![
            "14: add column gizmos.hits BIGINT",
            "17: drop column gizmos.legacy",
            "20: set NOT NULL on gizmos.hits",
        ]
    );
}

#[test]
fn generic_dialect_judges_every_engine_branch() {
    let ops = migrate(
        fixture!("sqlalchemy-migrate/dialect_branches.py"),
        Dialect::Generic,
    );
    // Every arm runs, so that the worse one decides; a type chosen per engine is unknown.
    assert_eq!(
        ops,
        vec![
            "8: alter table row_format",
            "14: UNREADABLE column `hits`: the engine name is not known for the generic dialect; configure mysql, postgres or sqlite",
            "14: add column gizmos.hits ?",
            "17: drop column gizmos.legacy",
            "20: set NOT NULL on gizmos.hits",
        ]
    );
}

#[test]
fn helpers_are_inlined_at_their_call_site() {
    let ops = migrate(fixture!("sqlalchemy-migrate/helpers.py"), Dialect::Mysql);
    assert_eq!(
        ops,
        vec![
            "22: add column alpha.note VARCHAR(200)",
            "22: add column beta.note VARCHAR(200)",
            "23: drop column gamma.note",
            "24: UNREADABLE cannot resolve call to `_forever`: helper functions nested too deeply",
        ]
    );
}

#[test]
fn what_cannot_be_resolved_is_reported_at_its_line() {
    let ops = migrate(
        fixture!("sqlalchemy-migrate/unresolvable.py"),
        Dialect::Postgres,
    );
    assert_eq!(
        ops,
        vec![
            "8: UNREADABLE column `width`: cannot resolve name `widthType`",
            "8: add column gizmos.width ?",
            "9: UNREADABLE cannot resolve call to `someapp.db.rebuild_everything` (imported from outside the migration)",
            "10: UNREADABLE cannot resolve call: cannot resolve name `load_query`",
            "11: UNSUPPORTED `while` loop",
            "16: UNREADABLE cannot resolve the migration for dialect postgres: it raises an exception here",
        ]
    );
    // On MySQL the script does not raise and goes on to the last line.
    let mysql = migrate(
        fixture!("sqlalchemy-migrate/unresolvable.py"),
        Dialect::Mysql,
    );
    assert_eq!(
        mysql.last().map(String::as_str),
        Some("17: drop column gizmos.width")
    );
}

#[test]
fn syntax_error_is_unreadable_and_the_rest_is_read() {
    let ops = migrate(
        fixture!("sqlalchemy-migrate/syntax_error.py"),
        Dialect::Mysql,
    );
    assert_eq!(ops.len(), 3, "{ops:?}");
    // In file order: the error stands between the two statements around it.
    assert_eq!(ops[0], "6: drop column gizmos.first");
    assert!(ops[1].starts_with("7: UNREADABLE syntax error:"), "{ops:?}");
    assert_eq!(ops[2], "8: drop column gizmos.second");
}

#[test]
fn noise_downgrade_and_comments_produce_nothing() {
    assert!(migrate(fixture!("sqlalchemy-migrate/noise.py"), Dialect::Mysql).is_empty());
}

#[test]
fn missing_upgrade_is_unreadable() {
    let ops = migrate("def downgrade(migrate_engine):\n    pass\n", Dialect::Mysql);
    assert_eq!(
        ops,
        vec!["1: UNREADABLE cannot resolve the upgrade() function: the script defines none"]
    );
}

#[test]
fn alembic_tables_and_indexes() {
    let parsed = read_alembic(fixture!("alembic/tables.py"), Dialect::Mysql);
    assert_eq!(parsed.revision.as_deref(), Some("a1"));
    assert!(parsed.down_revisions.is_empty());
    assert_eq!(
        rendered(&parsed),
        vec![
            "15: create table gadgets [gadget_id INTEGER NOT NULL PK AI, label VARCHAR(50) NOT NULL, weight INTEGER NOT NULL DEFAULT 0, owner_id INTEGER, legacy INTEGER, notes TEXT] [unique(label), fk->owners(owner_id)]",
            "25: create index ix_gadgets_weight on gadgets(weight)",
            "26: create unique index ix_gadgets_label on gadgets(label)",
            "27: drop index ix_old on gizmos",
            "28: rename table gizmo_log to gizmo_events",
            "29: drop table obsolete",
        ]
    );
}

#[test]
fn alembic_column_changes() {
    let parsed = read_alembic(fixture!("alembic/columns.py"), Dialect::Mysql);
    assert_eq!(parsed.revision.as_deref(), Some("b2"));
    assert_eq!(parsed.down_revisions, vec!["a1".to_string()]);
    assert_eq!(
        rendered(&parsed),
        vec![
            "10: add column gadgets.colour VARCHAR(20)",
            "11: add column gadgets.rank INTEGER NOT NULL DEFAULT '1'",
            "12: drop column gadgets.legacy",
            "13: drop NOT NULL on gadgets.label",
            "14: change type of gadgets.notes to LONGTEXT",
            "15: rename column gadgets.colour to color",
            "16: drop default on gadgets.rank",
            "17: set default 10 on gadgets.weight",
            "17: set NOT NULL on gadgets.weight",
        ]
    );
}

#[test]
fn alembic_constraints_and_merge_revision() {
    let parsed = read_alembic(fixture!("alembic/constraints.py"), Dialect::Mysql);
    assert_eq!(
        parsed.down_revisions,
        vec!["b2".to_string(), "b2x".to_string()]
    );
    assert_eq!(
        rendered(&parsed),
        vec![
            "8: add Unique uq_gadget_owner on gadgets(owner_id,label)",
            "9: add ForeignKey { references: \"owners\", referenced_columns: [\"owner_id\"], actions: ForeignKeyActions { on_delete: NoAction, on_update: NoAction, deferrable: NotDeferrable } } fk_gadget_owner on gadgets(owner_id)",
            "10: add Check { expr: \"weight >= 0\" } ck_weight on gadgets()",
            "11: drop constraint uq_gadgets_label on gadgets",
        ]
    );
}

#[test]
fn alembic_batch_operations_and_sql() {
    let src = fixture!("alembic/batch_and_sql.py");
    let parsed = read_alembic(src, Dialect::Mysql);
    assert_eq!(parsed.revision.as_deref(), Some("d4"));
    assert_eq!(parsed.down_revisions, vec!["c3".to_string()]);
    assert_eq!(
        rendered(&parsed),
        vec![
            "12: add column gadgets.status VARCHAR(10)",
            "13: set NOT NULL on gadgets.status",
            "14: drop column gadgets.color",
            "15: create index ix_gadgets_status on gadgets(status)",
            "17: update gadgets (every row)",
            "18: delete from gadget_events",
            "20: insert into statuses",
            "20: insert into statuses",
            "22: optimize",
            "23: comment",
            "24: UNSUPPORTED op.invent_something()",
        ]
    );
    let expected: Vec<(u32, String)> = vec![
        (17, "UPDATE gadgets SET status = 'new'"),
        (18, "DELETE FROM gadget_events WHERE kind = 'spam'"),
        (20, "INSERT INTO statuses (name) VALUES ('new')"),
        (20, "INSERT INTO statuses (name) VALUES ('done')"),
        (22, "OPTIMIZE TABLE gadgets"),
    ]
    .into_iter()
    .map(|(l, s)| (l, s.to_string()))
    .collect();
    assert_eq!(sql_of(src, Dialect::Mysql, Flavor::Alembic), expected);
    let sqlite = sql_of(src, Dialect::Sqlite, Flavor::Alembic);
    assert_eq!(sqlite.len(), 4);
}

#[test]
fn alembic_without_revision_is_unreadable() {
    let parsed = read_alembic("def upgrade():\n    pass\n", Dialect::Mysql);
    assert_eq!(parsed.revision, None);
    assert_eq!(
        rendered(&parsed),
        vec![
            "1: UNREADABLE cannot resolve the Alembic `revision` identifier",
            "1: UNREADABLE cannot resolve the Alembic `down_revision`",
        ]
    );
}

/// Runs `f` on a thread with a normal 2 MiB stack, so that a stack overflow fails the test.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f);
    match handle.map(std::thread::JoinHandle::join) {
        Ok(Ok(v)) => v,
        _ => panic!("reader thread failed"),
    }
}

#[test]
fn deeply_nested_expressions_do_not_overflow() {
    for (open, close) in [("(", ")"), ("[", "]"), ("f(", ")"), ("-", ""), ("not ", "")] {
        let expr = format!("{}1{}", open.repeat(10_000), close.repeat(10_000));
        let src = format!("def upgrade(migrate_engine):\n    migrate_engine.execute({expr})\n");
        let ops = on_small_stack(move || read_sqlalchemy_migrate(&src, Dialect::Mysql));
        assert!(
            ops.operations
                .iter()
                .all(|o| o.line == 2 && matches!(o.kind, OpKind::Unreadable { .. })),
            "{open}: {:?}",
            ops.operations
        );
        assert!(!ops.operations.is_empty(), "{open}");
    }
    let chain = format!("x = 'a'{}\n", " + 'a'".repeat(10_000));
    let src = format!("{chain}def upgrade(migrate_engine):\n    migrate_engine.execute(x)\n");
    let ops = on_small_stack(move || read_sqlalchemy_migrate(&src, Dialect::Mysql));
    assert_eq!(ops.operations.len(), 1);
    assert!(matches!(ops.operations[0].kind, OpKind::Unreadable { .. }));
}

#[test]
fn much_deeper_nesting_is_still_safe() {
    let src = format!(
        "def upgrade(migrate_engine):\n    migrate_engine.execute({}1{})\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let ops = on_small_stack(move || read_sqlalchemy_migrate(&src, Dialect::Mysql));
    assert!(!ops.operations.is_empty());
}

#[test]
fn runaway_loops_and_strings_are_bounded() {
    let src = "def upgrade(migrate_engine):\n    s = 'x'\n    for i in range(100):\n        s = s + s\n    migrate_engine.execute(s)\n    for i in range(10000):\n        for j in range(10000):\n            pass\n";
    let ops = migrate(src, Dialect::Mysql);
    assert_eq!(
        ops,
        vec![
            "5: UNREADABLE cannot resolve SQL passed to execute(): cannot resolve a string this long",
            "8: UNREADABLE cannot resolve the script: it runs too many steps to follow",
        ]
    );
}

#[test]
fn type_variants_follow_the_dialect() {
    let src = "import sqlalchemy as sa\nfrom sqlalchemy.dialects import mysql\n\ndef upgrade(migrate_engine):\n    meta = sa.MetaData(bind=migrate_engine)\n    t = sa.Table('t', meta, autoload=True)\n    sa.Column('body', sa.Text().with_variant(mysql.LONGTEXT(), 'mysql')).create(t)\n";
    assert_eq!(
        migrate(src, Dialect::Mysql),
        vec!["7: add column t.body LONGTEXT"]
    );
    assert_eq!(
        migrate(src, Dialect::Sqlite),
        vec!["7: add column t.body TEXT"]
    );
}

#[test]
fn deeply_nested_calls_give_one_unreadable_op_per_line() {
    let depth = 10_000;
    let source = format!(
        "revision = 'b2'\ndown_revision = 'a1'\n\nfrom alembic import op\n\ndef upgrade():\n    op.execute({}'x'{})\n    op.drop_column('rules', 'name')\n",
        "f(".repeat(depth),
        ")".repeat(depth)
    );
    let parsed = super::read_alembic(&source, crate::model::ops::Dialect::Mysql);
    let at_7: Vec<_> = parsed.operations.iter().filter(|o| o.line == 7).collect();
    assert_eq!(at_7.len(), 1, "{at_7:?}");
    assert!(matches!(at_7[0].kind, OpKind::Unreadable { .. }));
    assert!(parsed
        .operations
        .iter()
        .any(|o| o.line == 8 && matches!(o.kind, OpKind::DropColumn { .. })));
}

/// A fuzzer-found script that made the reader yield operations until memory ran out.
#[test]
fn operations_per_script_are_bounded() {
    let bytes = include_bytes!("../../../../fuzz/regressions/python-oom-7ce8b8b0");
    let source: String = String::from_utf8_lossy(bytes).replace('\0', "");
    let parsed = read_alembic(&source, Dialect::Mysql);
    assert!(
        parsed.operations.len() <= super::interp::MAX_EFFECTS + 1,
        "{} operations",
        parsed.operations.len()
    );
    assert!(parsed
        .operations
        .iter()
        .any(|op| matches!(op.kind, OpKind::Unreadable { .. })));
}

/// A fuzzer-found script whose helper calls, each keeping its scope, ran memory out.
#[test]
fn function_calls_per_script_are_bounded() {
    let bytes = include_bytes!("../../../../fuzz/regressions/python-oom-calls-62940c80");
    // The fuzz target's first byte picks the reader and dialect; the rest is the script.
    let source = String::from_utf8_lossy(bytes.get(1..).unwrap_or_default()).into_owned();
    for parsed in [
        read_alembic(&source, Dialect::Mysql),
        read_sqlalchemy_migrate(&source, Dialect::Mysql),
    ] {
        assert!(parsed.operations.len() <= super::interp::MAX_EFFECTS + 1);
    }
}

#[test]
fn alembic_dialect_branches_follow_the_configured_dialect() {
    let src = fixture!("alembic/dialect_branches.py");
    assert_eq!(
        rendered(&read_alembic(src, Dialect::Mysql)),
        vec![
            "21: change type of gadgets.notes to MEDIUMTEXT",
            "27: create index ix_gadgets_label on gadgets(label)",
            "32: drop constraint fk_gadgets_owner on gadgets",
            "35: set NOT NULL on gadgets.weight",
            "39: drop column gadgets.legacy",
        ]
    );
    assert_eq!(
        rendered(&read_alembic(src, Dialect::Sqlite)),
        vec!["29: create index ix_gadgets_label on gadgets(label)"]
    );
    assert_eq!(
        rendered(&read_alembic(src, Dialect::Postgres)),
        vec![
            "23: change type of gadgets.notes to TEXT",
            "29: create index ix_gadgets_label on gadgets(label)",
            "32: drop constraint fk_gadgets_owner on gadgets",
            "35: set NOT NULL on gadgets.weight",
            "39: drop column gadgets.legacy",
        ]
    );
}

#[test]
fn alembic_generic_dialect_runs_every_branch() {
    let ops = rendered(&read_alembic(
        fixture!("alembic/dialect_branches.py"),
        Dialect::Generic,
    ));
    // Both index arms, the drop behind `return` on SQLite too: nothing is unreadable and
    // nothing is skipped, so the worse branch decides the verdict.
    assert!(ops.iter().all(|o| !o.contains("UNREADABLE")), "{ops:#?}");
    assert!(ops.contains(&"39: drop column gadgets.legacy".to_string()));
    assert!(ops.contains(&"21: change type of gadgets.notes to MEDIUMTEXT".to_string()));
    assert!(ops.contains(&"27: create index ix_gadgets_label on gadgets(label)".to_string()));
    assert!(ops.contains(&"29: create index ix_gadgets_label on gadgets(label)".to_string()));
}

#[test]
fn alembic_data_code_is_data() {
    let ops = rendered(&read_alembic(
        fixture!("alembic/data_changes.py"),
        Dialect::Postgres,
    ));
    assert_eq!(
        ops,
        vec![
            "31: add column settings.updated TIMESTAMP",
            "34: update settings",
            "34: update settings",
            "35: insert into settings",
            "36: delete from settings",
            "37: insert into settings",
            "38: update settings",
            "42: select (reads rows)",
            "46: update settings",
            "48: update settings (every row)",
            "52: update gadgets",
            "53: insert into gadgets",
            "56: select",
            "57: UNREADABLE cannot resolve drop_table() `table_name`: got a row value",
            "61: update gadgets",
        ]
    );
}

#[test]
fn alembic_vocabulary_of_real_projects() {
    let ops = rendered(&read_alembic(
        fixture!("alembic/vocabulary.py"),
        Dialect::Mysql,
    ));
    assert_eq!(
        ops,
        vec![
            // The key is declared by PrimaryKeyConstraint, not on the column: no AI flag.
            "23: create table orders [id INTEGER NOT NULL, state ENUM('new','paid','sent') NOT NULL, created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, placed DATETIME DEFAULT now(), gift BOOLEAN NOT NULL DEFAULT false, note VARCHAR(200), tags TEXT, extra ?, owner_id INTEGER] [pk(id)]",
            "36: add ForeignKey { references: \"owners\", referenced_columns: [\"id\"], actions: ForeignKeyActions { on_delete: Cascade, on_update: NoAction, deferrable: NotDeferrable } } fk_orders_owner_id_owners on orders(owner_id)",
            "39: create index ix_orders_state on orders(state)",
            "40: create unique index uq_orders_open on orders(owner_id)",
            "44: add column gadgets.order_id INTEGER",
            "45: change type of gadgets.label to VARCHAR(100)",
            "48: drop constraint uq_gadgets_label on gadgets",
            "50: drop table archive",
            "51: rename column gadgets.label to title",
        ]
    );
}

fn django(src: &str, app: &str, name: &str, dialect: Dialect) -> ParsedMigration {
    super::django::read_django(src, app, name, dialect)
}

#[test]
fn django_initial_models_become_tables() {
    let parsed = django(
        fixture!("django/library/migrations/0001_initial.py"),
        "library",
        "0001_initial",
        Dialect::Postgres,
    );
    assert_eq!(parsed.revision.as_deref(), Some("library.0001_initial"));
    // The swappable user model's app is outside the project's migrations.
    assert_eq!(parsed.down_revisions, ["shelf.0001_initial"]);
    assert_eq!(rendered(&parsed), vec![
            "16: create table library_author [id BIGINT NOT NULL PK AI, name VARCHAR(100) NOT NULL, email VARCHAR(254) NOT NULL UNIQUE, bio TEXT, account_id ? UNIQUE] [fk->auth_user(account_id)]",
            "26: create table library_book [id BIGINT NOT NULL PK AI, title VARCHAR(200) NOT NULL, isbn VARCHAR(13) NOT NULL, price NUMERIC(8,2) NOT NULL, published DATE, author_id ? NOT NULL] [fk->library_author(author_id)]",
            "26: create index - on library_book(isbn)",
            "26: create index - on library_book(author_id)",
            "26: create table library_book_tags [id INTEGER NOT NULL PK AI, book_id ? NOT NULL, tag_id ? NOT NULL] [fk->library_book(book_id), fk->shelf_tag(tag_id), unique(book_id,tag_id)]",
            "26: create index book_published_idx on library_book(published)",
            "26: add Unique - on library_book(title,author_id)",
            "43: create table library_loan [id BIGINT NOT NULL PK AI, due TIMESTAMP WITH TIME ZONE NOT NULL, book_id ? NOT NULL] [fk->library_book(book_id)]",
            "43: create index - on library_loan(book_id)",
        ]);
}

#[test]
fn django_every_operation() {
    let parsed = django(
        fixture!("django/library/migrations/0002_release_two.py"),
        "library",
        "0002_release_two",
        Dialect::Mysql,
    );
    assert_eq!(
        parsed.down_revisions,
        ["library.0001_initial", "shelf.0002_tag_colour"]
    );
    assert_eq!(
        rendered(&parsed),
        vec![
            "23: add column library_book.subtitle VARCHAR(200)",
            "24: add column library_book.slug VARCHAR(80) NOT NULL CLIENT",
            "25: add column library_book.added DATETIME(6) NOT NULL DEFAULT NOW()",
            "26: add column library_book.editor_id ?",
            "26: add ForeignKey { references: \"library_author\", referenced_columns: [], actions: ForeignKeyActions { on_delete: NoAction, on_update: NoAction, deferrable: NotDeferrable } } - on library_book(editor_id)",
            "26: create index - on library_book(editor_id)",
            "27: drop column library_author.bio",
            "28: redefine column library_book.title VARCHAR(300) NOT NULL",
            "29: rename column library_book.isbn to isbn13",
            "30: create index book_slug_idx on library_book(slug)",
            "31: drop index book_published_idx on library_book",
            "32: rename index book_slug_idx to book_slug_ix",
            "33: add Check { expr: \"models.Q(...)\" } book_price_positive on library_book()",
            "34: add Unique loan_once on library_loan(book,due)",
            "35: drop constraint loan_once on library_loan",
            "36: add Unique - on library_book(slug,author)",
            "37: create index - on library_loan(due,book)",
            "38: update library_book",
            "39: update (RunPython fill_slugs)",
            "39: runpython without reverse_code: the migration cannot be unapplied",
            "42: drop NOT NULL on library_book.published",
            "44: rename table library_loan to library_borrowing",
            "45: rename table library_author to library_writers",
            "46: drop table library_borrowing",
        ]
    );
}

#[test]
fn django_run_before_and_squashed_migrations() {
    let parsed = django(
        fixture!("django/shelf/migrations/0002_tag_colour.py"),
        "shelf",
        "0002_tag_colour",
        Dialect::Sqlite,
    );
    assert_eq!(parsed.run_before, ["library.0002_release_two"]);
    let squashed = django(
        fixture!("django/shelf/migrations/0001_squashed_0002.py"),
        "shelf",
        "0001_squashed_0002",
        Dialect::Sqlite,
    );
    assert_eq!(rendered(&squashed), vec![
            "4: squashed migration: a database that ran shelf.0001_initial, shelf.0002_tag_colour is recorded at it without running it",
        ]);
    assert!(super::django::is_django_migration(fixture!(
        "django/shelf/migrations/0001_squashed_0002.py"
    )));
    assert!(!super::django::is_django_migration(fixture!(
        "alembic/tables.py"
    )));
}

fn with_helpers(dialect: Dialect) -> Vec<String> {
    let modules = vec![(
        "myapp.migration_helpers".to_string(),
        std::sync::Arc::new(super::ParsedModule::parse(
            fixture!("alembic/imported/migration_helpers.py").to_string(),
        )),
    )];
    let parsed = super::read_python_with_modules(
        fixture!("alembic/imported/revision.py"),
        dialect,
        true,
        &modules,
    );
    rendered(&parsed)
}

#[test]
fn helpers_imported_from_the_repository_are_read_at_the_call_site() {
    assert_eq!(
        with_helpers(Dialect::Postgres),
        vec![
            "16: add column gadgets.notes TEXT",
            "18: drop column gadgets.fax",
            "18: drop column gadgets.pager",
            "19: UNREADABLE cannot resolve call to `myapp.missing_module.rebuild` (imported from outside the migration)",
        ]
    );
    // The imported dialect helper decides the branch as a helper of the script would.
    assert_eq!(
        with_helpers(Dialect::Sqlite),
        vec![
            "16: add column gadgets.notes TEXT",
            "19: UNREADABLE cannot resolve call to `myapp.missing_module.rebuild` (imported from outside the migration)",
        ]
    );
}

#[test]
fn without_the_module_imported_helpers_stay_unreadable() {
    let parsed = read_alembic(fixture!("alembic/imported/revision.py"), Dialect::Postgres);
    let ops = rendered(&parsed);
    assert!(ops.iter().any(|o| o.starts_with("16: UNREADABLE")), "{ops:?}");
    assert!(ops.iter().any(|o| o.starts_with("19: UNREADABLE")), "{ops:?}");
}

#[test]
fn repository_imports_are_found_in_the_text() {
    let names = super::imported_module_names(
        "from alembic import op\nfrom myapp.util import a, b\nfrom . import helpers\nfrom ..common.x import y\nimport sqlalchemy as sa\nfrom sqlalchemy.dialects import mysql\n",
    );
    assert_eq!(names, vec!["myapp.util", ".", "..common.x"]);
}

/// Every foreign key the script declares, as `table(columns) -> references(columns)` with
/// its actions in SQL.
fn foreign_keys(parsed: &ParsedMigration) -> Vec<String> {
    let mut found = Vec::new();
    for op in &parsed.operations {
        let (table, constraints) = match &op.kind {
            OpKind::CreateTable {
                table, constraints, ..
            } => (table, constraints.clone()),
            OpKind::AddConstraint { table, constraint } => (table, vec![constraint.clone()]),
            _ => continue,
        };
        for c in constraints {
            if let ConstraintKind::ForeignKey {
                references,
                referenced_columns,
                actions,
            } = &c.kind
            {
                found.push(format!(
                    "{}: {table}({}) -> {references}({}){}",
                    op.line,
                    c.columns.join(","),
                    referenced_columns.join(","),
                    actions.sql()
                ));
            }
        }
    }
    found
}

#[test]
fn alembic_foreign_key_actions() {
    let src = r#"
from alembic import op
import sqlalchemy as sa

revision = "f1"
down_revision = None

def upgrade():
    op.create_table(
        "assets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("release", sa.String(100), sa.ForeignKey("releases.name", ondelete="CASCADE", onupdate="set null")),
        sa.Column("owner_id", sa.Integer()),
        sa.ForeignKeyConstraint(["owner_id"], ["owners.id"], ondelete="SET NULL", deferrable=True, initially="DEFERRED"),
    )
    op.create_foreign_key("fk_rules_release", "rules", "releases", ["release"], ["name"], ondelete="RESTRICT", onupdate="CASCADE")
    op.create_foreign_key("fk_bad", "rules", "releases", ["release"], ["name"], ondelete=ACTIONS["delete"])
"#;
    let parsed = read_alembic(src, Dialect::Postgres);
    assert_eq!(
        foreign_keys(&parsed),
        [
            "9: assets(owner_id) -> owners(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED",
            "9: assets(release) -> releases(name) ON DELETE CASCADE ON UPDATE SET NULL",
            "16: rules(release) -> releases(name) ON DELETE RESTRICT ON UPDATE CASCADE",
        ]
    );
    // An action the reader cannot resolve is not guessed.
    let ops = rendered(&parsed);
    assert!(
        ops.iter().any(|o| o.starts_with("17: UNREADABLE") && o.contains("ondelete=")),
        "{ops:?}"
    );
}

#[test]
fn django_foreign_keys_get_what_the_database_gets() {
    let src = r#"
from django.db import migrations, models
import django.db.models.deletion

class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]
    operations = [
        migrations.AddField(
            model_name="book",
            name="editor",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to="library.author"),
        ),
        migrations.AddField(
            model_name="book",
            name="shelf",
            field=models.ForeignKey(null=True, on_delete=models.DB_SET_NULL, to="library.shelf"),
        ),
    ]
"#;
    // `CASCADE` is carried out by Django in Python: the key itself has no action. Django
    // creates keys deferred on PostgreSQL and SQLite, not on MySQL.
    assert_eq!(
        foreign_keys(&django(src, "library", "0002_editor", Dialect::Postgres)),
        [
            "8: library_book(editor_id) -> library_author() DEFERRABLE INITIALLY DEFERRED",
            "13: library_book(shelf_id) -> library_shelf() ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED",
        ]
    );
    assert_eq!(
        foreign_keys(&django(src, "library", "0002_editor", Dialect::Mysql)),
        [
            "8: library_book(editor_id) -> library_author()",
            "13: library_book(shelf_id) -> library_shelf() ON DELETE SET NULL",
        ]
    );
}

#[test]
fn python2_print_statements_change_nothing() {
    let src = "from alembic import op\nrevision = \"p1\"\ndown_revision = None\n\ndef upgrade():\n    print \"dropping {}\".format(\"legacy\")\n    print >>sys.stderr, \"done\"\n    op.drop_column(\"gadgets\", \"legacy\")\n    print(\"a call\")\n";
    assert_eq!(
        rendered(&read_alembic(src, Dialect::Mysql)),
        ["8: drop column gadgets.legacy"]
    );
    // Anything else the parser rejects stays unreadable.
    let broken = "from alembic import op\n\ndef upgrade():\n    op.drop_column(\"gadgets\" \"legacy\"\n";
    assert!(rendered(&read_alembic(broken, Dialect::Mysql))
        .iter()
        .any(|o| o.contains("UNREADABLE")));
    assert!(!super::is_python2_print("print(x)"));
    assert!(!super::is_python2_print("printer = 1"));
    assert!(super::is_python2_print("    print 'x', y"));
}
