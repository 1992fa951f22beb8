//! Lowers one parsed statement to operations.

use sqlparser::ast::{
    AlterIndexOperation, CopySource, SchemaName, CreateIndex, CreateTable, CreateView, Delete, FromTable, Insert, ObjectName,
    ObjectType, Query, SetExpr, Statement, TableFactor, TableObject, TableWithJoins, Truncate,
    Update, UserDefinedTypeRepresentation,
};

use super::alter::alter_table;
use super::columns::{
    column_def, ident, index_column, object_name, sql_type, table_constraint, Lowered,
};
use super::objects;
use crate::model::ops::{ColumnDef, DataChangeKind, OpKind};

/// Lowers a parsed statement. `what` names the statement by its leading keywords, for the
/// ones the model does not cover.
pub(crate) fn lower_statement(statement: &Statement, what: &dyn Fn() -> String) -> Vec<OpKind> {
    let no_effect = || vec![OpKind::NoEffect { what: what() }];
    match statement {
        Statement::CreateTable(create) => create_table(create),
        Statement::AlterTable(alter) => alter_table(alter),
        Statement::Drop {
            object_type,
            names,
            table,
            ..
        } => drop(*object_type, names, table.as_ref(), what),
        Statement::CreateIndex(index) => vec![create_index(index)],
        Statement::CreateView(view) => vec![create_view(view)],
        Statement::RenameTable(renames) => renames
            .iter()
            .map(|r| OpKind::RenameTable {
                table: object_name(&r.old_name),
                new_name: object_name(&r.new_name),
            })
            .collect(),
        Statement::CreateType {
            name,
            representation: Some(UserDefinedTypeRepresentation::Composite { attributes }),
        } => vec![OpKind::CreateCompositeType {
            name: object_name(name),
            attributes: attributes
                .iter()
                .map(|a| ColumnDef::new(ident(&a.name), sql_type(&a.data_type)))
                .collect(),
        }],
        Statement::CreateType {
            name,
            representation,
        } => vec![OpKind::CreateType {
            name: object_name(name),
            values: match representation {
                Some(UserDefinedTypeRepresentation::Enum { labels }) => {
                    labels.iter().map(ident).collect()
                }
                _ => Vec::new(),
            },
        }],
        Statement::AlterType(alter) => vec![objects::alter_type(alter)],
        Statement::CreateDomain(domain) => vec![objects::create_domain(domain)],
        Statement::DropDomain(domain) => vec![OpKind::DropDomain {
            name: object_name(&domain.name),
        }],
        Statement::CreateSchema {
            schema_name: SchemaName::Simple(name) | SchemaName::NamedAuthorization(name, _),
            ..
        } => vec![OpKind::CreateSchema {
            name: object_name(name),
        }],
        Statement::CreateExtension(extension) => vec![OpKind::CreateExtension {
            name: ident(&extension.name),
        }],
        Statement::DropExtension(extension) => extension
            .names
            .iter()
            .map(|name| OpKind::DropExtension { name: ident(name) })
            .collect(),
        Statement::AlterIndex {
            name,
            operation: AlterIndexOperation::RenameIndex { index_name },
        } => vec![OpKind::RenameIndex {
            name: object_name(name),
            new_name: object_name(index_name),
            table: None,
        }],
        Statement::CreateSequence { name, .. } => vec![OpKind::CreateSequence {
            name: object_name(name),
        }],
        Statement::Insert(_) | Statement::Update(_) | Statement::Delete(_) => {
            data_change(statement, what)
        }
        Statement::Truncate(truncate) => truncate_ops(truncate),
        Statement::Query(query) => select(query, what),
        // `BEGIN ... END` blocks with statements inside are not transaction control.
        Statement::StartTransaction { statements, .. } if !statements.is_empty() => {
            unsupported(what(), None)
        }
        // `EXPLAIN ANALYZE` runs the statement.
        Statement::Explain { analyze: true, .. } => unsupported(what(), None),
        Statement::StartTransaction { .. }
        | Statement::Commit { .. }
        | Statement::Rollback { .. }
        | Statement::Savepoint { .. }
        | Statement::ReleaseSavepoint { .. }
        | Statement::Set(_)
        | Statement::Use(_)
        | Statement::LockTables { .. }
        | Statement::UnlockTables
        | Statement::Pragma { .. }
        | Statement::Analyze(_)
        | Statement::Explain { .. }
        | Statement::ExplainTable { .. }
        | Statement::ShowFunctions { .. }
        | Statement::ShowVariable { .. }
        | Statement::ShowStatus { .. }
        | Statement::ShowVariables { .. }
        | Statement::ShowCreate { .. }
        | Statement::ShowColumns { .. }
        | Statement::ShowDatabases { .. }
        | Statement::ShowSchemas { .. }
        | Statement::ShowTables { .. }
        | Statement::ShowViews { .. }
        | Statement::ShowCollation { .. }
        // Documentation and messaging: no code reads or writes differently (VACUUM is read
        // from its tokens before it gets here, as `maintenance` says).
        | Statement::Comment { .. }
        | Statement::Vacuum(_)
        // REFRESH recomputes a materialized view's rows from its query.
        | Statement::RefreshMaterializedView(_)
        | Statement::Discard { .. }
        | Statement::LISTEN { .. }
        | Statement::UNLISTEN { .. }
        | Statement::NOTIFY { .. }
        | Statement::OptimizeTable { .. } => no_effect(),
        Statement::CreateTrigger(trigger) => {
            unsupported(what(), Some(object_name(&trigger.table_name)))
        }
        Statement::DropTrigger(trigger) => {
            unsupported(what(), trigger.table_name.as_ref().map(object_name))
        }
        // `COPY t FROM ...` loads rows; `COPY ... TO` only reads them.
        Statement::Copy {
            source: CopySource::Table { table_name, .. },
            to: false,
            ..
        } => vec![OpKind::DataChange {
            change: DataChangeKind::Insert,
            table: object_name(table_name),
            filtered: true,
        }],
        Statement::Copy { to: true, .. } => no_effect(),
        _ => unsupported(what(), None),
    }
}

