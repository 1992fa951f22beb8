//! The settings step: the configuration (validated against the rule registry here, the one
//! place that knows both), the request's overrides, and the effective migration locations.

use git2::{Oid, Repository};

use crate::config::{Config, Location, CONFIG_FILE};
use crate::error::{Error, Result};
use crate::model::dialect_source::DialectSource;
use crate::model::ops::Dialect;
use crate::model::profile::Profile;
use crate::repo::profile::detect_profile;
use crate::lint::{CheckRequest, Range, Reader};
use crate::model::migration::MigrationFormat;
use crate::repo::discover::{self, ResolvedLocation};
use crate::repo::git;
use crate::rules;

impl Config {
    /// Parses `balrog-schema-lint.toml` text and validates it, rule names included; `origin`
    /// names where it came from in errors.
    ///
    /// ```
    /// use balrog_schema_lint::{Config, Dialect, Error, RuleLevel};
    ///
    /// let config = Config::from_toml("dialect = \"postgres\"\n[rules]\ndrop-column = \"error\"\n", "my.toml")?;
    /// assert_eq!(config.dialect, Dialect::Postgres);
    /// assert_eq!(config.rules["drop-column"], RuleLevel::Error);
    ///
    /// let Err(Error::Config { path, message }) = Config::from_toml("[rules]\ndrop-colum = \"off\"\n", "my.toml") else {
    ///     panic!("a misspelt rule is an error");
    /// };
    /// assert_eq!(path, "my.toml");
    /// assert!(message.contains("did you mean \"drop-column\"?"));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_toml(text: &str, origin: &str) -> Result<Config> {
        let known: Vec<&str> = rules::all().map(|rule| rule.name).collect();
        Config::from_toml_with_rules(text, origin, &known)
    }
}


/// Reads the configuration: `--config`, else `balrog-schema-lint.toml` in the `TO` tree,
/// else the defaults; then applies the request's overrides.
pub fn load_config(repo: &Repository, to: Oid, request: &CheckRequest) -> Result<Config> {
    let mut config = match &request.config_file {
        Some(path) => {
            let origin = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|err| Error::Config {
                path: origin.clone(),
                message: err.to_string(),
            })?;
            Config::from_toml(&text, &origin)?
        }
        None => match git::find_file(repo, to, CONFIG_FILE)? {
            Some(file) => {
                let origin = format!("{CONFIG_FILE} (at {})", git::short(to));
                let bytes = git::read_blob(repo, file.id, CONFIG_FILE)?;
                let text = String::from_utf8(bytes).map_err(|_| Error::Config {
                    path: origin.clone(),
                    message: "not UTF-8 text".into(),
                })?;
                Config::from_toml(&text, &origin)?
            }
            None => Config::default(),
        },
    };
    if let Some(dialect) = request.dialect {
        config.dialect = dialect;
        config.dialect_source = DialectSource::CommandLine;
        for location in &mut config.migrations {
            location.dialect = None;
        }
    }
    if request.no_replay {
        config.replay = false;
    }
    if request.no_cut {
        config.find_cut = false;
    }
    if !request.migrations.is_empty() {
        config.migrations = request
            .migrations
            .iter()
            .map(|path| Location::new(path.clone(), MigrationFormat::Auto))
            .collect();
    }
    let files = git::list_files(repo, to)?;
    let locations = effective_locations(&config, &files, &files)?;
    settle(
        &mut config,
        &files,
        |path| locations.iter().any(|l| l.contains(path)),
        |file| read_small_text(repo, file),
    );
    Ok(config)
}

/// The text of a file that may say which database a project uses; `None` for a symlink, a
/// submodule, a blob larger than any configuration file or migration needs to be read for
/// that, or one that git cannot read.
fn read_small_text(repo: &Repository, file: &git::TreeFile) -> Option<String> {
    const LIMIT: usize = 1 << 20;
    if file.kind != git::EntryKind::File {
        return None;
    }
    if git::blob_size(repo, file.id, &file.path).ok()? > LIMIT {
        return None;
    }
    let bytes = git::read_blob(repo, file.id, &file.path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Fills in the profile and the dialect of `config` from the tree at `TO`. `--dialect` and a
/// configured `dialect` (already recorded in `config.dialect_source`) are kept; Balrog's
/// profile reads MySQL; anything else is detected, and MySQL stays when nothing says.
fn settle(
    config: &mut Config,
    files: &[git::TreeFile],
    is_migration: impl Fn(&str) -> bool,
    read: impl FnMut(&git::TreeFile) -> Option<String>,
) {
    let profile = config.profile.unwrap_or_else(|| detect_profile(files));
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
    let detection = crate::repo::dialect_evidence::detect(files, is_migration, read);
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


/// The effective locations: configured, else detected in either tree.
pub(crate) fn effective_locations(
    config: &Config,
    from_files: &[git::TreeFile],
    to_files: &[git::TreeFile],
) -> Result<Vec<ResolvedLocation>> {
    let locations = if config.migrations.is_empty() {
        let mut found = discover::detect_locations(to_files);
        for location in discover::detect_locations(from_files) {
            if !found.iter().any(|l| l.path == location.path) {
                found.push(location);
            }
        }
        found
    } else {
        config.migrations.clone()
    };
    // `--dialect` and a configured `dialect` are the user's word: they also win over what a
    // location says of itself (Prisma's `migration_lock.toml`), which otherwise decides
    // that location's dialect.
    let given = match config.dialect_source {
        DialectSource::CommandLine | DialectSource::Configuration { .. } => Some(config.dialect),
        DialectSource::Profile { .. } | DialectSource::Detected { .. } | DialectSource::Default => {
            None
        }
    };
    let mut resolved = locations
        .into_iter()
        .map(|mut location| {
            location.dialect = location.dialect.or(given);
            ResolvedLocation::new(location)
        })
        .collect::<Result<Vec<_>>>()?;
    discover::settle_formats(&mut resolved, &[from_files, to_files]);
    Ok(resolved)
}

/// A `--migrations` path or glob that matches no file at either end of the range is a
/// mistake (a typo, the wrong folder): checking nothing would report a safe release.
pub fn require_matches(given: &[String], range: &Range, reader: &mut Reader<'_>) -> Result<()> {
    if given.is_empty() {
        return Ok(());
    }
    let from_files = reader.files(range.from.1)?;
    let to_files = reader.files(range.to.1)?;
    for path in given {
        let location = ResolvedLocation::new(Location::new(path.clone(), MigrationFormat::Auto))?;
        let matches = |files: &[git::TreeFile]| files.iter().any(|f| location.contains(&f.path));
        if !matches(&from_files) && !matches(&to_files) {
            return Err(Error::Usage(format!(
                "--migrations `{path}` matches no file at {} or at {}",
                range.from.0, range.to.0
            )));
        }
    }
    Ok(())
}
