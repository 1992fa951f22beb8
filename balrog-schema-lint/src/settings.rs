//! Settling what the configuration leaves open, from the repository at `TO`: the profile,
//! and the dialect with where it came from.

use crate::config::Config;
use crate::dialect_evidence::{self, DialectSource};
use crate::git::TreeFile;
use crate::ops::Dialect;
use crate::profile::Profile;

/// Fills in the profile and the dialect of `config` from the tree at `TO`. `--dialect` and a
/// configured `dialect` (already recorded in `config.dialect_source`) are kept; Balrog's
/// profile reads MySQL; anything else is detected, and MySQL stays when nothing says.
pub fn settle(
    config: &mut Config,
    files: &[TreeFile],
    is_migration: impl Fn(&str) -> bool,
    read: impl FnMut(&TreeFile) -> Option<String>,
) {
    let profile = config.profile.unwrap_or_else(|| Profile::detect(files));
    config.profile = Some(profile);
    match config.dialect_source {
        DialectSource::CommandLine | DialectSource::Configuration { .. } => return,
        DialectSource::Profile { .. } | DialectSource::Detected { .. } | DialectSource::Default => {
        }
    }
    if profile == Profile::Balrog {
        config.dialect = Dialect::Mysql;
        config.dialect_source = DialectSource::Profile { profile };
        return;
    }
    let detection = dialect_evidence::detect(files, is_migration, read);
    match detection.chosen {
        Some((dialect, evidence)) => {
            config.dialect = dialect;
            config.dialect_source = DialectSource::Detected {
                evidence,
                conflict: detection.conflict,
            };
        }
        None => {
            config.dialect = Dialect::Mysql;
            config.dialect_source = DialectSource::Default;
        }
    }
}
