//! Reads a real database's schema from its own catalog: `pg_catalog` (PostgreSQL),
//! `information_schema` (MariaDB), `sqlite_master` and the table pragmas (SQLite).

use std::collections::BTreeMap;

use super::canon;
use super::shape::{
    actions_text, partition_key, routine_name, ColumnShape, DomainShape, ForeignKeyShape, KeyShape,
    Schema, TableShape,
};
use crate::databases::{Database, Engine, Rows};
use balrog_schema_lint::model::foreign_key::{Deferrable, ForeignKeyActions, ReferentialAction};

fn text(row: &[Option<String>], i: usize) -> String {
    row.get(i).cloned().flatten().unwrap_or_default()
}

fn flag(row: &[Option<String>], i: usize) -> bool {
    matches!(text(row, i).as_str(), "t" | "1" | "YES" | "true")
}

fn list(value: &str) -> Vec<String> {
    value
        .split('\u{2}')
        .filter(|s| !s.is_empty())
        .map(canon::key_column)
        .collect()
}

/// `pg_constraint.confdeltype` / `confupdtype`.
fn pg_action(code: &str) -> ReferentialAction {
    match code {
        "r" => ReferentialAction::Restrict,
        "c" => ReferentialAction::Cascade,
        "n" => ReferentialAction::SetNull,
        "d" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

/// Actions reported by name (`CASCADE`, `SET NULL`, ...), as MariaDB and SQLite do.
fn named_actions(engine: Engine, on_delete: &str, on_update: &str) -> String {
    let action = |name: &str| ReferentialAction::parse(name).unwrap_or_default();
    actions_text(
        engine,
        ForeignKeyActions {
            on_delete: action(on_delete),
            on_update: action(on_update),
            deferrable: Deferrable::NotDeferrable,
        },
    )
}

/// The schema of `db`.
pub fn schema(db: &Database) -> Result<Schema, String> {
    let mut schema = match db.engine() {
        Engine::Postgres => postgres(db)?,
        Engine::Mariadb => mariadb(db)?,
        Engine::Sqlite => sqlite(db)?,
    };
    for table in schema.tables.values_mut() {
        table.keys.sort();
        table.foreign_keys.sort();
    }
    Ok(schema)
}

fn tables_from(names: &Rows) -> BTreeMap<String, TableShape> {
    names
        .iter()
        .map(|r| (canon::object_name(&text(r, 0)), TableShape::default()))
        .collect()
}

const PG_TABLES: &str = "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relpersistence <> 't'";
const PG_COLUMNS: &str =
    "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
                pg_get_expr(d.adbin, d.adrelid), a.attidentity <> '' OR a.attgenerated <> '',
                a.attgenerated <> '',
                a.attidentity <> '' OR coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%'
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0
               AND NOT a.attisdropped
         ORDER BY c.relname, a.attnum";
const PG_INDEXES: &str =
    "SELECT t.relname, ix.indisprimary, ix.indisunique, ix.indpred IS NOT NULL,
                array_to_string(ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true)
                                      FROM generate_series(1, ix.indnkeyatts) k ORDER BY k),
                                chr(2))
         FROM pg_index ix
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = current_schema()";
const PG_FOREIGN_KEYS: &str = "SELECT t.relname, r.relname,
                array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(num, pos)
                                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num
                                      ORDER BY k.pos), chr(2)),
                c.confdeltype::text, c.confupdtype::text, c.condeferrable, c.condeferred
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_class r ON r.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE c.contype = 'f' AND n.nspname = current_schema()";
const PG_VIEWS: &str =
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm')";
const PG_ENUMS: &str =
    "SELECT t.typname, e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
         JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema()
         ORDER BY t.typname, e.enumsortorder";
const PG_SEQUENCES: &str =
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind = 'S'
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid
                               AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0)";

const PG_ROUTINES: &str = "SELECT p.proname, p.prokind = 'p', oidvectortypes(p.proargtypes)
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = current_schema()
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                               AND d.objid = p.oid AND d.deptype = 'e')";
const PG_TRIGGERS: &str = "SELECT c.relname, t.tgname, t.tgenabled <> 'D'
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND NOT t.tgisinternal";
const PG_POLICIES: &str = "SELECT c.relname, p.polname, NOT p.polpermissive
         FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()";
