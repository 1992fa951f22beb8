//! Configuration: `balrog-schema-lint.toml`, read from the `TO` tree or a file.
//!
//! Everything has a default that fits Balrog, so a repository without a config file still
//! gets a useful check.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::dialect_source::DialectSource;
use crate::error::{Error, Result};
use crate::model::lock::{MysqlServer, Target, Version};
use crate::model::migration::MigrationFormat;
use crate::model::ops::Dialect;
use crate::model::profile::Profile;
use crate::model::release_tags::ReleaseTags;

/// The file name looked up at the repository root.
///
/// ```
/// assert_eq!(balrog_schema_lint::CONFIG_FILE, "balrog-schema-lint.toml");
/// ```
pub const CONFIG_FILE: &str = "balrog-schema-lint.toml";

/// One place migrations live.
///
/// ```
/// use balrog_schema_lint::{Location, MigrationFormat};
///
/// let location = Location::new("db/migrations", MigrationFormat::Sql);
/// assert_eq!(location.path, "db/migrations");
/// assert_eq!(location.dialect, None); // the configuration's dialect
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// A folder relative to the repository root, or a glob (`db/**/*.sql`).
    pub path: String,
    /// How its files are written.
    #[serde(default)]
    pub format: MigrationFormat,
    /// Overrides the top-level dialect for this location.
    #[serde(default)]
    pub dialect: Option<Dialect>,
}

impl Location {
    /// A location with automatic format detection and the top-level dialect.
    pub fn new(path: impl Into<String>, format: MigrationFormat) -> Location {
        Location {
            path: path.into(),
            format,
            dialect: None,
        }
    }
}

/// A deployable service.
///
/// ```
/// use balrog_schema_lint::Config;
///
/// let text = "[services.migrator]\nname = \"api-migrate\"\n[[services.dependents]]\nname = \"api\"\ncanary = true\n";
/// let config = Config::from_toml(text, "example.toml")?;
/// assert_eq!(config.services().migrator.name, "api-migrate");
/// assert!(config.services().dependents[0].canary);
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// The name used in the deploy pipeline, e.g. `balrog-production`.
    pub name: String,
    /// Deploys a canary first and is then promoted.
    #[serde(default)]
    pub canary: bool,
    /// A short note shown in the plan, e.g. `the public app`.
    #[serde(default)]
    pub note: Option<String>,
}

/// The services a release deploys and how they relate to the database.
///
/// ```
/// use balrog_schema_lint::Services;
///
/// let balrog = Services::balrog();
/// assert_eq!(balrog.migrator.name, "balrog-admin-production");
/// assert_eq!(balrog.dependents[0].name, "balrog-production");
/// assert_eq!(balrog.independent[0].name, "balrog-agent-production");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Services {
    /// The service whose deploy runs the schema upgrade.
    pub migrator: Service,
    /// Services that use the database directly and so depend on its schema.
    #[serde(default)]
    pub dependents: Vec<Service>,
    /// Services that never touch the database and may deploy at any point.
    #[serde(default)]
    pub independent: Vec<Service>,
}

impl Services {
    /// Balrog's three services, as its deploy runbook describes them.
    pub fn balrog() -> Services {
        Services {
            migrator: Service {
                name: "balrog-admin-production".into(),
                canary: false,
                note: Some("its deploy runs the schema upgrade".into()),
            },
            dependents: vec![Service {
                name: "balrog-production".into(),
                canary: true,
                note: Some("the public app".into()),
            }],
            independent: vec![Service {
                name: "balrog-agent-production".into(),
                canary: false,
                note: Some("reaches the database only through the admin API".into()),
            }],
        }
    }
}