fn unsupported(what: String, table: Option<String>) -> Vec<OpKind> {
    vec![OpKind::Unsupported { what, table }]
}

fn create_table(create: &CreateTable) -> Vec<OpKind> {
    if let Some(ops) = objects::special_table(create) {
        return ops;
    }
    let table = object_name(&create.name);
    if let Some(
        sqlparser::ast::CreateTableLikeKind::Plain(like)
        | sqlparser::ast::CreateTableLikeKind::Parenthesized(like),
    ) = &create.like
    {
        if create.columns.is_empty() && create.constraints.is_empty() {
            let including = match like.defaults {
                Some(sqlparser::ast::CreateTableLikeDefaults::Including) => {
                    vec!["defaults".to_string()]
                }
                _ => Vec::new(),
            };
            return vec![OpKind::CreateTableLike {
                table,
                source: object_name(&like.name),
                including,
            }];
        }
    }
    if create.like.is_some() || create.clone.is_some() {
        return unsupported("CREATE TABLE LIKE".to_string(), Some(table));
    }
    let mut columns = Vec::with_capacity(create.columns.len());
    let mut constraints = Vec::new();
    for column in &create.columns {
        let (def, inline) = column_def(
            &column.name,
            &column.data_type,
            column.options.iter().map(|o| &o.option),
        );
        columns.push(def);
        constraints.extend(inline);
    }
    let mut extra = Vec::new();
    for constraint in &create.constraints {
        match table_constraint(constraint, false) {
            Lowered::Constraint(c) => constraints.push(c),
            Lowered::Index {
                name,
                columns,
                unique,
            } => extra.push(OpKind::CreateIndex {
                name,
                table: table.clone(),
                columns,
                unique,
                concurrently: false,
                partial: false,
            }),
            Lowered::Other(what) => extra.push(OpKind::Unsupported {
                what: what.to_string(),
                table: Some(table.clone()),
            }),
        }
    }
    // Primary key columns can never hold NULL, however they were declared.
    for constraint in &constraints {
        if constraint.kind == crate::model::ops::ConstraintKind::PrimaryKey {
            for column in columns
                .iter_mut()
                .filter(|c| constraint.columns.contains(&c.name))
            {
                column.nullable = false;
            }
        }
    }
    let mut ops = vec![OpKind::CreateTable {
        table,
        columns,
        constraints,
        if_not_exists: create.if_not_exists,
    }];
    ops.extend(objects::partition_by(create));
    ops.extend(extra);
    ops
}

fn drop(
    object_type: ObjectType,
    names: &[ObjectName],
    table: Option<&ObjectName>,
    what: &dyn Fn() -> String,
) -> Vec<OpKind> {
    let make: fn(String, Option<String>) -> OpKind = match object_type {
        ObjectType::Table => |table, _| OpKind::DropTable { table },
        ObjectType::View | ObjectType::MaterializedView => |view, _| OpKind::DropView { view },
        ObjectType::Index => |name, table| OpKind::DropIndex {
            name,
            table,
            concurrently: false,
        },
        ObjectType::Type => |name, _| OpKind::DropType { name },
        ObjectType::Sequence => |name, _| OpKind::DropSequence { name },
        ObjectType::Schema => |name, _| OpKind::DropSchema { name },
        ObjectType::Database => |name, _| OpKind::DropDatabase { name },
        _ => return unsupported(what(), None),
    };
    let table = table.map(object_name);
    names
        .iter()
        .map(|name| make(object_name(name), table.clone()))
        .collect()
}

