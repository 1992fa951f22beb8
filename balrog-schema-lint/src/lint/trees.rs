//! The discovery step: both trees listed, the migration locations settled, and the
//! migrations at each end found and put in apply order.

use std::sync::Arc;

use crate::config::{Config, Location};
use crate::error::Result;
use crate::lint::settings::locations_of;
use crate::lint::{Range, Reader};
use crate::model::migration::{MigrationFormat, MigrationVersion};
use crate::repo::discover::{self, Discovered, MigrationFile, ResolvedLocation};
use crate::repo::files::DiscoveredAt;
use crate::repo::git::TreeFile;

/// Both ends of a range, as trees of files and the migrations found in them.
pub struct Trees {
    /// Every file at `FROM`.
    pub from_files: Arc<Vec<TreeFile>>,
    /// Every file at `TO`.
    pub to_files: Arc<Vec<TreeFile>>,
    /// The effective migration locations.
    pub locations: Vec<ResolvedLocation>,
    /// Migrations discovered at `FROM`, in apply order.
    pub at_from: Discovered,
    /// Migrations discovered at `TO`, in apply order.
    pub at_to: Discovered,
}

/// Lists both trees and discovers the migrations at each end, in `locations` when given
/// (the walk over a range's commits keeps the range's), else in the effective locations.
pub fn discover_in(
    range: &Range,
    locations: Option<&[ResolvedLocation]>,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Trees> {
    let from_files = reader.files(range.from.1)?;
    let to_files = reader.files(range.to.1)?;
    let locations = match locations {
        Some(given) => given.to_vec(),
        None if config.migrations.is_empty() => {
            let at_from = reader.detected_locations(range.from.1)?;
            let at_to = reader.detected_locations(range.to.1)?;
            locations_of(config, [&from_files, &to_files], [&at_from, &at_to])?
        }
        None => locations_of(config, [&from_files, &to_files], [&[], &[]])?,
    };
    let key: Vec<(Location, usize)> = locations
        .iter()
        .map(|l| (l.location.clone(), l.database_trees))
        .collect();
    // `FROM` of a `history` pair is `TO` of the pair before: found already.
    let known = reader.discovered.take().filter(|d| {
        d.commit == range.from.1 && d.locations == key && d.dialect == config.dialect
    });
    let at_from = match known {
        Some(known) => known.found,
        None => discover_ordered(&from_files, &locations, config, reader)?,
    };
    let at_to = discover_ordered(&to_files, &locations, config, reader)?;
    reader.discovered = Some(DiscoveredAt {
        commit: range.to.1,
        locations: key,
        dialect: config.dialect,
        found: at_to.clone(),
    });
    Ok(Trees {
        from_files,
        to_files,
        locations,
        at_from,
        at_to,
    })
}

/// The migrations of one tree, in apply order.
fn discover_ordered(
    files: &[TreeFile],
    locations: &[ResolvedLocation],
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Discovered> {
    let mut found = discover::discover(files, locations, config.dialect, reader)?;
    // Only revision graphs are read to be ordered; the other files are read when the range
    // changes them or the schema before it is replayed (a range that changes no migration,
    // most pairs of a `history`, reads nothing).
    reader.prefetch(
        found
            .migrations
            .iter()
            .filter(|m| matches!(m.format, MigrationFormat::Alembic | MigrationFormat::Django)),
    )?;
    order_by_revision_chain(&mut found, reader)?;
    Ok(found)
}

/// Orders each Alembic location by its revision chain, and every Django app together by
/// their dependency graph (the file name order is a stand-in).
pub(crate) fn order_by_revision_chain(
    found: &mut Discovered,
    reader: &mut Reader<'_>,
) -> Result<()> {
    let mut ordered: Vec<MigrationFile> = Vec::with_capacity(found.migrations.len());
    let mut rest = std::mem::take(&mut found.migrations).into_iter().peekable();
    while let Some(first) = rest.next() {
        if !matches!(
            first.format,
            MigrationFormat::Alembic | MigrationFormat::Django
        ) {
            ordered.push(first);
            continue;
        }
        // Django apps are locations of their own, ordered together by their dependencies.
        let django = first.format == MigrationFormat::Django;
        let mut group = vec![first];
        while let Some(next) = rest.next_if(|m| {
            m.location == group[0].location || (django && m.format == MigrationFormat::Django)
        }) {
            group.push(next);
        }
        let mut revisions = Vec::with_capacity(group.len());
        let mut run_before: Vec<(String, String)> = Vec::new();
        for file in &group {
            let read = reader.read(file)?;
            if let Some(revision) = &read.parsed.revision {
                for later in &read.parsed.run_before {
                    run_before.push((later.clone(), revision.clone()));
                }
            }
            revisions.push((
                read.parsed.revision.clone(),
                read.parsed.down_revisions.clone(),
            ));
        }
        if django {
            django_graph(&mut revisions, &run_before);
        }
        let order = discover::order_alembic(&revisions);
        let mut slots: Vec<Option<MigrationFile>> = group.into_iter().map(Some).collect();
        for (position, index) in order.into_iter().enumerate() {
            if let Some(mut file) = slots.get_mut(index).and_then(Option::take) {
                let name = revisions
                    .get(index)
                    .and_then(|r| r.0.clone())
                    .unwrap_or_else(|| file.version.as_str().to_string());
                file.version = MigrationVersion::new(vec![position as u64], name);
                ordered.push(file);
            }
        }
    }
    found.migrations = ordered;
    Ok(())
}

/// Django's graph: `run_before` adds the reverse dependency, and a dependency on an app's
/// `__first__` means its first migration (the one with no dependency in its own app).
fn django_graph(revisions: &mut [(Option<String>, Vec<String>)], run_before: &[(String, String)]) {
    let firsts: Vec<(String, String)> = revisions
        .iter()
        .filter_map(|(revision, parents)| {
            let revision = revision.as_deref()?;
            let (app, _) = revision.split_once('.')?;
            let own_app_parent = parents
                .iter()
                .any(|p| p.split_once('.').map(|(a, _)| a) == Some(app));
            (!own_app_parent).then(|| (format!("{app}.__first__"), revision.to_string()))
        })
        .collect();
    for (revision, parents) in revisions.iter_mut() {
        for parent in parents.iter_mut() {
            if let Some((_, first)) = firsts.iter().find(|(alias, _)| alias == parent) {
                parent.clone_from(first);
            }
        }
        if let Some(revision) = revision.as_deref() {
            for (later, earlier) in run_before {
                if later == revision && !parents.contains(earlier) {
                    parents.push(earlier.clone());
                }
            }
        }
    }
}
