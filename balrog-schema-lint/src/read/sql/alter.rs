//! `ALTER TABLE`: one operation per action, all at the statement's line.

use sqlparser::ast::{AlterColumnOperation, AlterTable, AlterTableOperation, RenameTableNameKind};

use super::columns::{column_def, ident, object_name, sql_type, table_constraint, Lowered};
use crate::model::ops::{Constraint, OpKind};

/// Lowers an `ALTER TABLE` statement.
pub(crate) fn alter_table(alter: &AlterTable) -> Vec<OpKind> {
    let table = object_name(&alter.name);
    let mut ops = Vec::with_capacity(alter.operations.len());
    for operation in &alter.operations {
        action(&table, operation, &mut ops);
    }
    // Both PostgreSQL (its first pass) and MySQL (against the old definition) make an
    // action's drops before its additions: `ADD COLUMN b ..., DROP COLUMN b` replaces b.
    ops.sort_by_key(|op| {
        !matches!(
            op,
            OpKind::DropColumn { .. } | OpKind::DropConstraint { .. } | OpKind::DropIndex { .. }
        )
    });
    if ops.is_empty() {
        // Only options such as `ALGORITHM = INPLACE` were given: a table rebuild at most,
        // which the model does not describe.
        ops.push(OpKind::Unsupported {
            what: "ALTER TABLE".to_string(),
            table: Some(table),
        });
    }
    ops
}

fn add_constraints(table: &str, constraints: Vec<Constraint>, ops: &mut Vec<OpKind>) {
    ops.extend(
        constraints
            .into_iter()
            .map(|constraint| OpKind::AddConstraint {
                table: table.to_string(),
                constraint,
            }),
    );
}

