//! The change step: which migration files the range adds, edits, renames or deletes, as
//! migrations to judge, and the highest released version of each location; and the ledger
//! of every other changed file under a location (ignored or unrecognised).

use std::collections::{HashMap, HashSet};

use git2::Repository;

use crate::analysis::{AnalyzedMigration, AnalyzedOp, Edit, Ledger};
use crate::classify;
use crate::error::Result;
use crate::lint::trees::Trees;
use crate::lint::{Range, Reader};
use crate::model::migration::{FileStatus, LedgerFile, MigrationFormat, MigrationVersion};
use crate::repo::discover::{Discovered, MigrationFile};
use crate::repo::git;

/// The migrations a range changes.
pub struct Changed {
    /// Changed migration files in apply order, deleted ones last; operations not judged yet.
    pub migrations: Vec<AnalyzedMigration>,
    /// The highest version released at `FROM`, per location (Alembic locations: none).
    pub released_max: Vec<Option<MigrationVersion>>,
    /// Every other changed file under a location.
    pub ledger: Ledger,
}

/// The migrations the range changes, read (edited files at both ends).
pub fn migrations_in_range(
    repo: &Repository,
    range: &Range,
    trees: &Trees,
    reader: &mut Reader<'_>,
) -> Result<Changed> {
    let (from_commit, to_commit) = (range.from.1, range.to.1);
    let (locations, at_from, at_to) = (&trees.locations, &trees.at_from, &trees.at_to);
    let pathspecs: Vec<String> = locations
        .iter()
        .map(|l| l.location.path.trim_matches('/').to_string())
        .collect();
    // Without a location at either end no file is under one. To git, no pathspec means the
    // whole tree: a release that deletes any file would have every deleted and added file
    // read to pair renames, and fail in a partial clone lacking one of them.
    let changes = if locations.is_empty() {
        Vec::new()
    } else {
        pair_moved_files(git::diff_commits(
            repo,
            reader.change_diff()?,
            from_commit,
            to_commit,
            &pathspecs,
            |path| locations.iter().any(|l| l.contains(path)),
        )?)
    };
    let (change_of_new, mut gone, ledger) = place_changes(&changes, at_from, at_to);
    let from_by_path: HashMap<&str, &MigrationFile> = at_from
        .migrations
        .iter()
        .map(|m| (m.path.as_str(), m))
        .collect();
    // The changed files and what they were, parsed together on every core.
    let changed_files = at_to
        .migrations
        .iter()
        .filter(|f| change_of_new.contains_key(f.path.as_str()));
    let old_files = change_of_new
        .values()
        .filter_map(|change| from_by_path.get(change.old_path.as_deref()?).copied());
    reader.prefetch(changed_files.chain(old_files))?;

    let mut released_max: Vec<Option<MigrationVersion>> = vec![None; locations.len()];
    for m in &at_from.migrations {
        // Revision graphs have no numbering to be "below": their place is their parents;
        // Flyway repeatables have no version at all.
        if matches!(m.format, MigrationFormat::Alembic | MigrationFormat::Django)
            || m.version.is_repeatable()
        {
            continue;
        }
        if let Some(slot) = released_max.get_mut(m.location) {
            if slot.as_ref().is_none_or(|max| m.version > *max) {
                *slot = Some(m.version.clone());
            }
        }
    }

    // Synapse's databases share one schema version: a delta below the newest released
    // folder of any of them is skipped.
    let synapse_locations: HashSet<usize> = at_from
        .migrations
        .iter()
        .chain(&at_to.migrations)
        .filter(|m| m.format == MigrationFormat::Synapse)
        .map(|m| m.location)
        .collect();
    let synapse_max = synapse_locations
        .iter()
        .filter_map(|l| released_max.get(*l).cloned().flatten())
        .max();
    for location in &synapse_locations {
        if let Some(slot) = released_max.get_mut(*location) {
            slot.clone_from(&synapse_max);
        }
    }

    // Alembic revisions are identified by their `revision`, not by their path or content:
    // git's similarity pairing may match two unrelated revisions across a long range.
    let mut from_revisions: HashMap<String, &MigrationFile> = HashMap::new();
    for m in at_from
        .migrations
        .iter()
        .filter(|m| m.format == MigrationFormat::Alembic)
    {
        if let Some(revision) = reader.read(m)?.parsed.revision.clone() {
            from_revisions.insert(revision, m);
        }
    }
    let mut to_revisions: HashSet<String> = HashSet::new();
    for m in at_to
        .migrations
        .iter()
        .filter(|m| m.format == MigrationFormat::Alembic)
    {
        if let Some(revision) = reader.read(m)?.parsed.revision.clone() {
            to_revisions.insert(revision);
        }
    }

    // sqitch changes are identified by their entry in the plan, not by their script's path:
    // a rework moves the released entry's script to `<change>@<tag>.sql` and gives its old
    // path to a new entry.
    let from_entries: HashMap<(&str, u64), &MigrationFile> = at_from
        .migrations
        .iter()
        .filter_map(|m| sqitch_entry(m).map(|entry| (entry, m)))
        .collect();
    let to_entries: HashSet<(&str, u64)> = at_to.migrations.iter().filter_map(sqitch_entry).collect();

    let mut migrations: Vec<AnalyzedMigration> = Vec::new();
    for file in &at_to.migrations {
        let Some(change) = change_of_new.get(file.path.as_str()) else {
            continue;
        };
        let mut status = change.status;
        let mut old_path = change.old_path.clone();
        if let Some(old) = old_path.as_deref().and_then(|p| from_by_path.get(p)) {
            let renamed_file = migration_name(&old.path) != migration_name(&file.path);
            if status == FileStatus::R
                && old.location != file.location
                && old.id != file.id
                && renamed_file
            {
                gone.push(&old.path);
                status = FileStatus::A;
                old_path = None;
            }
        }
        let read = reader.read(file)?;
        if file.format == MigrationFormat::Alembic {
            let revisions = Revisions {
                from_by_path: &from_by_path,
                at_from: &from_revisions,
                at_to: &to_revisions,
            };
            pair_by_revision(
                read.parsed.revision.as_deref(),
                (&mut status, &mut old_path),
                &revisions,
                &mut gone,
                reader,
            )?;
        }
        if let Some(entry) = sqitch_entry(file) {
            let entries = SqitchEntries {
                from_by_path: &from_by_path,
                at_from: &from_entries,
                at_to: &to_entries,
            };
            pair_by_plan_entry(entry, (&mut status, &mut old_path), &entries, &mut gone);
        }
        // A Flyway repeatable migration runs again whenever its content changes: its new
        // content is judged against the schema its old content left.
        let old_file = old_path
            .as_deref()
            .and_then(|p| from_by_path.get(p))
            .filter(|_| !file.version.is_repeatable());
        let released = old_file.is_some();
        let mut analyzed = AnalyzedMigration {
            path: file.path.clone(),
            old_path: if status == FileStatus::R {
                old_path.clone()
            } else {
                None
            },
            status,
            version: file.version.clone(),
            format: file.format,
            dialect: file.dialect,
            location: file.location,
            released,
            operations: Vec::new(),
            edit: None,
            baseline: None,
        };
        match old_file {
            Some(old) => {
                if old.id != file.id {
                    let old_read = reader.read(old)?;
                    analyzed.edit = Some(Edit {
                        before: old_read.parsed.operations.clone(),
                        after: read.parsed.operations.clone(),
                        old_text: old_read.text.clone(),
                        new_text: read.text.clone(),
                    });
                }
            }
            None => {
                analyzed.operations = read
                    .parsed
                    .operations
                    .iter()
                    .map(|op| AnalyzedOp {
                        op: op.clone(),
                        judgement: classify::Judgement::plain(
                            crate::model::ops::Direction::Neutral,
                        ),
                        lock: None,
                    })
                    .collect();
            }
        }
        migrations.push(analyzed);
    }
    for path in gone {
        let Some(old) = from_by_path.get(path) else {
            continue;
        };
        migrations.push(AnalyzedMigration {
            path: old.path.clone(),
            old_path: None,
            status: FileStatus::D,
            version: old.version.clone(),
            format: old.format,
            dialect: old.dialect,
            location: old.location,
            released: true,
            operations: Vec::new(),
            edit: None,
            baseline: None,
        });
    }
    Ok(Changed {
        migrations,
        released_max,
        ledger,
    })
}

