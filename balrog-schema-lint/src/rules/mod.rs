//! The rule catalogue: one file per rule, one registry everything derives from (lookup by
//! name, the `rules` listing, `explain`, config validation, SARIF metadata, the docs page).

mod add_check_constraint;
mod add_column_not_null_without_default;
mod add_domain_constraint;
mod add_foreign_key;
mod add_serial_primary_key;
mod add_unique_constraint;
mod baseline_migration;
mod baseline_schema_drift;
mod broken_alembic_chain;
mod change_column_type;
mod char_column;
mod cluster;
mod column_assigned_twice;
mod concurrent_index_in_transaction;
mod conflicting_dialect_evidence;
mod constraint_without_not_valid;
mod create_index_not_concurrently;
mod declared;
mod delete_without_where;
mod deleted_released_migration;
mod detach_partition_not_concurrently;
mod dml_and_ddl_in_same_migration;
mod domain_check_constraint;
mod drop_column;
mod drop_database;
mod drop_default;
mod drop_enum_value;
mod drop_index;
mod drop_index_not_concurrently;
mod drop_table;
mod drop_view;
mod dropped_object_still_referenced;
mod duplicate_migration_version;
mod edited_released_migration;
mod enum_value_in_transaction;
mod enum_value_order;
mod foreign_key_action_changed;
mod identifier_too_long;
mod int_key_overflow;
mod invalid_suppression;
mod lock_timeout;
mod migration_before_released;
mod missing_down_migration;
mod mixed_release;
mod modify_column_contracts;
mod mysql_missing_algorithm_lock;
mod mysql_table_copy;
mod needs_review_operation;
mod nested_transaction;
mod reindex_not_concurrently;
mod release_tag_format;
mod rename_column;
mod rename_table;
mod renamed_released_migration;
mod run_python_without_reverse;
mod schema_conflict;
mod serial_instead_of_identity;
mod set_not_null;
mod sqlite_table_rebuild;
mod suppression_without_reason;
mod timestamp_without_time_zone;
mod truncate_cascade;
mod type_change_rewrite;
mod unfinished_transaction;
mod unreadable_statement;
mod unrecognised_migration_file;
mod unsupported_statement;
mod unused_suppression;
mod update_without_where;
mod vacuum_full;
mod validate_in_same_transaction;
mod varchar_instead_of_text;
mod version_not_bumped;
mod volatile_default;

use std::collections::HashSet;

use serde::Serialize;

use crate::analysis::{Analysis, AnalyzedMigration, AnalyzedOp};
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, Direction, MaintenanceCommand, OpKind, SqlType};

pub use release_tag_format::tag_problem;

/// What a rule protects.
///
/// ```
/// use balrog_schema_lint::Category;
///
/// assert_eq!(Category::HistoryIntegrity.name(), "history-integrity");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Old code must keep working on the new schema (the schema goes first).
    OldCodeNewSchema,
    /// New code must work on the old schema (the code goes first).
    NewCodeOldSchema,
    /// The release as a whole has no safe deploy order.
    ReleaseShape,
    /// Migrations that production already ran must not change.
    HistoryIntegrity,
    /// Locks, rewrites and long-running statements.
    Operational,
    /// Choices that cost later: types, key widths, names the database shortens.
    SchemaDesign,
    /// Something the tool could not judge.
    Review,
}

impl Category {
    /// The kebab-case name shown in listings.
    pub fn name(self) -> &'static str {
        match self {
            Category::OldCodeNewSchema => "old-code-new-schema",
            Category::NewCodeOldSchema => "new-code-old-schema",
            Category::ReleaseShape => "release-shape",
            Category::HistoryIntegrity => "history-integrity",
            Category::Operational => "operational",
            Category::SchemaDesign => "schema-design",
            Category::Review => "review",
        }
    }
}

/// A rule's metadata. Its documentation has the sections What it does / Why is this bad /
/// Example / Use instead / Deploy ordering.
///
/// ```
/// use balrog_schema_lint::{find_rule, Severity};
///
/// let rule = find_rule("drop-table").unwrap();
/// assert!(rule.enabled_by_default);
/// assert!(rule.default_severity >= Severity::Warning);
/// assert!(rule.doc.contains("## What it does"));
/// ```
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rule {
    /// Stable kebab-case name, e.g. `drop-column`.
    pub name: &'static str,
    /// What it protects.
    pub category: Category,
    /// Severity unless configured otherwise.
    pub default_severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// The full documentation, in Markdown.
    pub doc: &'static str,
    /// Runs unless configuration turns it on explicitly (`[rules] name = "warning"`). Off by
    /// default for rules that would flag most statements of a common project.
    pub enabled_by_default: bool,
    /// The documentation's Example is one migration that triggers the rule on its own, on
    /// the production schema its `-- production:` lines state. The other rules need history,
    /// several files or the repository: their Examples describe that repository in comments,
    /// and the test builds it as a real git repository to run them.
    pub standalone_example: bool,
}