fn create_index(index: &CreateIndex) -> OpKind {
    OpKind::CreateIndex {
        name: index.name.as_ref().map(object_name),
        table: object_name(&index.table_name),
        columns: index.columns.iter().map(index_column).collect(),
        unique: index.unique,
        concurrently: index.concurrently,
        partial: index.predicate.is_some(),
    }
}

fn create_view(view: &CreateView) -> OpKind {
    OpKind::CreateView {
        view: object_name(&view.name),
        or_replace: view.or_replace || view.or_alter,
    }
}

fn relation_name(table: &TableWithJoins) -> Option<String> {
    match &table.relation {
        TableFactor::Table { name, .. } => Some(object_name(name)),
        _ => None,
    }
}

/// `INSERT`, `UPDATE`, `DELETE`; anything else handed here is reported unsupported.
fn data_change(statement: &Statement, what: &dyn Fn() -> String) -> Vec<OpKind> {
    let one = |change, table: Option<String>, filtered| match table {
        Some(table) => vec![OpKind::DataChange {
            change,
            table,
            filtered,
        }],
        None => unsupported(what(), None),
    };
    match statement {
        Statement::Insert(Insert { table, .. }) => {
            let table = match table {
                TableObject::TableName(name) => Some(object_name(name)),
                _ => None,
            };
            one(DataChangeKind::Insert, table, true)
        }
        Statement::Update(Update {
            table,
            selection,
            limit,
            ..
        }) => one(
            DataChangeKind::Update,
            relation_name(table),
            selection.is_some() || limit.is_some(),
        ),
        Statement::Delete(Delete {
            tables,
            from,
            selection,
            limit,
            ..
        }) => {
            let (FromTable::WithFromKeyword(from) | FromTable::WithoutKeyword(from)) = from;
            // A join (MySQL multi-table `DELETE t1 FROM t1 JOIN t2 ON ...`) limits rows too.
            let filtered =
                selection.is_some() || limit.is_some() || from.iter().any(|f| !f.joins.is_empty());
            let names: Vec<Option<String>> = if tables.is_empty() {
                from.iter().map(relation_name).collect()
            } else {
                tables.iter().map(|t| Some(object_name(t))).collect()
            };
            if names.is_empty() || names.iter().any(Option::is_none) {
                return unsupported(what(), None);
            }
            names
                .into_iter()
                .flatten()
                .map(|table| OpKind::DataChange {
                    change: DataChangeKind::Delete,
                    table,
                    filtered,
                })
                .collect()
        }
        _ => unsupported(what(), None),
    }
}

fn truncate_ops(truncate: &Truncate) -> Vec<OpKind> {
    truncate
        .table_names
        .iter()
        .map(|t| OpKind::DataChange {
            change: DataChangeKind::Delete,
            table: object_name(&t.name),
            filtered: false,
        })
        .collect()
}

/// A query: `SELECT` has no effect unless it writes (`SELECT INTO`, data-changing CTEs).
fn select(query: &Query, what: &dyn Fn() -> String) -> Vec<OpKind> {
    let writes = |body: &SetExpr| {
        matches!(
            body,
            SetExpr::Insert(_) | SetExpr::Update(_) | SetExpr::Delete(_) | SetExpr::Merge(_)
        )
    };
    // Data-changing CTEs (`WITH x AS (INSERT ... RETURNING ...) UPDATE ...`) each change
    // their table, then the main statement runs.
    let mut ops = Vec::new();
    if let Some(with) = &query.with {
        for cte in with.cte_tables.iter().filter(|cte| writes(&cte.query.body)) {
            match cte.query.body.as_ref() {
                SetExpr::Insert(inner) | SetExpr::Update(inner) | SetExpr::Delete(inner) => {
                    ops.extend(data_change(inner, what));
                }
                _ => return unsupported("WITH data change".to_string(), None),
            }
        }
    }
    let main = main_query(query, what);
    if ops.is_empty() {
        return main;
    }
    ops.extend(
        main.into_iter()
            .filter(|op| !matches!(op, OpKind::NoEffect { .. })),
    );
    ops
}

fn main_query(query: &Query, what: &dyn Fn() -> String) -> Vec<OpKind> {
    match query.body.as_ref() {
        SetExpr::Insert(inner) | SetExpr::Update(inner) | SetExpr::Delete(inner) => {
            data_change(inner, what)
        }
        SetExpr::Select(select) if select.into.is_some() => match objects::select_into(query) {
            Some(op) => vec![op],
            None => unsupported("SELECT INTO".to_string(), None),
        },
        SetExpr::Merge(_) => unsupported("MERGE".to_string(), None),
        _ => vec![OpKind::NoEffect { what: what() }],
    }
}
