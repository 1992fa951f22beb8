//! Directions for routines, triggers, row-level security, policies, grants and comments,
//! and their net effect over a range.
//!
//! What breaks, per kind (the README's table says the same for users):
//! - a routine is called by code: a new one is expand, a dropped one contract, a renamed one
//!   or one whose return type changes breaking; a body replaced under the same signature
//!   changes what every caller gets, so it is shown for review with the diff of the bodies;
//! - a trigger runs on the writes of old and new code alike: a new or enabled one is expand
//!   (old code's writes gain an effect), a dropped or disabled one contract (code that
//!   relies on its effect must be gone first), a replaced one is reviewed with the diff;
//! - row-level security and restrictive policies hide rows: enabling them is contract,
//!   permissive policies and grants give access: adding them is expand, removing contract;
//! - comments change nothing code can see.

use super::{absent_object, Context, Judgement};
use crate::catalog::{Catalog, Routine, Trigger};
use crate::model::ops::{Direction, OpKind, Operation};
use crate::model::programs::signature;

/// The direction of a routine, trigger, security, grant or comment operation from the
/// statement alone.
pub(super) fn statement_direction(kind: &OpKind) -> Direction {
    match kind {
        OpKind::CreateRoutine { .. } | OpKind::CreateTrigger { .. } => Direction::Expand,
        OpKind::DropRoutine { .. } | OpKind::DropTrigger { .. } => Direction::Contract,
        OpKind::AlterRoutine {
            new_name, action, ..
        } => {
            if new_name.is_some() {
                Direction::Breaking
            } else if action.starts_with("owner to") {
                Direction::Neutral
            } else {
                Direction::NeedsReview
            }
        }
        OpKind::SetTriggerEnabled { enabled: true, .. } => Direction::Expand,
        OpKind::SetTriggerEnabled { enabled: false, .. } => Direction::Contract,
        OpKind::SetRowSecurity { setting, .. } => match setting.as_str() {
            "enable" | "force" => Direction::Contract,
            _ => Direction::Expand,
        },
        OpKind::CreatePolicy { restrictive, .. } => {
            if *restrictive {
                Direction::Contract
            } else {
                Direction::Expand
            }
        }
        OpKind::AlterPolicy { new_name, .. } => {
            if new_name.is_some() {
                Direction::Neutral
            } else {
                Direction::NeedsReview
            }
        }
        OpKind::DropPolicy { .. } => Direction::Contract,
        OpKind::Grant { revoke, .. } => {
            if *revoke {
                Direction::Contract
            } else {
                Direction::Expand
            }
        }
        OpKind::RenameTrigger { .. } | OpKind::Comment { .. } => Direction::Neutral,
        _ => Direction::NeedsReview,
    }
}

/// Each line only one side has: `- old` and `+ new`, in order.
pub(crate) fn line_diff(old: &str, new: &str) -> Vec<String> {
    // Bodies written on one line (MySQL and SQLite triggers) are compared statement by
    // statement.
    let (old, new) = (old.replace("; ", ";\n"), new.replace("; ", ";\n"));
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let mut out: Vec<String> = old_lines
        .iter()
        .filter(|l| !new_lines.contains(l))
        .map(|l| format!("- {l}"))
        .collect();
    out.extend(
        new_lines
            .iter()
            .filter(|l| !old_lines.contains(l))
            .map(|l| format!("+ {l}")),
    );
    out
}

/// A review judgement that carries the diff: its first lines in the reason, all of it in
/// `differences`.
fn review_with_diff(what: String, consequence: &str, old: &str, new: &str) -> Judgement {
    let diff = line_diff(old, new);
    let shown: Vec<&str> = diff.iter().take(6).map(String::as_str).collect();
    let more = if diff.len() > shown.len() {
        format!(" (and {} more changed lines)", diff.len() - shown.len())
    } else {
        String::new()
    };
    Judgement {
        differences: diff.clone(),
        ..Judgement::because(
            Direction::NeedsReview,
            Context::PreviousDefinition,
            format!(
                "{what}; {consequence}: {}{more}",
                shown.join(" / ")
            ),
        )
    }
}