type Check = fn(&Analysis, &mut Vec<Finding>);

struct Entry {
    rule: &'static Rule,
    check: Check,
}

static REGISTRY: &[Entry] = &[
    Entry {
        rule: &add_check_constraint::RULE,
        check: add_check_constraint::check,
    },
    Entry {
        rule: &add_column_not_null_without_default::RULE,
        check: add_column_not_null_without_default::check,
    },
    Entry {
        rule: &add_domain_constraint::RULE,
        check: add_domain_constraint::check,
    },
    Entry {
        rule: &add_foreign_key::RULE,
        check: add_foreign_key::check,
    },
    Entry {
        rule: &add_serial_primary_key::RULE,
        check: add_serial_primary_key::check,
    },
    Entry {
        rule: &add_unique_constraint::RULE,
        check: add_unique_constraint::check,
    },
    Entry {
        rule: &baseline_migration::RULE,
        check: baseline_migration::check,
    },
    Entry {
        rule: &baseline_schema_drift::RULE,
        check: baseline_schema_drift::check,
    },
    Entry {
        rule: &broken_alembic_chain::RULE,
        check: broken_alembic_chain::check,
    },
    Entry {
        rule: &change_column_type::RULE,
        check: change_column_type::check,
    },
    Entry {
        rule: &char_column::RULE,
        check: char_column::check,
    },
    Entry {
        rule: &cluster::RULE,
        check: cluster::check,
    },
    Entry {
        rule: &column_assigned_twice::RULE,
        check: column_assigned_twice::check,
    },
    Entry {
        rule: &concurrent_index_in_transaction::RULE,
        check: concurrent_index_in_transaction::check,
    },
    Entry {
        rule: &conflicting_dialect_evidence::RULE,
        check: conflicting_dialect_evidence::check,
    },
    Entry {
        rule: &constraint_without_not_valid::RULE,
        check: constraint_without_not_valid::check,
    },
    Entry {
        rule: &create_index_not_concurrently::RULE,
        check: create_index_not_concurrently::check,
    },
    Entry {
        rule: &delete_without_where::RULE,
        check: delete_without_where::check,
    },
    Entry {
        rule: &deleted_released_migration::RULE,
        check: deleted_released_migration::check,
    },
    Entry {
        rule: &detach_partition_not_concurrently::RULE,
        check: detach_partition_not_concurrently::check,
    },
    Entry {
        rule: &dml_and_ddl_in_same_migration::RULE,
        check: dml_and_ddl_in_same_migration::check,
    },
    Entry {
        rule: &domain_check_constraint::RULE,
        check: domain_check_constraint::check,
    },
    Entry {
        rule: &drop_column::RULE,
        check: drop_column::check,
    },
    Entry {
        rule: &drop_database::RULE,
        check: drop_database::check,
    },
    Entry {
        rule: &drop_default::RULE,
        check: drop_default::check,
    },
    Entry {
        rule: &drop_enum_value::RULE,
        check: drop_enum_value::check,
    },
    Entry {
        rule: &drop_index::RULE,
        check: drop_index::check,
    },
    Entry {
        rule: &drop_index_not_concurrently::RULE,
        check: drop_index_not_concurrently::check,
    },
    Entry {
        rule: &drop_table::RULE,
        check: drop_table::check,
    },
    Entry {
        rule: &drop_view::RULE,
        check: drop_view::check,
    },
    Entry {
        rule: &dropped_object_still_referenced::RULE,
        check: dropped_object_still_referenced::check,
    },
    Entry {
        rule: &duplicate_migration_version::RULE,
        check: duplicate_migration_version::check,
    },
    Entry {
        rule: &edited_released_migration::RULE,
        check: edited_released_migration::check,
    },
    Entry {
        rule: &enum_value_in_transaction::RULE,
        check: enum_value_in_transaction::check,
    },
    Entry {
        rule: &enum_value_order::RULE,
        check: enum_value_order::check,
    },
    Entry {
        rule: &foreign_key_action_changed::RULE,
        check: foreign_key_action_changed::check,
    },
    Entry {
        rule: &identifier_too_long::RULE,
        check: identifier_too_long::check,
    },
    Entry {
        rule: &int_key_overflow::RULE,
        check: int_key_overflow::check,
    },
    Entry {
        rule: &invalid_suppression::RULE,
        check: invalid_suppression::check,
    },
    Entry {
        rule: &lock_timeout::RULE,
        check: lock_timeout::check,
    },
    Entry {
        rule: &migration_before_released::RULE,
        check: migration_before_released::check,
    },
    Entry {
        rule: &missing_down_migration::RULE,
        check: missing_down_migration::check,
    },
    Entry {
        rule: &mixed_release::RULE,
        check: mixed_release::check,
    },
    Entry {
        rule: &modify_column_contracts::RULE,
        check: modify_column_contracts::check,
    },
    Entry {
        rule: &mysql_missing_algorithm_lock::RULE,
        check: mysql_missing_algorithm_lock::check,
    },
    Entry {
        rule: &mysql_table_copy::RULE,
        check: mysql_table_copy::check,
    },
    Entry {
        rule: &needs_review_operation::RULE,
        check: needs_review_operation::check,
    },
    Entry {
        rule: &nested_transaction::RULE,
        check: nested_transaction::check,
    },
    Entry {
        rule: &reindex_not_concurrently::RULE,
        check: reindex_not_concurrently::check,
    },
    Entry {
        rule: &release_tag_format::RULE,
        check: release_tag_format::check,
    },
    Entry {
        rule: &rename_column::RULE,
        check: rename_column::check,
    },
    Entry {
        rule: &rename_table::RULE,
        check: rename_table::check,
    },
    Entry {
        rule: &renamed_released_migration::RULE,
        check: renamed_released_migration::check,
    },
    Entry {
        rule: &run_python_without_reverse::RULE,
        check: run_python_without_reverse::check,
    },
    Entry {
        rule: &schema_conflict::RULE,
        check: schema_conflict::check,
    },
    Entry {
        rule: &serial_instead_of_identity::RULE,
        check: serial_instead_of_identity::check,
    },
    Entry {
        rule: &set_not_null::RULE,
        check: set_not_null::check,
    },
    Entry {
        rule: &sqlite_table_rebuild::RULE,
        check: sqlite_table_rebuild::check,
    },
    Entry {
        rule: &suppression_without_reason::RULE,
        check: suppression_without_reason::check,
    },
    Entry {
        rule: &timestamp_without_time_zone::RULE,
        check: timestamp_without_time_zone::check,
    },
    Entry {
        rule: &truncate_cascade::RULE,
        check: truncate_cascade::check,
    },
    Entry {
        rule: &type_change_rewrite::RULE,
        check: type_change_rewrite::check,
    },
    Entry {
        rule: &unfinished_transaction::RULE,
        check: unfinished_transaction::check,
    },
    Entry {
        rule: &unreadable_statement::RULE,
        check: unreadable_statement::check,
    },
    Entry {
        rule: &unrecognised_migration_file::RULE,
        check: unrecognised_migration_file::check,
    },
    Entry {
        rule: &unsupported_statement::RULE,
        check: unsupported_statement::check,
    },
    Entry {
        rule: &unused_suppression::RULE,
        check: unused_suppression::check,
    },
    Entry {
        rule: &update_without_where::RULE,
        check: update_without_where::check,
    },
    Entry {
        rule: &vacuum_full::RULE,
        check: vacuum_full::check,
    },
    Entry {
        rule: &validate_in_same_transaction::RULE,
        check: validate_in_same_transaction::check,
    },
    Entry {
        rule: &varchar_instead_of_text::RULE,
        check: varchar_instead_of_text::check,
    },
    Entry {
        rule: &version_not_bumped::RULE,
        check: version_not_bumped::check,
    },
    Entry {
        rule: &volatile_default::RULE,
        check: volatile_default::check,
    },
];