const PG_ROW_SECURITY: &str = "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
               AND (c.relrowsecurity OR c.relforcerowsecurity)";
const PG_PUBLIC_GRANTS: &str = "SELECT table_name, lower(privilege_type)
         FROM information_schema.role_table_grants
         WHERE grantee = 'PUBLIC' AND table_schema = current_schema()";
const PG_COMMENTS: &str = "SELECT c.relname, a.attname, d.description
         FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
         WHERE d.classoid = 'pg_class'::regclass AND n.nspname = current_schema()
               AND c.relkind IN ('r', 'p')";

/// Routines, triggers, policies, row-level security, grants to PUBLIC and comments.
fn postgres_programs(db: &Database, schema: &mut Schema) -> Result<(), String> {
    let mut answers = db
        .query_all(&[
            PG_ROUTINES,
            PG_TRIGGERS,
            PG_POLICIES,
            PG_ROW_SECURITY,
            PG_PUBLIC_GRANTS,
            PG_COMMENTS,
        ])?
        .into_iter();
    let mut next = || answers.next().unwrap_or_default();
    schema.routines = next()
        .iter()
        .map(|r| {
            let args: Vec<String> = text(r, 2)
                .split(", ")
                .filter(|a| !a.is_empty())
                .map(String::from)
                .collect();
            routine_name(Engine::Postgres, &text(r, 0), flag(r, 1), &args)
        })
        .collect();
    schema.triggers = table_objects_with_flag(&next());
    schema.policies = table_objects_with_flag(&next());
    schema.row_security = next()
        .iter()
        .map(|r| (canon::object_name(&text(r, 0)), (flag(r, 1), flag(r, 2))))
        .collect();
    schema.public_grants = next()
        .iter()
        .map(|r| format!("{} {}", canon::object_name(&text(r, 0)), text(r, 1)))
        .collect();
    schema.comments = next()
        .iter()
        .map(|r| {
            let table = canon::object_name(&text(r, 0));
            let object = match row_text(r, 1) {
                Some(column) => format!("{table}.{}", column.to_lowercase()),
                None => table,
            };
            (object, text(r, 2))
        })
        .collect();
    Ok(())
}

/// Rows of (table, object, flag) as `table.object` names with their flag.
fn table_objects_with_flag(rows: &Rows) -> BTreeMap<String, bool> {
    rows.iter()
        .map(|r| {
            let name = format!(
                "{}.{}",
                canon::object_name(&text(r, 0)),
                canon::object_name(&text(r, 1))
            );
            (name, flag(r, 2))
        })
        .collect()
}

fn row_text(row: &[Option<String>], i: usize) -> Option<String> {
    row.get(i).cloned().flatten().filter(|s| !s.is_empty())
}
const PG_COMPOSITES: &str = "SELECT t.typname, a.attname, format_type(a.atttypid, a.atttypmod)
         FROM pg_type t JOIN pg_class c ON c.oid = t.typrelid
         JOIN pg_attribute a ON a.attrelid = c.oid
         JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE t.typtype = 'c' AND c.relkind = 'c' AND a.attnum > 0 AND NOT a.attisdropped
               AND n.nspname = current_schema()
         ORDER BY t.typname, a.attnum";
