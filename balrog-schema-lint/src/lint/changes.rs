//! The change step: which migration files the range adds, edits, renames or deletes, as
//! migrations to judge, and the highest released version of each location.

use std::collections::{HashMap, HashSet};

use git2::Repository;

use crate::analysis::{AnalyzedMigration, AnalyzedOp, Edit};
use crate::classify;
use crate::error::Result;
use crate::lint::trees::Trees;
use crate::lint::{Range, Reader};
use crate::model::migration::{FileStatus, MigrationFormat, MigrationVersion};
use crate::repo::discover::MigrationFile;
use crate::repo::git;

/// The migrations a range changes.
pub struct Changed {
    /// Changed migration files in apply order, deleted ones last; operations not judged yet.
    pub migrations: Vec<AnalyzedMigration>,
    /// The highest version released at `FROM`, per location (Alembic locations: none).
    pub released_max: Vec<Option<MigrationVersion>>,
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
    let changes = pair_moved_files(git::diff_commits(
        repo,
        from_commit,
        to_commit,
        &pathspecs,
        |path| locations.iter().any(|l| l.contains(path)),
    )?);
    let change_of_new: HashMap<&str, &git::Change> = changes
        .iter()
        .filter_map(|c| c.new_path.as_deref().map(|p| (p, c)))
        .collect();
    let from_by_path: HashMap<&str, &MigrationFile> = at_from
        .migrations
        .iter()
        .map(|m| (m.path.as_str(), m))
        .collect();

    let mut released_max: Vec<Option<MigrationVersion>> = vec![None; locations.len()];
    for m in &at_from.migrations {
        // Revision graphs have no numbering to be "below": their place is their parents.
        if matches!(m.format, MigrationFormat::Alembic | MigrationFormat::Django) {
            continue;
        }
        if let Some(slot) = released_max.get_mut(m.location) {
            if slot.as_ref().is_none_or(|max| m.version > *max) {
                *slot = Some(m.version.clone());
            }
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

    let mut migrations: Vec<AnalyzedMigration> = Vec::new();
    // Paths at FROM that no longer stand for a file at TO: deletions, and the old side of a
    // "rename" into another location under another name with new content (a squash that git
    // pairs with the file it most resembles is a new migration; a moved folder keeps names).
    let mut gone: Vec<&str> = changes
        .iter()
        .filter(|c| c.status == FileStatus::D)
        .filter_map(|c| c.old_path.as_deref())
        .collect();
    for file in &at_to.migrations {
        let Some(change) = change_of_new.get(file.path.as_str()) else {
            continue;
        };
        let mut status = change.status;
        let mut old_path = change.old_path.clone();
        if let Some(old) = old_path.as_deref().and_then(|p| from_by_path.get(p)) {
            let renamed_file = file_name(&old.path) != file_name(&file.path);
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
        let old_file = old_path.as_deref().and_then(|p| from_by_path.get(p));
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
    })
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

/// git pairs a deleted and an added file as a rename only when their contents are similar
/// enough; a small migration reformatted while its folder moved falls below that. A deletion
/// and an addition with the same file name in different folders are the same migration moved.
fn pair_moved_files(changes: Vec<git::Change>) -> Vec<git::Change> {
    let deleted: Vec<&str> = changes
        .iter()
        .filter(|c| c.status == FileStatus::D)
        .filter_map(|c| c.old_path.as_deref())
        .collect();
    let mut moved: HashMap<String, String> = HashMap::new();
    for change in &changes {
        let Some(new) = change.new_path.as_deref() else {
            continue;
        };
        if change.status != FileStatus::A {
            continue;
        }
        let same_name: Vec<&&str> = deleted
            .iter()
            .filter(|old| file_name(old) == file_name(new))
            .collect();
        // Only an unambiguous pair is a move.
        if let [old] = same_name.as_slice() {
            moved.insert(new.to_string(), old.to_string());
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

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