/// A rule's severity as configured; `off` disables it.
///
/// ```
/// use balrog_schema_lint::{Config, RuleLevel};
///
/// let config = Config::from_toml("[rules]\ndrop-index = \"off\"\n", "example.toml")?;
/// assert_eq!(config.rules["drop-index"], RuleLevel::Off);
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// The rule does not run.
    Off,
    /// Reported, never fails a check by default.
    Info,
    /// Reported, fails with `--fail-on warning`.
    Warning,
    /// Fails the check by default.
    Error,
}

impl Services {
    /// The generic plan's roles: the service whose deploy runs the migrations, and the
    /// application that uses the database.
    ///
    /// ```
    /// let roles = balrog_schema_lint::Services::roles();
    /// assert_eq!(roles.dependents[0].name, "the application");
    /// ```
    pub fn roles() -> Services {
        Services {
            migrator: Service {
                name: "the service that runs the migrations".into(),
                canary: false,
                note: None,
            },
            dependents: vec![Service {
                name: "the application".into(),
                canary: false,
                note: None,
            }],
            independent: Vec::new(),
        }
    }
}

/// The whole configuration, with defaults for everything.
///
/// ```
/// use balrog_schema_lint::{Config, Dialect};
///
/// // Without a configuration file: the generic profile's roles, and MySQL until the
/// // repository says otherwise.
/// let config = Config::default();
/// assert_eq!(config.dialect, Dialect::Mysql);
/// assert_eq!(config.services().migrator.name, "the service that runs the migrations");
/// assert!(config.replay);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Which defaults apply: `balrog`, or `generic` for every other project. Unset: Balrog
    /// when the repository has Balrog's `auslib` migration layout, else generic.
    pub profile: Option<Profile>,
    /// The SQL dialect of the production database. Unset: detected from the repository
    /// (see `dialect_source`), MySQL when nothing names one.
    pub dialect: Dialect,
    /// Where `dialect` came from; decided when the configuration is loaded, never written
    /// in it.
    #[serde(skip)]
    pub dialect_source: DialectSource,
    /// Which tags are releases: a regular expression matched against the whole tag name.
    /// Unset: the profile's (`v?\d+\.\d+(\.\d+)?`; Balrog: `v\d+\.\d+(\.\d+)?`).
    pub release_tags: Option<String>,
    /// Where migrations live. Empty: detect common layouts.
    pub migrations: Vec<Location>,
    /// The services of a release. Unset: the profile's (Balrog's three services, or the
    /// roles "the service that runs the migrations" and "the application").
    pub services: Option<Services>,
    /// Globs of the source files searched for references to dropped objects.
    /// Empty: everything outside migration folders, tests and docs.
    pub code_paths: Vec<String>,
    /// The lowest severity that fails the check (`info`, `warning`, `error`).
    pub fail_on: Option<RuleLevel>,
    /// Per-rule severity overrides, by rule name.
    pub rules: BTreeMap<String, RuleLevel>,
    /// Text substitutions applied to SQL before parsing (`${schema}` placeholders).
    pub placeholders: BTreeMap<String, String>,
    /// Judge each operation against the schema replayed from every earlier migration (the
    /// default). `false` judges each statement alone, as a plain linter would; it is there to
    /// compare the two, not for everyday use.
    pub replay: bool,
    /// Walk a mixed range's commits for the commit to tag first (the default). `false`
    /// skips the walk (`check --no-cut`), e.g. where the history between the releases is
    /// not all there.
    pub find_cut: bool,
    /// The production database releases that locks are judged for (`[target]`). Unset
    /// keys: [`Target::default`].
    pub target: TargetConfig,
}