/// Every rule, sorted by name.
///
/// ```
/// // Re-exported as `balrog_schema_lint::rules`.
/// let names: Vec<&str> = balrog_schema_lint::rules().map(|rule| rule.name).collect();
/// assert!(names.contains(&"drop-column"));
/// assert!(names.windows(2).all(|w| w[0] < w[1])); // sorted
/// ```
pub fn all() -> impl Iterator<Item = &'static Rule> {
    REGISTRY.iter().map(|e| e.rule)
}

/// The rule with this name.
///
/// ```
/// // Re-exported as `balrog_schema_lint::find_rule`.
/// use balrog_schema_lint::{find_rule, Category};
///
/// let rule = find_rule("rename-column").unwrap();
/// assert_eq!(rule.category, Category::NewCodeOldSchema);
/// assert!(find_rule("no-such-rule").is_none());
/// ```
pub fn find(name: &str) -> Option<&'static Rule> {
    all().find(|r| r.name == name)
}

/// Runs every rule over the analysis. Severities are the defaults, and rules that are off
/// by default still run: `suppress::apply` applies configuration and suppressions.
pub fn run(analysis: &Analysis) -> Vec<Finding> {
    let mut findings = Vec::new();
    for entry in REGISTRY {
        (entry.check)(analysis, &mut findings);
    }
    findings
}