/// The tables a body reads or writes, as far as its words show: the name after `FROM`,
/// `JOIN`, `INTO`, `UPDATE` and `TABLE`.
fn tables_touched(body: &str) -> std::collections::BTreeSet<String> {
    let words: Vec<String> = body
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words
        .windows(2)
        .filter(|w| matches!(w[0].as_str(), "from" | "join" | "into" | "update" | "table"))
        .map(|w| w[1].clone())
        .filter(|t| !matches!(t.as_str(), "select" | "only" | "lateral" | "new" | "old"))
        .collect()
}

/// How the tables a body touches change, in words.
fn touched_change(old: &str, new: &str) -> String {
    let (before, after) = (tables_touched(old), tables_touched(new));
    let gained: Vec<&str> = after.difference(&before).map(String::as_str).collect();
    let lost: Vec<&str> = before.difference(&after).map(String::as_str).collect();
    let mut said = Vec::new();
    if !gained.is_empty() {
        said.push(format!("now also reads or writes {}", gained.join(", ")));
    }
    if !lost.is_empty() {
        said.push(format!("no longer {}", lost.join(", ")));
    }
    if said.is_empty() {
        if after.is_empty() {
            "it names no table".to_string()
        } else {
            let same: Vec<&str> = after.iter().map(String::as_str).collect();
            format!("same tables: {}", same.join(", "))
        }
    } else {
        said.join("; ")
    }
}

/// Judges a routine that replaces `old` (same name and arguments).
fn routine_replacement(old: &Routine, new_returns: Option<&String>, new_body: &str) -> Judgement {
    let sig = old.signature();
    if old.returns.as_ref() != new_returns {
        return Judgement::because(
            Direction::Breaking,
            Context::PreviousDefinition,
            format!(
                "{sig} changes its return type from {} to {}: callers on either side of the deploy get the other one",
                old.returns.as_deref().unwrap_or("none"),
                new_returns.map_or("none", String::as_str)
            ),
        );
    }
    if old.body == new_body {
        return Judgement::because(
            Direction::Neutral,
            Context::Baseline,
            format!("{sig} already exists with the same definition"),
        );
    }
    review_with_diff(
        format!(
            "the body of {sig} is replaced ({})",
            touched_change(&old.body, new_body)
        ),
        if old.returns.as_deref() == Some("trigger") {
            "what writes through its triggers do may change"
        } else {
            "what its callers get may change"
        },
        &old.body,
        new_body,
    )
}

fn trigger_replacement(old: &Trigger, new_definition: &str) -> Judgement {
    if old.definition == new_definition {
        return Judgement::because(
            Direction::Neutral,
            Context::Baseline,
            format!("trigger {} already exists with the same definition", old.name),
        );
    }
    review_with_diff(
        format!("trigger {} on {} is replaced", old.name, old.table),
        "what writes to the table do may change",
        &old.definition,
        new_definition,
    )
}

/// A trigger function is called by triggers, never by code: dropping it matters only
/// through the triggers `CASCADE` drops with it (without `CASCADE`, PostgreSQL refuses while
/// a trigger uses it).
fn trigger_function_dropped(op: &Operation, old: &Routine, catalog: &Catalog) -> Judgement {
    let users: Vec<String> = catalog
        .triggers()
        .filter(|t| t.calls(&old.name))
        .map(|t| format!("{} on {}", t.name, t.table))
        .collect();
    if users.is_empty() {
        Judgement::because(
            Direction::Neutral,
            Context::PreviousDefinition,
            format!(
                "{} is a trigger function no trigger uses: code cannot call it",
                old.signature()
            ),
        )
    } else if op.source.to_ascii_uppercase().contains("CASCADE") {
        Judgement::because(
            Direction::Contract,
            Context::PreviousDefinition,
            format!(
                "{} is a trigger function: CASCADE drops the triggers that use it ({}), and code that relies on their effect must be gone first",
                old.signature(),
                users.join(", ")
            ),
        )
    } else {
        Judgement::because(
            Direction::NeedsReview,
            Context::PreviousDefinition,
            format!(
                "{} is used by triggers ({}): without CASCADE the statement fails",
                old.signature(),
                users.join(", ")
            ),
        )
    }
}

fn new_in_range(what: String) -> Judgement {
    Judgement::because(
        Direction::Neutral,
        Context::NewInRange,
        format!("{what} is created in this release"),
    )
}