const PG_DOMAINS: &str =
    "SELECT t.typname, format_type(t.typbasetype, t.typtypmod), NOT t.typnotnull,
                (SELECT count(*) FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c')
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE t.typtype = 'd' AND n.nspname = current_schema()";
// Scratch schemas of other runs (`bsl_...`) are the test's, not the migrations'.
const PG_SCHEMAS: &str = "SELECT nspname FROM pg_namespace
         WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT LIKE 'bsl\\_%'
               AND nspname NOT IN ('information_schema', 'public')";
const PG_EXTENSIONS: &str = "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'";
const PG_MATVIEWS: &str = "SELECT matviewname FROM pg_matviews WHERE schemaname = current_schema()";
const PG_PARTITIONED: &str = "SELECT c.relname, pg_get_partkeydef(c.oid)
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind = 'p' AND n.nspname = current_schema()";
const PG_PARTITIONS: &str = "SELECT c.relname, p.relname FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()";
const PG_NOT_VALID: &str = "SELECT t.relname, c.conname FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE NOT c.convalidated AND n.nspname = current_schema()";

fn postgres(db: &Database) -> Result<Schema, String> {
    let mut answers = db
        .query_all(&[
            PG_TABLES,
            PG_COLUMNS,
            PG_INDEXES,
            PG_FOREIGN_KEYS,
            PG_VIEWS,
            PG_ENUMS,
            PG_SEQUENCES,
            PG_COMPOSITES,
            PG_DOMAINS,
            PG_SCHEMAS,
            PG_EXTENSIONS,
            PG_MATVIEWS,
            PG_PARTITIONED,
            PG_PARTITIONS,
            PG_NOT_VALID,
        ])?
        .into_iter();
    let mut next = || answers.next().unwrap_or_default();
    let mut schema = Schema {
        tables: tables_from(&next()),
        ..Schema::default()
    };
    let columns = next();
    for row in &columns {
        let Some(table) = schema.tables.get_mut(&canon::object_name(&text(row, 0))) else {
            continue;
        };
        let default = row.get(4).cloned().flatten();
        // A serial column's default is its sequence; identity columns have none.
        let serial = default
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval("));
        if flag(row, 6) {
            table.generated.push(text(row, 1).to_lowercase());
        }
        if flag(row, 7) {
            table.auto.push(text(row, 1).to_lowercase());
        }
        table.columns.push(ColumnShape {
            name: text(row, 1).to_lowercase(),
            ty: canon::column_type(Engine::Postgres, &text(row, 2)),
            nullable: flag(row, 3),
            default: if serial || flag(row, 5) {
                None
            } else {
                default.and_then(|d| canon::default(Engine::Postgres, &d))
            },
        });
    }
    let indexes = next();
    for row in &indexes {
        let Some(table) = schema.tables.get_mut(&canon::object_name(&text(row, 0))) else {
            continue;
        };
        let columns = list(&text(row, 4));
        if flag(row, 1) {
            table.primary_key = columns;
        } else {
            table.keys.push(KeyShape {
                columns,
                unique: flag(row, 2),
                partial: flag(row, 3),
            });
        }
    }
    let foreign_keys = next();
    for row in &foreign_keys {
        if let Some(table) = schema.tables.get_mut(&canon::object_name(&text(row, 0))) {
            table.foreign_keys.push(ForeignKeyShape {
                columns: list(&text(row, 2)),
                references: canon::object_name(&text(row, 1)),
                actions: actions_text(
                    Engine::Postgres,
                    ForeignKeyActions {
                        on_delete: pg_action(&text(row, 3)),
                        on_update: pg_action(&text(row, 4)),
                        deferrable: Deferrable::from_clauses(
                            Some(flag(row, 5)),
                            Some(flag(row, 6)),
                        ),
                    },
                ),
            });
        }
    }
    schema.views = next()
        .iter()
        .map(|r| canon::object_name(&text(r, 0)))
        .collect();
    for row in next() {
        schema
            .enums
            .entry(canon::object_name(&text(&row, 0)))
            .or_default()
            .push(text(&row, 1));
    }
    // Sequences a serial or identity column owns are part of that column, not objects of
    // their own.
    schema.sequences = next()
        .iter()
        .map(|r| canon::object_name(&text(r, 0)))
        .collect();
    for row in next() {
        schema
            .composites
            .entry(canon::object_name(&text(&row, 0)))
            .or_default()
            .push((
                text(&row, 1).to_lowercase(),
                canon::column_type(Engine::Postgres, &text(&row, 2)),
            ));
    }
    for row in next() {
        schema.domains.insert(
            canon::object_name(&text(&row, 0)),
            DomainShape {
                base: canon::column_type(Engine::Postgres, &text(&row, 1)),
                nullable: flag(&row, 2),
                checks: text(&row, 3).parse().unwrap_or(0),
            },
        );
    }
    let names = |rows: Rows| {
        rows.iter()
            .map(|r| canon::object_name(&text(r, 0)))
            .collect()
    };
    schema.schemas = names(next());
    schema.extensions = names(next());
    schema.materialized_views = names(next());
    for row in next() {
        schema.partitioned.insert(
            canon::object_name(&text(&row, 0)),
            partition_key(&text(&row, 1)),
        );
    }
    for row in next() {
        schema.partitions.insert(
            canon::object_name(&text(&row, 0)),
            canon::object_name(&text(&row, 1)),
        );
    }
    for row in next() {
        if let Some(table) = schema.tables.get_mut(&canon::object_name(&text(&row, 0))) {
            table.not_valid.push(text(&row, 1).to_lowercase());
        }
    }
    for table in schema.tables.values_mut() {
        table.not_valid.sort();
    }
    postgres_programs(db, &mut schema)?;
    Ok(schema)
}

const MARIADB_TABLES: &str = "SELECT TABLE_NAME FROM information_schema.TABLES
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'";
const MARIADB_COLUMNS: &str = "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE,
                CONCAT('=', COLUMN_DEFAULT), EXTRA
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
         ORDER BY TABLE_NAME, ORDINAL_POSITION";
const MARIADB_INDEXES: &str = "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE,
                GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR 0x02)
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
         GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE";
const MARIADB_FOREIGN_KEYS: &str = "SELECT k.TABLE_NAME, k.REFERENCED_TABLE_NAME,
                GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.ORDINAL_POSITION SEPARATOR 0x02),
                r.DELETE_RULE, r.UPDATE_RULE
         FROM information_schema.KEY_COLUMN_USAGE k
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
          AND r.TABLE_NAME = k.TABLE_NAME
         WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL
         GROUP BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.REFERENCED_TABLE_NAME, r.DELETE_RULE, r.UPDATE_RULE";