/// `[target]`: the release of each production database, as written (`postgres = "16"`,
/// `mysql = "8.0.36"` or `mariadb = "10.11"`, `sqlite = "3.45"`). Validated on load.
///
/// ```
/// use balrog_schema_lint::{Config, Dialect};
///
/// let config = Config::from_toml("[target]\nmariadb = \"10.11\"\n", "c.toml")?;
/// assert_eq!(config.target().describe(Dialect::Mysql), "MariaDB 10.11");
/// let err = Config::from_toml("[target]\npostgres = \"sixteen\"\n", "c.toml").unwrap_err();
/// assert!(err.to_string().contains("target.postgres"));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetConfig {
    /// PostgreSQL's major release (`"16"`; a minor part is accepted and ignored).
    pub postgres: Option<String>,
    /// MySQL's release (`"8.0"` is the first 8.0 release; write `"8.0.36"` for later
    /// answers within 8.0).
    pub mysql: Option<String>,
    /// MariaDB's release, for the `mysql` dialect running on MariaDB.
    pub mariadb: Option<String>,
    /// The SQLite library's release.
    pub sqlite: Option<String>,
}

impl TargetConfig {
    /// The releases, with defaults for unset keys; an error message naming the key when a
    /// value is not a release the lock table knows.
    pub(crate) fn resolve(&self) -> std::result::Result<Target, String> {
        let mut target = Target::default();
        let parse = |key: &str, value: &str, oldest: Version| -> std::result::Result<Version, String> {
            let version: Version = value
                .parse()
                .map_err(|err| format!("target.{key}: {err}"))?;
            if version < oldest {
                return Err(format!(
                    "target.{key}: \"{value}\" is older than {oldest}, the oldest release the lock table knows"
                ));
            }
            Ok(version)
        };
        if let Some(value) = &self.postgres {
            target.postgres = parse("postgres", value, Target::OLDEST_POSTGRES)?;
            // Locks change between major releases only.
            target.postgres = Version::major(target.postgres.major);
        }
        match (&self.mysql, &self.mariadb) {
            (Some(_), Some(_)) => {
                return Err("target: give mysql or mariadb, not both: the mysql dialect runs on one of them".into())
            }
            (Some(value), None) => {
                target.mysql_server = MysqlServer::Mysql;
                target.mysql = parse("mysql", value, Target::OLDEST_MYSQL)?;
                if target.mysql.major >= 10 {
                    return Err(format!(
                        "target.mysql: \"{value}\" is not a MySQL release (MySQL 5.7, 8.x, 9.x); for MariaDB write mariadb = \"{value}\""
                    ));
                }
            }
            (None, Some(value)) => {
                target.mysql_server = MysqlServer::Mariadb;
                target.mysql = parse("mariadb", value, Target::OLDEST_MARIADB)?;
            }
            (None, None) => {}
        }
        if let Some(value) = &self.sqlite {
            target.sqlite = parse("sqlite", value, Target::OLDEST_SQLITE)?;
        }
        Ok(target)
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            profile: None,
            dialect: Dialect::Mysql,
            dialect_source: DialectSource::Default,
            release_tags: None,
            migrations: Vec::new(),
            services: None,
            code_paths: Vec::new(),
            fail_on: None,
            rules: BTreeMap::new(),
            placeholders: BTreeMap::new(),
            replay: true,
            find_cut: true,
            target: TargetConfig::default(),
        }
    }
}

