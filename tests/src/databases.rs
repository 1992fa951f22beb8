//! Real database servers for the oracle tests, reached through their command-line clients
//! (`psql`, `mariadb`, `sqlite3`): the same programs a person would use to apply a migration
//! by hand, so `DELIMITER`, `$$` bodies and multi-statement files go through exactly as they
//! would there.
//!
//! `scripts/test-databases.sh start` starts the servers and prints the settings read here
//! (`BSL_POSTGRES_*`, `BSL_MARIADB_*`, `BSL_SQLITE`). A test that needs a server the settings
//! do not reach fails; only outside CI, with `BSL_SKIP_DB_TESTS=1`, is it skipped, and it says
//! so on stderr.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use balrog_schema_lint::model::ops::Dialect;

/// A database engine the oracle can ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Engine {
    /// PostgreSQL, for the `postgres` dialect.
    Postgres,
    /// MariaDB, for the `mysql` dialect.
    Mariadb,
    /// SQLite, for the `sqlite` dialect.
    Sqlite,
}

impl Engine {
    /// The engine that runs migrations written for `dialect` (none for `generic`).
    pub fn for_dialect(dialect: Dialect) -> Option<Engine> {
        match dialect {
            Dialect::Postgres => Some(Engine::Postgres),
            Dialect::Mysql => Some(Engine::Mariadb),
            Dialect::Sqlite => Some(Engine::Sqlite),
            Dialect::Generic => None,
        }
    }

    /// Its lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Postgres => "postgresql",
            Engine::Mariadb => "mariadb",
            Engine::Sqlite => "sqlite",
        }
    }
}

/// How to reach one engine.
#[derive(Debug, Clone)]
pub struct Server {
    /// Which engine.
    pub engine: Engine,
    host: String,
    port: String,
    user: String,
    /// The client program.
    client: String,
}