/// A finding of `rule` at its default severity.
fn finding(
    rule: &Rule,
    migration: Option<&AnalyzedMigration>,
    line: Option<u32>,
    message: String,
    help: String,
) -> Finding {
    Finding {
        rule: rule.name.to_string(),
        severity: rule.default_severity,
        path: migration.map(|m| m.path.clone()),
        line,
        message,
        help,
        diff: None,
        related: Vec::new(),
    }
}

/// Whether the operation changes an object that deployed code can see: not one created
/// earlier in this release, and not one whose change nets to nothing.
fn touches_released(aop: &AnalyzedOp) -> bool {
    aop.judgement.direction != Direction::Neutral
}

/// `UPDATE` or `DELETE` statements (by `change`) without a `WHERE`, on tables production
/// already has, with the table they change.
fn every_row_changes(
    analysis: &Analysis,
    change: crate::model::ops::DataChangeKind,
) -> Vec<(&AnalyzedMigration, &AnalyzedOp, &str)> {
    with_new_tables(analysis)
        .into_iter()
        .filter_map(|(migration, aop, table_is_new)| match &aop.op.kind {
            OpKind::DataChange {
                change: c,
                table,
                filtered: false,
            } if *c == change && !table_is_new => Some((migration, aop, table.as_str())),
            _ => None,
        })
        .collect()
}

/// Every operation of the range with whether its table was created earlier in the range
/// (statements that do not change the schema, like `INSERT`, are judged neutral whatever
/// their table, so the direction alone cannot tell).
fn with_new_tables(analysis: &Analysis) -> Vec<(&AnalyzedMigration, &AnalyzedOp, bool)> {
    let mut created: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for (migration, aop) in analysis.operations() {
        let is_new = aop
            .op
            .kind
            .table()
            .is_some_and(|t| created.contains(&t.to_ascii_lowercase()));
        out.push((migration, aop, is_new));
        match &aop.op.kind {
            OpKind::CreateTable { table, .. } => {
                created.insert(table.to_ascii_lowercase());
            }
            OpKind::RenameTable { table, new_name } => {
                let was_new = created.remove(&table.to_ascii_lowercase());
                if was_new {
                    created.insert(new_name.to_ascii_lowercase());
                }
            }
            OpKind::DropTable { table } => {
                created.remove(&table.to_ascii_lowercase());
            }
            _ => {}
        }
    }
    out
}

/// Whether a table or index named `name` was created by an operation of the range that
/// runs before `before`: rebuilding or locking it then blocks no deployed code, as nothing
/// uses it yet.
fn created_before(analysis: &Analysis, before: &AnalyzedOp, name: &str) -> bool {
    let mut created = false;
    for (_, aop) in analysis.operations() {
        if std::ptr::eq(aop, before) {
            break;
        }
        let same = |n: &str| n.eq_ignore_ascii_case(name);
        match &aop.op.kind {
            OpKind::CreateTable { table, .. }
            | OpKind::CreateTableAs { table, .. }
            | OpKind::CreatePartition { table, .. } if same(table) => created = true,
            OpKind::CreateIndex { name: Some(index), .. } if same(index) => created = true,
            OpKind::RenameTable { table, new_name } if same(new_name) => {
                created = created_before(analysis, aop, table);
            }
            OpKind::DropTable { table } if same(table) => created = false,
            OpKind::DropIndex { name: index, .. } if same(index) => created = false,
            _ => {}
        }
    }
    created
}