impl Config {
    /// Parses configuration text; `origin` names where it came from in errors.
    /// Parses configuration text and validates it (see [`validate`]) against the rule names
    /// `known_rules`; `origin` names where it came from in errors. `Config::from_toml`
    /// (in `lint`, which knows the rule registry) passes the registry's names.
    pub(crate) fn from_toml_with_rules(text: &str, origin: &str, known_rules: &[&str]) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|err| Error::Config {
            path: origin.to_string(),
            message: with_suggestion(err.to_string().trim_end()),
        })?;
        validate(&config, origin, known_rules)?;
        let mut config = config;
        // serde fills an absent `dialect` with the default, so only the text can tell
        // whether the file names one (and detection must not override it).
        let names_dialect = text
            .parse::<toml::Table>()
            .is_ok_and(|table| table.contains_key("dialect"));
        if names_dialect {
            config.dialect_source = DialectSource::Configuration {
                path: origin.to_string(),
            };
        }
        Ok(config)
    }

    /// The profile in effect (generic until the repository or the configuration says
    /// otherwise).
    ///
    /// ```
    /// use balrog_schema_lint::{Config, Profile};
    ///
    /// let config = Config::from_toml("profile = \"balrog\"\n", "c.toml")?;
    /// assert_eq!(config.profile(), Profile::Balrog);
    /// assert_eq!(Config::default().profile(), Profile::Generic);
    /// # Ok::<(), balrog_schema_lint::Error>(())
    /// ```
    pub fn profile(&self) -> Profile {
        self.profile.unwrap_or_default()
    }

    /// The services the plan names: configured, else the profile's.
    ///
    /// ```
    /// use balrog_schema_lint::Config;
    ///
    /// let roles = Config::default().services();
    /// assert_eq!(roles.migrator.name, "the service that runs the migrations");
    /// let balrog = Config::from_toml("profile = \"balrog\"\n", "c.toml")?.services();
    /// assert_eq!(balrog.migrator.name, "balrog-admin-production");
    /// # Ok::<(), balrog_schema_lint::Error>(())
    /// ```
    pub fn services(&self) -> Services {
        self.services.clone().unwrap_or_else(|| match self.profile() {
            Profile::Balrog => Services::balrog(),
            Profile::Generic => Services::roles(),
        })
    }

    /// Which tags are releases: `release_tags` when set (validated on load), else the
    /// profile's rule.
    pub(crate) fn release_tags(&self) -> ReleaseTags {
        self.release_tags
            .as_deref()
            .and_then(|pattern| ReleaseTags::new(pattern).ok())
            .unwrap_or_else(|| self.profile().release_tags())
    }

    /// The database releases locks are judged for: `[target]`, with defaults for what it
    /// leaves out (validated on load, so a loaded configuration always resolves).
    ///
    /// ```
    /// use balrog_schema_lint::{Config, Dialect};
    ///
    /// let config = Config::from_toml("[target]\npostgres = \"16.4\"\n", "c.toml")?;
    /// assert_eq!(config.target().describe(Dialect::Postgres), "PostgreSQL 16");
    /// assert_eq!(Config::default().target().describe(Dialect::Mysql), "MySQL 8.0");
    /// # Ok::<(), balrog_schema_lint::Error>(())
    /// ```
    pub fn target(&self) -> Target {
        self.target.resolve().unwrap_or_default()
    }

    /// Whether a rule runs when `[rules]` does not mention it: on by default, and not a
    /// rule about another profile's conventions.
    pub(crate) fn runs_unconfigured(&self, rule: &str, enabled_by_default: bool) -> bool {
        enabled_by_default && self.profile().runs_by_default(rule)
    }
}

/// Whether a configured path climbs out of the repository (`..` as a component): trees
/// hold no such path, so it would silently match nothing.
pub fn outside_repository(path: &str) -> bool {
    path.split(['/', '\\']).any(|part| part.trim() == "..")
}

/// Adds `did you mean "x"?` to serde's "unknown field `a`, expected one of `b`, `c`" and
/// "unknown variant" messages.
fn with_suggestion(message: &str) -> String {
    for what in ["unknown field", "unknown variant"] {
        let Some(at) = message.find(what) else {
            continue;
        };
        let quoted: Vec<&str> = message
            .get(at..)
            .unwrap_or("")
            .split('`')
            .skip(1)
            .step_by(2)
            .collect();
        if let Some((unknown, expected)) = quoted.split_first() {
            if let Some(near) = did_you_mean(unknown, expected.iter().copied()) {
                return format!("{message}; did you mean \"{near}\"?");
            }
        }
    }
    message.to_string()
}

