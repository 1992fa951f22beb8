//! Words for the programmable and permission objects: routines, triggers, row-level
//! security, grants and comments.

use super::ops::OpKind;

/// `name(type, type)`: a routine as its callers see it.
pub fn signature(name: &str, args: &[String]) -> String {
    format!("{name}({})", args.join(", "))
}

fn routine_word(procedure: bool) -> &'static str {
    if procedure {
        "procedure"
    } else {
        "function"
    }
}

fn routine_ref(name: &str, procedure: bool, args: Option<&Vec<String>>) -> String {
    let word = routine_word(procedure);
    match args {
        Some(args) => format!("{word} {}", signature(name, args)),
        None => format!("{word} {name}"),
    }
}

/// A short human description of a routine, trigger, security, grant or comment operation;
/// empty for the other kinds (described by `OpKind::describe`).
pub(crate) fn describe(kind: &OpKind) -> String {
    match kind {
        OpKind::CreateRoutine {
            name,
            procedure,
            args,
            returns,
            or_replace,
            ..
        } => {
            let verb = if *or_replace {
                "create or replace"
            } else {
                "create"
            };
            let returns = returns
                .as_deref()
                .map(|r| format!(" returns {r}"))
                .unwrap_or_default();
            format!(
                "{verb} {}{returns}",
                routine_ref(name, *procedure, Some(args))
            )
        }
        OpKind::DropRoutine {
            name,
            procedure,
            args,
        } => format!("drop {}", routine_ref(name, *procedure, args.as_ref())),
        OpKind::AlterRoutine {
            name,
            procedure,
            args,
            new_name,
            action,
        } => {
            let what = routine_ref(name, *procedure, args.as_ref());
            match new_name {
                Some(new_name) => format!("rename {what} to {new_name}"),
                None => format!("alter {what}: {action}"),
            }
        }
        OpKind::CreateTrigger {
            name,
            table,
            or_replace,
            ..
        } => {
            let verb = if *or_replace {
                "create or replace"
            } else {
                "create"
            };
            format!("{verb} trigger {name} on {table}")
        }
        OpKind::DropTrigger { name, table } => match table {
            Some(table) => format!("drop trigger {name} on {table}"),
            None => format!("drop trigger {name}"),
        },
        OpKind::RenameTrigger {
            name,
            table,
            new_name,
        } => format!("rename trigger {name} on {table} to {new_name}"),
        OpKind::SetTriggerEnabled {
            table,
            trigger,
            enabled,
        } => {
            let verb = if *enabled { "enable" } else { "disable" };
            match trigger {
                Some(trigger) => format!("{verb} trigger {trigger} on {table}"),
                None => format!("{verb} every trigger on {table}"),
            }
        }
        OpKind::SetRowSecurity { table, setting } => {
            format!("{setting} row level security on {table}")
        }
        OpKind::CreatePolicy {
            name,
            table,
            restrictive,
            ..
        } => {
            let kind = if *restrictive { "restrictive" } else { "permissive" };
            format!("create {kind} policy {name} on {table}")
        }
        OpKind::AlterPolicy {
            name,
            table,
            new_name,
            ..
        } => match new_name {
            Some(new_name) => format!("rename policy {name} on {table} to {new_name}"),
            None => format!("alter policy {name} on {table}"),
        },
        OpKind::DropPolicy { name, table } => format!("drop policy {name} on {table}"),
        OpKind::Grant {
            revoke,
            privileges,
            object_kind,
            objects,
            grantees,
        } => {
            let (verb, to) = if *revoke {
                ("revoke", "from")
            } else {
                ("grant", "to")
            };
            format!(
                "{verb} {} on {object_kind} {} {to} {}",
                privileges.join(", ").to_ascii_lowercase(),
                objects.join(", "),
                grantees.join(", ")
            )
        }
        OpKind::Comment {
            object_kind,
            object,
            text,
        } => match text {
            Some(_) => format!("comment on {object_kind} {object}"),
            None => format!("remove comment on {object_kind} {object}"),
        },
        _ => String::new(),
    }
}

/// Whether the operation is about a routine, trigger, row-level security, grant or
/// comment: the objects [`describe`] covers.
pub fn is_program_or_permission(kind: &OpKind) -> bool {
    matches!(
        kind,
        OpKind::CreateRoutine { .. }
            | OpKind::DropRoutine { .. }
            | OpKind::AlterRoutine { .. }
            | OpKind::CreateTrigger { .. }
            | OpKind::DropTrigger { .. }
            | OpKind::RenameTrigger { .. }
            | OpKind::SetTriggerEnabled { .. }
            | OpKind::SetRowSecurity { .. }
            | OpKind::CreatePolicy { .. }
            | OpKind::AlterPolicy { .. }
            | OpKind::DropPolicy { .. }
            | OpKind::Grant { .. }
            | OpKind::Comment { .. }
    )
}