/// Where one changed path of the range belongs.
#[derive(Debug, Clone, Copy)]
enum Place<'a> {
    Migration,
    Ignored(&'a str),
    Unrecognised(&'a str),
}

fn places(found: &Discovered) -> HashMap<&str, Place<'_>> {
    let mut places = HashMap::new();
    for m in &found.migrations {
        places.insert(m.path.as_str(), Place::Migration);
    }
    for entry in &found.ignored {
        places.insert(entry.path.as_str(), Place::Ignored(&entry.reason));
    }
    for entry in &found.unrecognised {
        places.insert(entry.path.as_str(), Place::Unrecognised(&entry.reason));
    }
    places
}

/// Puts every changed path in exactly one place: a migration at `TO` (by its new path), a
/// deleted migration (by its old path), or the ledger of ignored and unrecognised files.
/// Discovery classifies every file under a location, so each change finds its place; one
/// that did not would be unrecognised, never dropped.
fn place_changes<'c>(
    changes: &'c [git::Change],
    at_from: &Discovered,
    at_to: &Discovered,
) -> (HashMap<&'c str, &'c git::Change>, Vec<&'c str>, Ledger) {
    let (from_places, to_places) = (places(at_from), places(at_to));
    let mut upgrades: HashMap<&str, &git::Change> = HashMap::new();
    let mut gone: Vec<&str> = Vec::new();
    let mut ledger = Ledger::default();
    let entry = |path: &str, old_path: Option<&str>, status: FileStatus, reason: &str| LedgerFile {
        path: path.to_string(),
        old_path: old_path.map(str::to_string),
        status,
        reason: reason.to_string(),
    };
    for change in changes {
        let old = change
            .old_path
            .as_deref()
            .and_then(|p| from_places.get(p).map(|place| (p, *place)));
        let new = change
            .new_path
            .as_deref()
            .and_then(|p| to_places.get(p).map(|place| (p, *place)));
        // A migration renamed into something that is not one is a deleted migration plus a
        // new file; a file renamed out of every location is deleted.
        let (new, status, old_path) = match (old, new) {
            (Some((old_path, Place::Migration)), Some((new_path, place)))
                if !matches!(place, Place::Migration) && old_path != new_path =>
            {
                gone.push(old_path);
                (new, FileStatus::A, None)
            }
            (_, Some(_)) => (new, change.status, change.old_path.as_deref()),
            (Some((old_path, Place::Migration)), None) => {
                gone.push(old_path);
                continue;
            }
            (Some((old_path, place)), None) => (Some((old_path, place)), FileStatus::D, None),
            (None, None) => {
                let path = change
                    .new_path
                    .as_deref()
                    .or(change.old_path.as_deref())
                    .unwrap_or_default();
                ledger.unrecognised.push(entry(
                    path,
                    None,
                    change.status,
                    "a file under a migration location that the tool could not place",
                ));
                continue;
            }
        };
        let old_path = old_path.filter(|_| status == FileStatus::R);
        match new {
            Some((path, Place::Migration)) => {
                upgrades.insert(path, change);
            }
            Some((path, Place::Ignored(reason))) => {
                ledger.ignored.push(entry(path, old_path, status, reason))
            }
            Some((path, Place::Unrecognised(reason))) => ledger
                .unrecognised
                .push(entry(path, old_path, status, reason)),
            None => {}
        }
    }
    (upgrades, gone, ledger)
}

