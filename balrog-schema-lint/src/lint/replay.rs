//! The replay step: the schema at a commit, from every migration of its tree in apply
//! order (extending the previous replay of a `history` run when it is a prefix).

use std::sync::Arc;

use git2::{Oid, Repository};

use crate::catalog::Catalog;
use crate::config::Config;
use crate::error::Result;
use crate::lint::settings::effective_locations;
use crate::lint::trees::order_by_revision_chain;
use crate::lint::Reader;
use crate::model::ops::Dialect;
use crate::repo::discover::{self, Discovered};
use crate::repo::files::ReadKey;
use crate::repo::git;

/// The schema before the range: the migrations at `FROM` replayed, or an empty schema when
/// replay is off (each statement judged alone).
pub fn schema_before(
    at_from: &Discovered,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Arc<Catalog>> {
    if config.replay {
        replay(at_from, config.dialect, reader)
    } else {
        Ok(Arc::new(Catalog::new(config.dialect)))
    }
}

/// The schema at a commit: every migration of its tree replayed in apply order.
pub fn schema_of_commit(
    repo: &Repository,
    commit: Oid,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Catalog> {
    let found = migrations_at(repo, commit, config, reader)?;
    Ok(Arc::unwrap_or_clone(replay(
        &found,
        config.dialect,
        reader,
    )?))
}

/// The migrations of a commit's tree, in apply order.
pub fn migrations_at(
    repo: &Repository,
    commit: Oid,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Discovered> {
    let files = git::list_files(repo, commit)?;
    let locations = effective_locations(config, &files, &files)?;
    let mut found = discover::discover(&files, &locations, config.dialect, reader)?;
    order_by_revision_chain(&mut found, reader)?;
    Ok(found)
}

/// The schema after every migration of a tree, in apply order (shared: `history` hands the
/// same schema to every pair whose `FROM` has the same migrations).
pub fn replay(
    found: &Discovered,
    dialect: Dialect,
    reader: &mut Reader<'_>,
) -> Result<Arc<Catalog>> {
    let keys: Vec<ReadKey> = found
        .replay_order()
        .map(crate::repo::files::read_key)
        .collect();
    // Replaying is linear in the whole history; over every pair of a history that is
    // quadratic, so start from the last replay when it is a prefix of this one.
    // The previous pair's schema is no longer held by anyone else, so extending it takes it
    // over instead of copying it.
    let (start, done) = match reader.replayed.take() {
        Some((previous, catalog))
            if catalog.dialect() == dialect && keys.starts_with(&previous) =>
        {
            if previous.len() == keys.len() {
                reader.replayed = Some((previous, Arc::clone(&catalog)));
                return Ok(catalog);
            }
            (Arc::unwrap_or_clone(catalog), previous.len())
        }
        _ => (Catalog::new(dialect), 0),
    };
    let mut catalog = start;
    reader.prefetch(found.replay_order().skip(done))?;
    for file in found.replay_order().skip(done) {
        let read = reader.read(file)?;
        for op in &read.parsed.operations {
            catalog.apply(op);
        }
    }
    let catalog = Arc::new(catalog);
    reader.replayed = Some((keys, Arc::clone(&catalog)));
    Ok(catalog)
}