const MARIADB_ROUTINES: &str = "SELECT ROUTINE_NAME, ROUTINE_TYPE = 'PROCEDURE'
         FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()";
const MARIADB_TRIGGERS: &str = "SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME
         FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()";
const MARIADB_TABLE_GRANTS: &str = "SELECT TABLE_NAME, LOWER(PRIVILEGE_TYPE), GRANTEE
         FROM information_schema.TABLE_PRIVILEGES WHERE TABLE_SCHEMA = DATABASE()";
const MARIADB_VIEWS: &str =
    "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()";

fn mariadb(db: &Database) -> Result<Schema, String> {
    let mut answers = db
        .query_all(&[
            MARIADB_TABLES,
            MARIADB_COLUMNS,
            MARIADB_INDEXES,
            MARIADB_FOREIGN_KEYS,
            MARIADB_VIEWS,
            MARIADB_ROUTINES,
            MARIADB_TRIGGERS,
            MARIADB_TABLE_GRANTS,
        ])?
        .into_iter();
    let mut next = || answers.next().unwrap_or_default();
    let mut schema = Schema {
        tables: tables_from(&next()),
        ..Schema::default()
    };
    // COLUMN_DEFAULT is NULL without a default and the text NULL for `DEFAULT NULL`; the
    // client prints both as NULL, so the value is prefixed.
    let columns = next();
    for row in &columns {
        let Some(table) = schema.tables.get_mut(&canon::object_name(&text(row, 0))) else {
            continue;
        };
        let extra = text(row, 5).to_lowercase();
        let auto = extra.contains("auto_increment");
        if auto {
            table.auto.push(text(row, 1).to_lowercase());
        }
        // `STORED GENERATED` / `VIRTUAL GENERATED`.
        if extra.contains("generated") {
            table.generated.push(text(row, 1).to_lowercase());
        }
        table.columns.push(ColumnShape {
            name: text(row, 1).to_lowercase(),
            ty: canon::column_type(Engine::Mariadb, &text(row, 2)),
            nullable: flag(row, 3),
            default: match row.get(4).cloned().flatten() {
                Some(d) if !auto => d
                    .strip_prefix('=')
                    .and_then(|d| canon::default(Engine::Mariadb, d)),
                _ => None,
            },
        });
    }
    let indexes = next();
    for row in &indexes {
        let Some(table) = schema.tables.get_mut(&canon::object_name(&text(row, 0))) else {
            continue;
        };
        let columns = list(&text(row, 3));
        if text(row, 1) == "PRIMARY" {
            table.primary_key = columns;
        } else {
            table.keys.push(KeyShape {
                columns,
                unique: text(row, 2) == "0",
                partial: false,
            });
        }
    }
    let foreign_keys = next();
    for row in &foreign_keys {
        if let Some(table) = schema.tables.get_mut(&canon::object_name(&text(row, 0))) {
            table.foreign_keys.push(ForeignKeyShape {
                columns: list(&text(row, 2)),
                references: canon::object_name(&text(row, 1)),
                actions: named_actions(Engine::Mariadb, &text(row, 3), &text(row, 4)),
            });
        }
    }
    for table in schema.tables.values_mut() {
        super::shape::without_foreign_key_indexes(table);
    }
    schema.views = next()
        .iter()
        .map(|r| canon::object_name(&text(r, 0)))
        .collect();
    schema.routines = next()
        .iter()
        .map(|r| routine_name(Engine::Mariadb, &text(r, 0), flag(r, 1), &[]))
        .collect();
    schema.triggers = triggers_from(&next());
    schema.table_grants = next()
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                canon::object_name(&text(r, 0)),
                text(r, 1),
                canon::account(&text(r, 2))
            )
        })
        .collect();
    Ok(schema)
}