/// The Alembic revisions at both ends of the range.
struct Revisions<'a, 'f> {
    from_by_path: &'a HashMap<&'f str, &'f MigrationFile>,
    at_from: &'a HashMap<String, &'f MigrationFile>,
    at_to: &'a HashSet<String>,
}

/// Pairs an Alembic file at `TO` with the file at `FROM` that holds the same `revision`:
/// git paired it with another revision (a range that skips releases), or with none (moved
/// and rewritten), or it is new.
fn pair_by_revision<'f>(
    revision: Option<&str>,
    (status, old_path): (&mut FileStatus, &mut Option<String>),
    revisions: &Revisions<'_, 'f>,
    gone: &mut Vec<&'f str>,
    reader: &mut Reader<'_>,
) -> Result<()> {
    let Some(revision) = revision else {
        return Ok(());
    };
    let paired = old_path
        .as_deref()
        .and_then(|p| revisions.from_by_path.get(p))
        .copied();
    if let Some(old) = paired {
        let old_revision = reader.read(old)?.parsed.revision.clone();
        if old_revision.as_deref().is_some_and(|r| r != revision) {
            let still_there = old_revision.is_some_and(|r| revisions.at_to.contains(&r));
            if !still_there && !gone.contains(&old.path.as_str()) {
                gone.push(&old.path);
            }
            *status = FileStatus::A;
            *old_path = None;
        }
    }
    if *status == FileStatus::A {
        if let Some(old) = revisions.at_from.get(revision) {
            *status = FileStatus::R;
            *old_path = Some(old.path.clone());
            gone.retain(|p| *p != old.path);
        }
    }
    Ok(())
}

