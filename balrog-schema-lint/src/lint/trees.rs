//! The discovery step: both trees listed, the migration locations settled, and the
//! migrations at each end found and put in apply order.

use std::sync::Arc;

use crate::config::Config;
use crate::error::Result;
use crate::lint::settings::effective_locations;
use crate::lint::{Range, Reader};
use crate::model::migration::{MigrationFormat, MigrationVersion};
use crate::repo::discover::{self, Discovered, MigrationFile, ResolvedLocation};
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

/// Lists both trees and discovers the migrations at each end.
pub fn discover_both(range: &Range, config: &Config, reader: &mut Reader<'_>) -> Result<Trees> {
    let from_files = reader.files(range.from.1)?;
    let to_files = reader.files(range.to.1)?;
    let locations = effective_locations(config, &from_files, &to_files)?;
    let mut at_from = discover::discover(&from_files, &locations, config.dialect, reader)?;
    let mut at_to = discover::discover(&to_files, &locations, config.dialect, reader)?;
    reader.prefetch(at_from.migrations.iter().chain(&at_to.migrations))?;
    order_by_revision_chain(&mut at_from, reader)?;
    order_by_revision_chain(&mut at_to, reader)?;
    Ok(Trees {
        from_files,
        to_files,
        locations,
        at_from,
        at_to,
    })
}

/// Orders each Alembic location by its revision chain (the file name order is a stand-in).
pub(crate) fn order_by_revision_chain(
    found: &mut Discovered,
    reader: &mut Reader<'_>,
) -> Result<()> {
    let mut ordered: Vec<MigrationFile> = Vec::with_capacity(found.migrations.len());
    let mut rest = std::mem::take(&mut found.migrations).into_iter().peekable();
    while let Some(first) = rest.next() {
        if first.format != MigrationFormat::Alembic {
            ordered.push(first);
            continue;
        }
        let mut group = vec![first];
        while let Some(next) = rest.next_if(|m| m.location == group[0].location) {
            group.push(next);
        }
        let mut revisions = Vec::with_capacity(group.len());
        for file in &group {
            let read = reader.read(file)?;
            revisions.push((
                read.parsed.revision.clone(),
                read.parsed.down_revisions.clone(),
            ));
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