fn setting(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The server for `engine`, checked with a trivial query. `None` only when the database
/// tests are skipped on purpose (outside CI, `BSL_SKIP_DB_TESTS=1`); otherwise an unreachable
/// server panics with what to do.
pub fn server(engine: Engine) -> Option<Server> {
    match connect(engine) {
        Ok(server) => Some(server),
        Err(why) => {
            let in_ci = setting("CI").is_some();
            if !in_ci && setting("BSL_SKIP_DB_TESTS").as_deref() == Some("1") {
                eprintln!(
                    "SKIPPED: {} oracle test, BSL_SKIP_DB_TESTS=1 and {why}",
                    engine.name()
                );
                None
            } else {
                panic!(
                    "{} is needed by this test and {why}.\n\
                     Start the test databases: eval \"$(scripts/test-databases.sh start)\"\n\
                     (outside CI, BSL_SKIP_DB_TESTS=1 skips the database tests instead)",
                    engine.name()
                )
            }
        }
    }
}

fn connect(engine: Engine) -> Result<Server, String> {
    let prefix = match engine {
        Engine::Postgres => "BSL_POSTGRES",
        Engine::Mariadb => "BSL_MARIADB",
        Engine::Sqlite => "BSL_SQLITE",
    };
    let server = match engine {
        Engine::Sqlite => Server {
            engine,
            host: String::new(),
            port: String::new(),
            user: String::new(),
            client: setting(prefix).ok_or("BSL_SQLITE (the sqlite3 program) is not set")?,
        },
        Engine::Postgres | Engine::Mariadb => {
            let get = |key: &str| {
                setting(&format!("{prefix}_{key}")).ok_or(format!("{prefix}_{key} is not set"))
            };
            Server {
                engine,
                host: get("HOST")?,
                port: get("PORT")?,
                user: get("USER")?,
                client: match engine {
                    Engine::Postgres => "psql".to_string(),
                    _ => "mariadb".to_string(),
                },
            }
        }
    };
    let scratch = match engine {
        Engine::Sqlite => server.scratch("ping")?,
        _ => Database {
            server: server.clone(),
            name: String::new(),
            _dir: None,
            whole_database: false,
        },
    };
    scratch
        .query("SELECT 1")
        .map_err(|err| format!("the server does not answer: {err}"))?;
    Ok(server)
}

/// A database that lives as long as this value (dropped on the server at the end).
#[derive(Debug)]
pub struct Database {
    server: Server,
    /// Database name (PostgreSQL: schema name), or for SQLite the file path.
    name: String,
    /// SQLite: keeps the folder holding the file.
    _dir: Option<tempfile::TempDir>,
    /// PostgreSQL: `name` is a whole database rather than a schema.
    whole_database: bool,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl Server {
    /// A new empty database whose name starts with `label`; for PostgreSQL a whole
    /// database rather than a schema, for migrations that create schemas or extensions
    /// (which belong to the database, not to a schema) or name `public.` objects. Slower
    /// than [`Server::scratch`] by a fraction of a second.
    pub fn scratch_database(&self, label: &str) -> Result<Database, String> {
        let mut db = self.scratch(label)?;
        if self.engine != Engine::Postgres {
            return Ok(db);
        }
        let admin = Database {
            server: self.clone(),
            name: String::new(),
            _dir: None,
            whole_database: false,
        };
        admin.execute(&format!("DROP SCHEMA {} CASCADE", db.name))?;
        admin.execute(&format!("CREATE DATABASE {}", db.name))?;
        db.whole_database = true;
        Ok(db)
    }

    /// A new empty database whose name starts with `label`.
    pub fn scratch(&self, label: &str) -> Result<Database, String> {
        let clean: String = label
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .take(30)
            .collect();
        let name = format!(
            "bsl_{}_{}_{}",
            clean.to_ascii_lowercase(),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        match self.engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
                let path: PathBuf = dir.path().join(format!("{name}.db"));
                Ok(Database {
                    server: self.clone(),
                    name: path.display().to_string(),
                    _dir: Some(dir),
                    whole_database: false,
                })
            }
            Engine::Postgres | Engine::Mariadb => {
                let admin = Database {
                    server: self.clone(),
                    name: String::new(),
                    _dir: None,
                    whole_database: false,
                };
                // PostgreSQL: a schema (first on the search path) rather than a database,
                // since CREATE DATABASE costs a checkpoint, half a second each.
                let what = match self.engine {
                    Engine::Postgres => "SCHEMA",
                    _ => "DATABASE",
                };
                admin.execute(&format!("CREATE {what} {name}"))?;
                Ok(Database {
                    server: self.clone(),
                    name,
                    _dir: None,
                    whole_database: false,
                })
            }
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if self.name.is_empty() || self.server.engine == Engine::Sqlite {
            return;
        }
        let admin = Database {
            server: self.server.clone(),
            name: String::new(),
            _dir: None,
            whole_database: false,
        };
        let sql = match self.server.engine {
            Engine::Postgres if self.whole_database => {
                format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)
            }
            Engine::Postgres => format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
            _ => format!("DROP DATABASE IF EXISTS {}", self.name),
        };
        // Best effort: the servers and their data are thrown away after the run.
        let _ = admin.execute(&sql);
    }
}

/// Rows of a query result; `None` is SQL NULL.
pub type Rows = Vec<Vec<Option<String>>>;

fn marker(i: usize) -> String {
    format!("\u{3}query {i}\u{3}")
}

/// Marks SQL NULL in query output.
const NULL: &str = "\u{1}NULL\u{1}";

impl Database {
    /// The engine.
    pub fn engine(&self) -> Engine {
        self.server.engine
    }

    /// The client's command; `stop_on_error` makes it stop at the first error (and exit
    /// non-zero), otherwise it reports each error and carries on.
    fn command(&self, stop_on_error: bool) -> Command {
        let s = &self.server;
        let mut cmd = Command::new(&s.client);
        match s.engine {
            Engine::Postgres => {
                let search_path = if self.name.is_empty() || self.whole_database {
                    String::new()
                } else {
                    format!(" -c search_path={}", self.name)
                };
                let database = if self.whole_database {
                    self.name.as_str()
                } else {
                    "postgres"
                };
                let stop = if stop_on_error { "1" } else { "0" };
                cmd.args(["-X", "-q", "-v", &format!("ON_ERROR_STOP={stop}")])
                    .args(["-A", "-t", "-F", "\t"])
                    .args(["-P", &format!("null={NULL}")])
                    .args(["-h", &s.host, "-p", &s.port, "-U", &s.user, "-d", database])
                    .env(
                        "PGOPTIONS",
                        format!("-c client_min_messages=warning{search_path}"),
                    );
            }
            Engine::Mariadb => {
                cmd.args(["--no-defaults", "--batch", "--skip-column-names", "--raw"])
                    .args(["-h", &s.host, "-P", &s.port, "-u", &s.user]);
                if !stop_on_error {
                    cmd.arg("--force");
                }
                if !self.name.is_empty() {
                    cmd.args(["-D", &self.name]);
                }
            }
            Engine::Sqlite => {
                cmd.args(["-batch", "-noheader", "-separator", "\t"]);
                if stop_on_error {
                    cmd.arg("-bail");
                }
                cmd.args(["-nullvalue", NULL, &self.name]);
            }
        }
        cmd
    }

    fn run(&self, sql: &str) -> Result<String, String> {
        let mut child = self
            .command(true)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.server.client))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(sql.as_bytes())
                .map_err(|e| format!("writing to {}: {e}", self.server.client))?;
        }
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        // sqlite3 -bail and psql ON_ERROR_STOP exit non-zero on an error; MariaDB too.
        if !out.status.success() || (self.server.engine == Engine::Sqlite && !stderr.is_empty()) {
            return Err(if stderr.is_empty() {
                format!("{} exited with {}", self.server.client, out.status)
            } else {
                stderr
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Runs SQL (a whole migration file) and fails on its first error.
    pub fn execute(&self, sql: &str) -> Result<(), String> {
        self.run(sql).map(|_| ())
    }

    /// Runs single-line statements in one session, carrying on past errors, and returns
    /// each statement's error (`None` when the database accepted it). Each client names the
    /// input line of an error (`psql:<stdin>:3: ERROR:`, `ERROR 1050 (42S01) at line 3:`,
    /// `Parse error near line 3:`), which is how an error is matched to its statement.
    pub fn execute_each(&self, statements: &[String]) -> Result<Vec<Option<String>>, String> {
        let mut script = String::new();
        for statement in statements {
            if statement.contains('\n') {
                return Err(format!("statement spans lines: {statement}"));
            }
            script.push_str(statement.trim_end().trim_end_matches(';'));
            script.push_str(";\n");
        }
        let mut command = self.command(false);
        if self.server.engine == Engine::Postgres {
            // Read as a file, psql names the line of each error.
            command.args(["-f", "-"]);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.server.client))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(script.as_bytes())
                .map_err(|e| format!("writing to {}: {e}", self.server.client))?;
        }
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        let mut errors: Vec<Option<String>> = vec![None; statements.len()];
        for line in String::from_utf8_lossy(&out.stderr).lines() {
            let Some((number, message)) = error_line(self.server.engine, line) else {
                continue;
            };
            match number.checked_sub(1).and_then(|i| errors.get_mut(i)) {
                Some(slot) => *slot = Some(message.to_string()),
                None => return Err(format!("an error on no statement's line: {line}")),
            }
        }
        Ok(errors)
    }

    /// Runs several queries over one connection (each connection costs a process and a
    /// server backend) and returns the rows of each, as [`Database::query`] does.
    pub fn query_all(&self, queries: &[&str]) -> Result<Vec<Rows>, String> {
        let mut sql = String::new();
        for (i, query) in queries.iter().enumerate() {
            sql.push_str(&format!("SELECT '{}';\n", marker(i)));
            sql.push_str(query.trim_end().trim_end_matches(';'));
            sql.push_str(";\n");
        }
        let rows = self.query(&sql)?;
        let mut out: Vec<Rows> = Vec::with_capacity(queries.len());
        for row in rows {
            if row.len() == 1 && row[0].as_deref() == Some(marker(out.len()).as_str()) {
                out.push(Vec::new());
            } else if let Some(current) = out.last_mut() {
                current.push(row);
            }
        }
        if out.len() != queries.len() {
            return Err(format!(
                "{} of {} queries answered",
                out.len(),
                queries.len()
            ));
        }
        Ok(out)
    }

    /// Runs one query and returns its rows, each column `None` for SQL NULL. Values must
    /// not contain tabs or newlines (catalog queries over identifiers and short texts). The
    /// MariaDB client prints NULL and the text `NULL` alike: a query that must tell them
    /// apart prefixes its values.
    pub fn query(&self, sql: &str) -> Result<Rows, String> {
        let sql = if sql.trim_end().ends_with(';') {
            sql.to_string()
        } else {
            format!("{sql};")
        };
        Ok(self
            .run(&sql)?
            .lines()
            .filter(|l| !l.is_empty())
            .map(|line| {
                line.split('\t')
                    .map(|v| {
                        let null =
                            v == NULL || (self.server.engine == Engine::Mariadb && v == "NULL");
                        (!null).then(|| v.to_string())
                    })
                    .collect()
            })
            .collect())
    }
}

/// The input line and message of a client's error line, `None` for other lines (details,
/// hints, echoed statements).
fn error_line(engine: Engine, line: &str) -> Option<(usize, &str)> {
    let (number, message) = match engine {
        Engine::Postgres => {
            let rest = line.strip_prefix("psql:<stdin>:")?;
            let (number, rest) = rest.split_once(':')?;
            (number, rest.trim().strip_prefix("ERROR:")?)
        }
        Engine::Mariadb => {
            let rest = line.strip_prefix("ERROR ")?;
            let (_, rest) = rest.split_once(" at line ")?;
            rest.split_once(':')?
        }
        // `Parse error near line 3:`, `Runtime error near line 3:`; before 3.39 `Error: near
        // line 3:`.
        Engine::Sqlite => {
            let marker = "near line ";
            let at = line.find(marker)?;
            if !line[..at].to_ascii_lowercase().contains("error") {
                return None;
            }
            line[at + marker.len()..].split_once(':')?
        }
    };
    Some((number.trim().parse().ok()?, message.trim()))
}