/// `table.name` of each (table, trigger) row; MariaDB and SQLite triggers always fire.
fn triggers_from(rows: &Rows) -> BTreeMap<String, bool> {
    rows.iter()
        .map(|r| {
            let name = format!(
                "{}.{}",
                canon::object_name(&text(r, 0)),
                canon::object_name(&text(r, 1))
            );
            (name, true)
        })
        .collect()
}

fn sqlite(db: &Database) -> Result<Schema, String> {
    let mut schema = Schema {
        // Virtual tables count; their shadow tables (`fts_x_data`, ...) are their storage.
        tables: tables_from(&db.query(
            "SELECT name FROM pragma_table_list WHERE schema = 'main'
             AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite_%'",
        )?),
        ..Schema::default()
    };
    let names: Vec<String> = schema.tables.keys().cloned().collect();
    for name in names {
        let quoted = name.replace('\'', "''");
        let columns = db.query(&format!(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{quoted}') ORDER BY cid"
        ))?;
        let indexes = db.query(&format!(
            "SELECT l.name, l.\"unique\", l.origin, l.partial,
                    (SELECT group_concat(coalesce(i.name, '<expr>'), char(2))
                     FROM (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno) i)
             FROM pragma_index_list('{quoted}') l"
        ))?;
        let foreign_keys = db.query(&format!(
            "SELECT \"table\", group_concat(\"from\", char(2)), on_delete, on_update FROM
             (SELECT * FROM pragma_foreign_key_list('{quoted}') ORDER BY id, seq) GROUP BY id"
        ))?;
        let Some(table) = schema.tables.get_mut(&name) else {
            continue;
        };
        let mut key: Vec<(u32, String)> = Vec::new();
        for row in &columns {
            let pk: u32 = text(row, 4).parse().unwrap_or(0);
            let column = text(row, 0).to_lowercase();
            if pk > 0 {
                key.push((pk, column.clone()));
            }
            table.columns.push(ColumnShape {
                name: column,
                ty: canon::column_type(Engine::Sqlite, &text(row, 1)),
                // SQLite lets a non-INTEGER primary key column hold NULL unless it says NOT
                // NULL; the replay calls every key column NOT NULL, as the other engines do,
                // so the key decides here too.
                nullable: !flag(row, 2) && pk == 0,
                default: row
                    .get(3)
                    .cloned()
                    .flatten()
                    .and_then(|d| canon::default(Engine::Sqlite, &d)),
            });
        }
        key.sort();
        table.primary_key = key.into_iter().map(|(_, c)| c).collect();
        for row in &indexes {
            if text(row, 2) == "pk" {
                continue;
            }
            table.keys.push(KeyShape {
                columns: list(&text(row, 4)),
                unique: flag(row, 1),
                partial: flag(row, 3),
            });
        }
        for row in &foreign_keys {
            table.foreign_keys.push(ForeignKeyShape {
                columns: list(&text(row, 1)),
                references: canon::object_name(&text(row, 0)),
                actions: named_actions(Engine::Sqlite, &text(row, 2), &text(row, 3)),
            });
        }
    }
    schema.views = db
        .query("SELECT name FROM sqlite_master WHERE type = 'view'")?
        .iter()
        .map(|r| canon::object_name(&text(r, 0)))
        .collect();
    schema.triggers = triggers_from(
        &db.query("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")?,
    );
    Ok(schema)
}