/// A sqitch deploy script's plan entry: the change's name and which entry of that name.
fn sqitch_entry(file: &MigrationFile) -> Option<(&str, u64)> {
    if file.format != MigrationFormat::Sqitch {
        return None;
    }
    let script = file.version.as_str();
    let name = script.split_once('@').map_or(script, |(name, _)| name);
    Some((name, *file.version.parts().get(1)?))
}

/// The sqitch plan entries at both ends of the range.
struct SqitchEntries<'a, 'f> {
    from_by_path: &'a HashMap<&'f str, &'f MigrationFile>,
    at_from: &'a HashMap<(&'f str, u64), &'f MigrationFile>,
    at_to: &'a HashSet<(&'f str, u64)>,
}

/// Pairs a sqitch deploy script at `TO` with the script of the same plan entry at `FROM`.
/// After `sqitch rework users`, `deploy/users.sql` is a new entry (deployed by this
/// release, whatever its path held before) and `deploy/users@<tag>.sql` is the released
/// entry, copied from the old `deploy/users.sql`.
fn pair_by_plan_entry<'f>(
    entry: (&str, u64),
    (status, old_path): (&mut FileStatus, &mut Option<String>),
    entries: &SqitchEntries<'_, 'f>,
    gone: &mut Vec<&'f str>,
) {
    let paired = old_path
        .as_deref()
        .and_then(|p| entries.from_by_path.get(p))
        .copied();
    if let Some(old) = paired {
        let old_entry = sqitch_entry(old);
        if old_entry.is_some_and(|e| e != entry) {
            let still_there = old_entry.is_some_and(|e| entries.at_to.contains(&e));
            if !still_there && !gone.contains(&old.path.as_str()) {
                gone.push(&old.path);
            }
            *status = FileStatus::A;
            *old_path = None;
        }
    }
    if *status == FileStatus::A {
        if let Some(old) = entries.at_from.get(&entry) {
            *status = FileStatus::R;
            *old_path = Some(old.path.clone());
            gone.retain(|p| *p != old.path);
        }
    }
}

/// git pairs a deleted and an added file as a rename only when their contents are similar
/// enough; a small migration reformatted while its folder moved falls below that. A deletion
/// and an addition with the same migration name in different folders are the same migration
/// moved, but only when the name is unambiguous on both sides: one deleted file is never the
/// origin of several added ones (that would hide new migrations as moved released ones).
fn pair_moved_files(changes: Vec<git::Change>) -> Vec<git::Change> {
    let mut deleted: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut added: HashMap<&str, Vec<&str>> = HashMap::new();
    for change in &changes {
        match (change.status, &change.old_path, &change.new_path) {
            (FileStatus::D, Some(old), _) => deleted.entry(migration_name(old)).or_default().push(old),
            (FileStatus::A, _, Some(new)) => added.entry(migration_name(new)).or_default().push(new),
            _ => {}
        }
    }
    let mut moved: HashMap<String, String> = HashMap::new();
    for (name, news) in &added {
        if let (Some([old]), [new]) = (deleted.get(name).map(Vec::as_slice), news.as_slice()) {
            moved.insert((*new).to_string(), (*old).to_string());
        }
    }
    let moved_from: Vec<&String> = moved.values().collect();
    let mut paired: Vec<git::Change> = Vec::with_capacity(changes.len());
    for change in &changes {
        if change.status == FileStatus::D
            && change
                .old_path
                .as_ref()
                .is_some_and(|p| moved_from.contains(&p))
        {
            continue;
        }
        let mut change = change.clone();
        if let Some(old) = change.new_path.as_ref().and_then(|n| moved.get(n)) {
            change.status = FileStatus::R;
            change.old_path = Some(old.clone());
        }
        paired.push(change);
    }
    paired
}

/// The name that tells one migration from another: the file name, or, where a layout names
/// every migration's file the same (diesel's `up.sql`, Prisma's `migration.sql`), its folder
/// and file name.
fn migration_name(path: &str) -> &str {
    let mut parts = path.rsplitn(3, '/');
    let file = parts.next().unwrap_or(path);
    let fixed = ["up.sql", "down.sql", "migration.sql"]
        .iter()
        .any(|fixed| file.eq_ignore_ascii_case(fixed));
    match (fixed, parts.next()) {
        (true, Some(folder)) => &path[path.len() - folder.len() - 1 - file.len()..],
        _ => file,
    }
}