fn action(table: &str, operation: &AlterTableOperation, ops: &mut Vec<OpKind>) {
    let t = || table.to_string();
    let op = match operation {
        AlterTableOperation::AddColumn { column_def: c, .. } => {
            let (column, inline) =
                column_def(&c.name, &c.data_type, c.options.iter().map(|o| &o.option));
            ops.push(OpKind::AddColumn { table: t(), column });
            add_constraints(table, inline, ops);
            return;
        }
        AlterTableOperation::DropColumn { column_names, .. } => {
            ops.extend(column_names.iter().map(|c| OpKind::DropColumn {
                table: t(),
                column: ident(c),
            }));
            return;
        }
        AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => OpKind::RenameColumn {
            table: t(),
            column: ident(old_column_name),
            new_name: ident(new_column_name),
        },
        AlterTableOperation::RenameTable { table_name } => {
            let (RenameTableNameKind::As(new) | RenameTableNameKind::To(new)) = table_name;
            OpKind::RenameTable {
                table: t(),
                new_name: object_name(new),
            }
        }
        AlterTableOperation::ModifyColumn {
            col_name,
            data_type,
            options,
            column_position,
        } => {
            let (definition, inline) = column_def(col_name, data_type, options);
            ops.push(OpKind::RedefineColumn {
                table: t(),
                column: ident(col_name),
                definition,
                reorders: column_position.is_some(),
            });
            add_constraints(table, inline, ops);
            return;
        }
        AlterTableOperation::ChangeColumn {
            old_name,
            new_name,
            data_type,
            options,
            column_position,
        } => {
            let (definition, inline) = column_def(new_name, data_type, options);
            ops.push(OpKind::RedefineColumn {
                table: t(),
                column: ident(old_name),
                definition,
                reorders: column_position.is_some(),
            });
            add_constraints(table, inline, ops);
            return;
        }
        AlterTableOperation::AlterColumn { column_name, op } => {
            let column = ident(column_name);
            match op {
                AlterColumnOperation::SetNotNull => OpKind::SetNotNull { table: t(), column },
                AlterColumnOperation::DropNotNull => OpKind::DropNotNull { table: t(), column },
                AlterColumnOperation::SetDefault { value } => OpKind::SetDefault {
                    table: t(),
                    column,
                    default: value.to_string(),
                },
                AlterColumnOperation::DropDefault => OpKind::DropDefault { table: t(), column },
                AlterColumnOperation::SetDataType { data_type, .. } => match sql_type(data_type) {
                    Some(new_type) => OpKind::AlterColumnType {
                        table: t(),
                        column,
                        new_type,
                    },
                    None => unsupported(table, "ALTER COLUMN TYPE"),
                },
                AlterColumnOperation::AddGenerated { .. } => OpKind::SetIdentity {
                    table: t(),
                    column,
                    identity: true,
                },
                AlterColumnOperation::GenericOptions { .. } => {
                    unsupported(table, "ALTER COLUMN OPTIONS")
                }
            }
        }
        AlterTableOperation::AddConstraint {
            constraint,
            not_valid,
        } => match table_constraint(constraint, *not_valid) {
            Lowered::Constraint(constraint) => OpKind::AddConstraint {
                table: t(),
                constraint,
            },
            Lowered::Index {
                name,
                columns,
                unique,
            } => OpKind::CreateIndex {
                name,
                table: t(),
                columns,
                unique,
                concurrently: false,
                partial: false,
            },
            Lowered::Other(what) => unsupported(table, &format!("ADD {what}")),
        },
        AlterTableOperation::DropConstraint { name, .. }
        | AlterTableOperation::DropForeignKey { name, .. } => OpKind::DropConstraint {
            table: t(),
            name: ident(name),
        },
        AlterTableOperation::DropPrimaryKey { .. } => OpKind::DropConstraint {
            table: t(),
            name: "PRIMARY".to_string(),
        },
        AlterTableOperation::DropIndex { name } => OpKind::DropIndex {
            name: ident(name),
            table: Some(t()),
            concurrently: false,
        },
        AlterTableOperation::AttachPartitionOf {
            partition,
            for_values,
        } => OpKind::AttachPartition {
            table: t(),
            partition: object_name(partition),
            bound: for_values.to_string(),
        },
        AlterTableOperation::DetachPartitionOf { partition, mode } => OpKind::DetachPartition {
            table: t(),
            partition: object_name(partition),
            concurrently: mode.is_some(),
        },
        AlterTableOperation::RenameConstraint { old_name, new_name } => OpKind::RenameConstraint {
            table: t(),
            name: ident(old_name),
            new_name: ident(new_name),
        },
        AlterTableOperation::ValidateConstraint { name } => OpKind::ValidateConstraint {
            table: t(),
            name: ident(name),
        },
        // MySQL's online DDL clauses say how the change is made, not what it is.
        AlterTableOperation::Algorithm { .. } | AlterTableOperation::Lock { .. } => return,
        AlterTableOperation::AutoIncrement { .. } => OpKind::NoEffect {
            what: "ALTER TABLE AUTO_INCREMENT".to_string(),
        },
        AlterTableOperation::EnableTrigger { name }
        | AlterTableOperation::EnableAlwaysTrigger { name }
        | AlterTableOperation::EnableReplicaTrigger { name }
        | AlterTableOperation::DisableTrigger { name } => OpKind::SetTriggerEnabled {
            table: t(),
            // `ALL` and `USER` are every trigger (ALL includes the system ones that enforce
            // foreign keys).
            trigger: match name.value.to_ascii_uppercase().as_str() {
                "ALL" | "USER" if name.quote_style.is_none() => None,
                _ => Some(ident(name)),
            },
            enabled: !matches!(operation, AlterTableOperation::DisableTrigger { .. }),
        },
        AlterTableOperation::EnableRowLevelSecurity => row_security(t(), "enable"),
        AlterTableOperation::DisableRowLevelSecurity => row_security(t(), "disable"),
        AlterTableOperation::ForceRowLevelSecurity => row_security(t(), "force"),
        AlterTableOperation::NoForceRowLevelSecurity => row_security(t(), "no force"),
        other => unsupported(table, &leading_keywords(&other.to_string())),
    };
    ops.push(op);
}

fn row_security(table: String, setting: &str) -> OpKind {
    OpKind::SetRowSecurity {
        table,
        setting: setting.to_string(),
    }
}

fn unsupported(table: &str, what: &str) -> OpKind {
    let what = if what.is_empty() {
        "ALTER TABLE".to_string()
    } else if what.starts_with("ALTER TABLE") {
        what.to_string()
    } else {
        format!("ALTER TABLE {what}")
    };
    OpKind::Unsupported {
        what,
        table: Some(table.to_string()),
    }
}

/// The leading upper-case words of a printed action, e.g. `ENABLE TRIGGER` from
/// `ENABLE TRIGGER audit`.
fn leading_keywords(text: &str) -> String {
    text.split_whitespace()
        .take_while(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}