/// Checks what the TOML types cannot: rule names under `[rules]`, globs, service names and
/// placeholder keys. The error names the key and, for a misspelt name, suggests the nearest.
pub fn validate(config: &Config, origin: &str, known_rules: &[&str]) -> Result<()> {
    let fail = |message: String| {
        Err(Error::Config {
            path: origin.to_string(),
            message,
        })
    };
    for name in config.rules.keys() {
        if !known_rules.contains(&name.as_str()) {
            let hint = did_you_mean(name, known_rules.iter().copied())
                .map(|n| format!(" did you mean \"{n}\"?"))
                .unwrap_or_else(|| " `balrog-schema-lint rules` lists them.".into());
            return fail(format!("[rules]: unknown rule \"{name}\";{hint}"));
        }
    }
    for pattern in &config.code_paths {
        if let Err(err) = globset::Glob::new(pattern) {
            return fail(format!("code_paths: bad glob \"{pattern}\": {err}"));
        }
    }
    for (index, location) in config.migrations.iter().enumerate() {
        if location.path.trim().is_empty() {
            return fail(format!("migrations[{index}].path is empty"));
        }
        if outside_repository(&location.path) {
            return fail(format!(
                "migrations[{index}].path \"{}\" is outside the repository: paths are relative to its root",
                location.path
            ));
        }
        if location.path.contains(['*', '?', '[', '{']) {
            if let Err(err) = globset::Glob::new(location.path.trim_matches('/')) {
                return fail(format!(
                    "migrations[{index}].path: bad glob \"{}\": {err}",
                    location.path
                ));
            }
        }
    }
    if let Err(message) = config.target.resolve() {
        return fail(message);
    }
    if let Some(pattern) = &config.release_tags {
        if let Err(err) = ReleaseTags::new(pattern) {
            return fail(format!(
                "release_tags: bad regular expression \"{pattern}\": {err}"
            ));
        }
    }
    let Some(services) = &config.services else {
        return placeholders_ok(config, origin);
    };
    let mut seen: Vec<&str> = Vec::new();
    for service in std::iter::once(&services.migrator)
        .chain(&services.dependents)
        .chain(&services.independent)
    {
        let name = service.name.trim();
        if name.is_empty() {
            return fail("services: a service has an empty name".into());
        }
        if seen.contains(&name) {
            return fail(format!(
                "services: \"{name}\" is listed more than once (migrator, dependents and independent must not overlap)"
            ));
        }
        seen.push(name);
    }
    placeholders_ok(config, origin)
}

fn placeholders_ok(config: &Config, origin: &str) -> Result<()> {
    if let Some(key) = config.placeholders.keys().find(|k| k.is_empty()) {
        return Err(Error::Config {
            path: origin.to_string(),
            message: format!("placeholders: empty key \"{key}\""),
        });
    }
    Ok(())
}