/// The direction of one such operation against the schema just before it.
pub(super) fn judge(op: &Operation, catalog: &Catalog) -> Judgement {
    let plain = || Judgement::plain(statement_direction(&op.kind));
    match &op.kind {
        OpKind::CreateRoutine {
            name,
            procedure,
            args,
            returns,
            body,
            ..
        } => match catalog.routine(name, *procedure, Some(args)) {
            Some(old) if old.body == *body && old.returns == *returns => {
                routine_replacement(old, returns.as_ref(), body)
            }
            Some(old) if catalog.routine_created_in_range(old) => {
                new_in_range(old.signature())
            }
            Some(old) => routine_replacement(old, returns.as_ref(), body),
            None if returns.as_deref() == Some("trigger") => Judgement::because(
                Direction::Neutral,
                Context::Statement,
                format!(
                    "{} is a trigger function: code cannot call it, only the triggers that use it act",
                    signature(name, args)
                ),
            ),
            None => plain(),
        },
        OpKind::DropRoutine {
            name,
            procedure,
            args,
        } => match catalog.routine(name, *procedure, args.as_deref()) {
            Some(old) if catalog.routine_created_in_range(old) => new_in_range(old.signature()),
            Some(old) if old.returns.as_deref() == Some("trigger") => {
                trigger_function_dropped(op, old, catalog)
            }
            Some(old) => Judgement::because(
                Direction::Contract,
                Context::PreviousDefinition,
                format!(
                    "{} is dropped: code that calls it must be gone first",
                    old.signature()
                ),
            ),
            None if catalog.routines_named(name).next().is_none() => {
                absent_object(op, catalog, &format!("routine {name}")).unwrap_or_else(plain)
            }
            None => plain(),
        },
        OpKind::AlterRoutine {
            name,
            procedure,
            args,
            ..
        } => match catalog.routine(name, *procedure, args.as_deref()) {
            Some(old) if catalog.routine_created_in_range(old) => new_in_range(old.signature()),
            _ => plain(),
        },
        OpKind::CreateTrigger {
            name,
            table,
            definition,
            ..
        } => match catalog.trigger(Some(table), name) {
            Some(old) => trigger_replacement(old, definition),
            None => plain(),
        },
        OpKind::DropTrigger { name, table } => match catalog.trigger(table.as_deref(), name) {
            Some(_) => plain(),
            None => absent_object(op, catalog, &format!("trigger {name}")).unwrap_or_else(plain),
        },
        OpKind::SetTriggerEnabled {
            table,
            trigger,
            enabled,
        } => {
            let affected: Vec<&Trigger> = catalog
                .triggers()
                .filter(|t| t.table.eq_ignore_ascii_case(table))
                .filter(|t| {
                    trigger
                        .as_ref()
                        .is_none_or(|n| n.eq_ignore_ascii_case(&t.name))
                })
                .collect();
            if catalog.table(table).is_some()
                && !catalog.is_uncertain(table)
                && affected.iter().all(|t| t.enabled == *enabled)
            {
                Judgement::because(
                    Direction::Neutral,
                    Context::PreviousDefinition,
                    format!(
                        "the triggers of {table} are already {}",
                        if *enabled { "enabled" } else { "disabled" }
                    ),
                )
            } else {
                plain()
            }
        }
        OpKind::SetRowSecurity { table, setting } => {
            let now = catalog.row_security(table);
            let unchanged = match setting.as_str() {
                "enable" => now.enabled,
                "disable" => !now.enabled,
                "force" => now.forced,
                _ => !now.forced,
            };
            if unchanged && catalog.table(table).is_some() {
                Judgement::because(
                    Direction::Neutral,
                    Context::PreviousDefinition,
                    format!("row level security of {table} is already so"),
                )
            } else {
                plain()
            }
        }
        OpKind::AlterPolicy {
            name,
            table,
            definition: Some(definition),
            ..
        } => match catalog.policy(table, name) {
            Some(old) => review_with_diff(
                format!("policy {name} on {table} changes"),
                "which rows code sees or may write may change",
                &old.definition,
                definition,
            ),
            None => plain(),
        },
        OpKind::DropPolicy { name, table } => match catalog.policy(table, name) {
            Some(old) if old.restrictive => Judgement::because(
                Direction::Expand,
                Context::PreviousDefinition,
                format!("{name} is a restrictive policy: dropping it shows more rows"),
            ),
            Some(_) => plain(),
            None => absent_object(op, catalog, &format!("policy {name} on {table}"))
                .unwrap_or_else(plain),
        },
        OpKind::Grant {
            object_kind,
            objects,
            ..
        } if object_kind == "table"
            && !objects.is_empty()
            && objects.iter().all(|t| catalog.created_in_range(t)) =>
        {
            new_in_range(objects.join(", "))
        }
        _ => plain(),
    }
}