/// Reports each PostgreSQL `command` (`CLUSTER`, `VACUUM FULL`) that rewrites a table the
/// range did not create earlier, or every table when it names none (`every` says which):
/// the rewrite holds an `ACCESS EXCLUSIVE` lock throughout.
fn report_table_rewrite(
    analysis: &Analysis,
    out: &mut Vec<Finding>,
    (rule, command, every): (&'static Rule, MaintenanceCommand, &str),
    help: &str,
) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres {
            continue;
        }
        let OpKind::Maintenance {
            command: found,
            table,
            ..
        } = &aop.op.kind
        else {
            continue;
        };
        let named = table.as_deref();
        if *found != command || named.is_some_and(|t| created_before(analysis, aop, t)) {
            continue;
        }
        out.push(finding(
            rule,
            Some(migration),
            Some(aop.op.line),
            format!(
                "{} rewrites {} under an ACCESS EXCLUSIVE lock: no query reads or writes it until it is done.",
                command.statement(),
                named.unwrap_or(every)
            ),
            help.to_string(),
        ));
    }
}

/// The type a column had just before `before` ran: from an earlier operation of the range,
/// else from the schema at `FROM` when it is known.
fn previous_type(
    analysis: &Analysis,
    before: &AnalyzedOp,
    table: &str,
    column: &str,
) -> Option<SqlType> {
    let mut found: Option<SqlType> = None;
    for (_, aop) in analysis.operations() {
        if std::ptr::eq(aop, before) {
            break;
        }
        let same_table = |t: &str| t.eq_ignore_ascii_case(table);
        match &aop.op.kind {
            OpKind::CreateTable {
                table: t, columns, ..
            } if same_table(t) => {
                found = columns
                    .iter()
                    .find(|c| c.name.eq_ignore_ascii_case(column))
                    .and_then(|c| c.ty.clone());
            }
            OpKind::AddColumn {
                table: t,
                column: c,
            } if same_table(t) && c.name.eq_ignore_ascii_case(column) => {
                found = c.ty.clone();
            }
            OpKind::AlterColumnType {
                table: t,
                column: c,
                new_type,
            } if same_table(t) && c.eq_ignore_ascii_case(column) => {
                found = Some(new_type.clone());
            }
            OpKind::RedefineColumn {
                table: t,
                definition,
                ..
            } if same_table(t) && definition.name.eq_ignore_ascii_case(column) => {
                found = definition.ty.clone();
            }
            _ => {}
        }
    }
    found.or_else(|| {
        let key = format!("{table}.{column}").to_ascii_lowercase();
        analysis.context.column_types.get(&key).cloned()
    })
}

/// Whether a statement's text contains `needle` as words, ignoring ASCII case and runs of
/// white space (`NOT  VALID`, `not valid`).
fn source_has(source: &str, needle: &str) -> bool {
    let words: Vec<String> = source
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let wanted: Vec<String> = needle
        .split_whitespace()
        .map(str::to_ascii_uppercase)
        .collect();
    !wanted.is_empty() && words.windows(wanted.len()).any(|w| w == wanted.as_slice())
}

#[cfg(test)]
pub(crate) mod testing {
    //! Builders for rule tests: analyses made of operations, no SQL text involved.

    use crate::analysis::{Analysis, AnalyzedMigration, AnalyzedOp, RepoContext};
    use crate::classify;
    use crate::model::finding::Finding;
    use crate::model::migration::FileStatus;
    use crate::model::migration::MigrationFormat;
    use crate::model::migration::MigrationVersion;
    pub use crate::model::lock::Target;
    use crate::model::ops::{ColumnDef, Dialect, OpKind, Operation, SqlType};

    /// An operation at a line, with its statement text.
    pub fn op_at(line: u32, kind: OpKind, source: &str) -> Operation {
        Operation {
            line,
            kind,
            source: source.to_string(),
        }
    }

    /// An added, unreleased migration at `path` holding `ops` (judged later by `analysis`).
    pub fn migration(path: &str, ops: Vec<Operation>) -> AnalyzedMigration {
        AnalyzedMigration {
            path: path.to_string(),
            old_path: None,
            status: FileStatus::A,
            version: MigrationVersion::new(vec![2], "0002"),
            format: MigrationFormat::Sql,
            dialect: Dialect::Mysql,
            location: 0,
            released: false,
            operations: ops
                .into_iter()
                .map(|op| AnalyzedOp {
                    op,
                    judgement: classify::Judgement::plain(crate::model::ops::Direction::Neutral),
                    lock: None,
                })
                .collect(),
            edit: None,
            baseline: None,
        }
    }