/// The candidate nearest to `name` by edit distance, when it is near enough to be a typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| {
            // An abbreviation (`warn` for `warning`) is as good as a typo.
            let abbreviates = name.len() >= 3 && c.starts_with(name);
            (
                if abbreviates {
                    1
                } else {
                    edit_distance(name, c)
                },
                c,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters, case-insensitive.
fn edit_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(&a.to_lowercase(), &b.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule names these tests use; the registry's own list comes in from `lint`.
    const RULES: &[&str] = &["drop-column", "drop-table", "mysql-missing-algorithm-lock"];

    fn error(text: &str) -> String {
        match Config::from_toml_with_rules(text, "test.toml", RULES) {
            Err(Error::Config { path, message }) => {
                assert_eq!(path, "test.toml");
                message
            }
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn valid_config_reads() {
        let config = Config::from_toml_with_rules(
            r#"
dialect = "postgres"
fail_on = "warning"
code_paths = ["src/**/*.py"]
[rules]
drop-column = "error"
mysql-missing-algorithm-lock = "warning"
[placeholders]
"${schema}" = "public"
"#,
            "test.toml",
            RULES,
        )
        .unwrap();
        assert_eq!(config.dialect, Dialect::Postgres);
        assert_eq!(
            config.dialect_source,
            DialectSource::Configuration {
                path: "test.toml".into()
            }
        );
        assert_eq!(config.rules.get("drop-column"), Some(&RuleLevel::Error));
    }

    #[test]
    fn profile_services_and_release_tags() {
        let config = Config::from_toml("fail_on = \"error\"\n", "c").unwrap();
        assert_eq!(config.dialect_source, DialectSource::Default);
        assert_eq!(config.profile(), Profile::Generic);
        assert_eq!(
            config.services().migrator.name,
            "the service that runs the migrations"
        );
        assert!(config.release_tags().version("0.19.3").is_some());
        let config =
            Config::from_toml("profile = \"balrog\"\nrelease_tags = 'release-\\d+'\n", "c")
                .unwrap();
        assert_eq!(config.profile(), Profile::Balrog);
        assert_eq!(config.services().migrator.name, "balrog-admin-production");
        assert!(config.release_tags().version("release-7").is_some());
        assert!(config.release_tags().version("v3.40").is_none());
        let message = error("release_tags = 'v(\\d+'\n");
        assert!(
            message.starts_with("release_tags: bad regular expression"),
            "{message}"
        );
        let message = error("profile = \"balorg\"\n");
        assert!(message.contains("did you mean \"balrog\"?"), "{message}");
    }

    #[test]
    fn unknown_top_level_key_suggests_nearest() {
        let message = error("fial_on = \"error\"\n");
        assert!(message.contains("fial_on"), "{message}");
        assert!(message.contains("did you mean \"fail_on\"?"), "{message}");
    }

    #[test]
    fn unknown_nested_key_and_level_suggest_nearest() {
        let message = error("[[migrations]]\npath = \"db\"\nformt = \"sql\"\n");
        assert!(message.contains("did you mean \"format\"?"), "{message}");
        let message = error("[rules]\ndrop-column = \"warn\"\n");
        assert!(message.contains("did you mean \"warning\"?"), "{message}");
    }

    #[test]
    fn unknown_rule_suggests_nearest() {
        let message = error("[rules]\nban-drop-column = \"off\"\n");
        assert!(
            message.contains("unknown rule \"ban-drop-column\""),
            "{message}"
        );
        assert!(
            message.contains("did you mean \"drop-column\"?"),
            "{message}"
        );
        let message = error("[rules]\nxyzzy = \"off\"\n");
        assert!(message.contains("lists them"), "{message}");
    }

    #[test]
    fn bad_globs_services_and_placeholders() {
        assert!(error("code_paths = [\"src/[\"]\n").contains("code_paths: bad glob"));
        assert!(error("[[migrations]]\npath = \"db/[*.sql\"\n").contains("migrations[0].path"));
        assert!(error("[[migrations]]\npath = \" \"\n").contains("is empty"));
        let services = "[services.migrator]\nname = \"a\"\n[[services.dependents]]\nname = \"a\"\n";
        assert!(error(services).contains("more than once"));
        let services = "[services.migrator]\nname = \"\"\n";
        assert!(error(services).contains("empty name"));
        assert!(error("[placeholders]\n\"\" = \"x\"\n").contains("empty key"));
    }

    #[test]
    fn migrations_path_outside_the_repository_names_the_key() {
        let message = error("[[migrations]]\npath = \"../x\"\n");
        assert!(message.contains("migrations[0].path \"../x\""), "{message}");
        assert!(message.contains("outside the repository"), "{message}");
        let message =
            error("[[migrations]]\npath = \"db\"\n[[migrations]]\npath = \"a/../../b\"\n");
        assert!(message.contains("migrations[1].path"), "{message}");
        assert!(Config::from_toml_with_rules("[[migrations]]\npath = \"db/..x\"\n", "c", RULES).is_ok());
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            did_you_mean("drop-colum", ["drop-column", "drop-table"]),
            Some("drop-column")
        );
        assert_eq!(did_you_mean("zzzzzz", ["drop-column"]), None);
    }
}