/// The state of the object an operation is about, as comparable text; `None` when absent.
/// `reference` is the schema at the start of the range.
fn object_state(kind: &OpKind, catalog: &Catalog, reference: &Catalog) -> Option<Option<String>> {
    let state = match kind {
        OpKind::CreateRoutine {
            name,
            procedure,
            args,
            ..
        } => catalog
            .routine(name, *procedure, Some(args))
            .map(|r| format!("{:?}{}{}", r.returns, r.body, r.procedure)),
        OpKind::DropRoutine {
            name,
            procedure,
            args,
        } => catalog
            .routine(name, *procedure, args.as_deref())
            .map(|r| format!("{:?}{}{}", r.returns, r.body, r.procedure)),
        OpKind::CreateTrigger { name, table, .. } => catalog
            .trigger(Some(table), name)
            .map(|t| format!("{}{}", t.definition, t.enabled)),
        OpKind::DropTrigger { name, table } => catalog
            .trigger(table.as_deref(), name)
            .map(|t| format!("{}{}", t.definition, t.enabled)),
        // Enabling and disabling is about the triggers the table had before; triggers
        // created later in the range are judged by their own statements.
        OpKind::SetTriggerEnabled { table, .. } => {
            let all: Vec<String> = reference
                .triggers()
                .filter(|t| t.table.eq_ignore_ascii_case(table))
                .map(|t| {
                    let now = catalog.trigger(Some(table), &t.name).map(|t| t.enabled);
                    format!("{}={now:?}", t.name.to_lowercase())
                })
                .collect();
            Some(all.join(","))
        }
        OpKind::SetRowSecurity { table, .. } => Some(format!("{:?}", catalog.row_security(table))),
        OpKind::CreatePolicy { name, table, .. }
        | OpKind::AlterPolicy { name, table, .. }
        | OpKind::DropPolicy { name, table } => catalog
            .policy(table, name)
            .map(|p| format!("{}{}", p.restrictive, p.definition)),
        _ => return None,
    };
    Some(state)
}

/// Objects that end the range as they began: whatever the range did to them (a trigger
/// dropped and recreated as it was, triggers disabled around a data change and enabled
/// again) changes nothing deployed code sees. A routine or trigger dropped and recreated
/// with another definition is a replacement: the drop is part of it, the create is judged
/// against the definition at the start of the range.
pub(super) fn fold_programs(
    before: &Catalog,
    after: &Catalog,
    operations: &[&Operation],
    judgements: &mut [Judgement],
) {
    for (op, judgement) in operations.iter().zip(judgements.iter_mut()) {
        if judgement.conflict.is_some()
            || matches!(judgement.context, Context::NewInRange | Context::Absent)
        {
            continue;
        }
        let (Some(Some(was)), Some(Some(is))) =
            (object_state(&op.kind, before, before), object_state(&op.kind, after, before))
        else {
            continue;
        };
        if was == is {
            judgement.set(
                Direction::Neutral,
                Context::NetNoChange,
                "it ends this release as it began".to_string(),
            );
            continue;
        }
        match &op.kind {
            OpKind::DropRoutine { .. } | OpKind::DropTrigger { .. } => judgement.set(
                Direction::Neutral,
                Context::PreviousDefinition,
                "it is created again later in this release (judged there)".to_string(),
            ),
            OpKind::CreateRoutine {
                name,
                procedure,
                args,
                ..
            } => {
                if let (Some(old), Some(new)) = (
                    before.routine(name, *procedure, Some(args)),
                    after.routine(name, *procedure, Some(args)),
                ) {
                    *judgement = routine_replacement(old, new.returns.as_ref(), &new.body);
                }
            }
            OpKind::CreateTrigger { name, table, .. } => {
                if let (Some(old), Some(new)) = (
                    before.trigger(Some(table), name),
                    after.trigger(Some(table), name),
                ) {
                    *judgement = trigger_replacement(old, &new.definition);
                }
            }
            _ => {}
        }
    }
}