    /// An analysis of `migrations`, judged and given a verdict as the pipeline does.
    pub fn analysis(dialect: Dialect, migrations: Vec<AnalyzedMigration>) -> Analysis {
        on(&[], Target::default(), dialect, migrations)
    }

    /// An analysis of `migrations` on a production schema made by `production`, with locks
    /// judged for `target`.
    pub fn on(
        production: &[OpKind],
        target: Target,
        dialect: Dialect,
        mut migrations: Vec<AnalyzedMigration>,
    ) -> Analysis {
        for m in &mut migrations {
            m.dialect = dialect;
        }
        let mut before = crate::catalog::Catalog::new(dialect);
        for (i, kind) in production.iter().enumerate() {
            before.apply(&op_at(i as u32 + 1, kind.clone(), ""));
        }
        let judged = classify::judge_range(
            &before,
            migrations
                .iter()
                .flat_map(|m| m.operations.iter().map(|a| &a.op)),
        );
        let mut columns = judged.columns_before.into_iter();
        let mut judged = judged.judgements.into_iter();
        for m in &mut migrations {
            for aop in &mut m.operations {
                if let Some(j) = judged.next() {
                    aop.judgement = j;
                }
                let column = columns.next().flatten();
                aop.lock = classify::locks::lock(&aop.op, column.as_ref(), dialect, &target);
            }
        }
        let verdict = classify::verdict(
            migrations
                .iter()
                .flat_map(|m| m.operations.iter().map(|a| a.judgement.direction)),
        );
        Analysis {
            dialect,
            from: "v1.0".into(),
            to: "HEAD".into(),
            migrations,
            released_max: vec![None],
            ledger: crate::analysis::Ledger::default(),
            verdict,
            context: RepoContext::default(),
            target,
        }
    }

    /// One migration of `ops` in `dialect`, on a production schema made by `production`.
    pub fn single_on(production: &[OpKind], target: Target, dialect: Dialect, ops: Vec<OpKind>) -> Analysis {
        let ops = ops
            .into_iter()
            .enumerate()
            .map(|(i, kind)| op_at(i as u32 + 1, kind, ""))
            .collect();
        on(production, target, dialect, vec![migration("m/0002_x.sql", ops)])
    }

    /// One migration of `ops` in `dialect`.
    pub fn single(dialect: Dialect, ops: Vec<OpKind>) -> Analysis {
        let ops = ops
            .into_iter()
            .enumerate()
            .map(|(i, kind)| op_at(i as u32 + 1, kind, ""))
            .collect();
        analysis(dialect, vec![migration("m/0002_x.sql", ops)])
    }

    /// Runs one rule's check and returns the lines of its findings.
    pub fn lines(check: fn(&Analysis, &mut Vec<Finding>), analysis: &Analysis) -> Vec<Option<u32>> {
        let mut out = Vec::new();
        check(analysis, &mut out);
        out.iter().map(|f| f.line).collect()
    }

    /// A typed column.
    pub fn col(name: &str, ty: &str) -> ColumnDef {
        ColumnDef::new(name, Some(SqlType::named(ty)))
    }

    /// `CREATE TABLE table (id INT)`.
    /// A new table with the columns the rule tests name (`id`, `c`, `legacy_flag`).
    pub fn create(table: &str) -> OpKind {
        OpKind::CreateTable {
            table: table.into(),
            columns: vec![col("id", "INT"), col("c", "INT"), col("legacy_flag", "INT")],
            constraints: vec![],
            if_not_exists: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_unique_and_documented() {
        let names: Vec<&str> = all().map(|r| r.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(
            names, sorted,
            "registry must be sorted by name, without duplicates"
        );
        for rule in all() {
            assert!(
                rule.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{} is not kebab-case",
                rule.name
            );
            assert!(
                !rule.summary.ends_with('.'),
                "{}: summary ends with a period",
                rule.name
            );
            for section in [
                "## What it does",
                "## Why is this bad",
                "## Example",
                "## Use instead",
                "## Deploy ordering",
            ] {
                assert!(rule.doc.contains(section), "{} lacks {section}", rule.name);
            }
            for section in ["## Example", "## Use instead"] {
                let body = rule.doc.split(section).nth(1).unwrap_or("");
                let body = body.split("\n## ").next().unwrap_or("");
                // Alembic's revision chain can only be shown in Python.
                assert!(
                    body.contains("```sql") || body.contains("```python"),
                    "{}: {section} has no sql block",
                    rule.name
                );
            }
        }
    }
}
