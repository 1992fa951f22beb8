//! What a foreign key makes the database do when a referenced row is deleted or its key
//! updated, and when it checks: the part of a foreign key that deployed code depends on
//! beyond the key's existence.

use serde::{Deserialize, Serialize};

use crate::model::ops::Dialect;

/// `ON DELETE` / `ON UPDATE` action of a foreign key.
///
/// `NO ACTION` (the default everywhere) and `RESTRICT` both reject the change to the
/// referenced row; they differ only in PostgreSQL and SQLite, where `NO ACTION` waits for the
/// end of the statement (or of the transaction, when deferred). MySQL and MariaDB check both
/// at once, and report an unspecified action as `RESTRICT`.
///
/// ```
/// use balrog_schema_lint::ReferentialAction;
///
/// assert_eq!(serde_json::to_value(ReferentialAction::SetNull).unwrap(), "set-null");
/// assert_eq!(ReferentialAction::parse("cascade"), Some(ReferentialAction::Cascade));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferentialAction {
    /// `NO ACTION`, also what an unspecified action means.
    #[default]
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`: referencing rows are deleted (or their key updated) too.
    Cascade,
    /// `SET NULL`: referencing columns become NULL.
    SetNull,
    /// `SET DEFAULT`: referencing columns take their default.
    SetDefault,
}

impl ReferentialAction {
    /// The SQL spelling.
    ///
    /// ```
    /// use balrog_schema_lint::ReferentialAction;
    /// assert_eq!(ReferentialAction::SetNull.sql(), "SET NULL");
    /// ```
    pub fn sql(self) -> &'static str {
        match self {
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }

    /// Reads an action as SQL or SQLAlchemy's `ondelete=` write it (any case).
    pub fn parse(text: &str) -> Option<ReferentialAction> {
        let words: Vec<String> = text
            .split_whitespace()
            .map(|w| w.to_ascii_uppercase())
            .collect();
        match words.join(" ").as_str() {
            "NO ACTION" => Some(ReferentialAction::NoAction),
            "RESTRICT" => Some(ReferentialAction::Restrict),
            "CASCADE" => Some(ReferentialAction::Cascade),
            "SET NULL" => Some(ReferentialAction::SetNull),
            "SET DEFAULT" => Some(ReferentialAction::SetDefault),
            _ => None,
        }
    }

    /// Whether the change to the referenced row is refused while referencing rows exist
    /// (`NO ACTION`, `RESTRICT`), rather than carried out on them.
    ///
    /// ```
    /// use balrog_schema_lint::ReferentialAction;
    /// assert!(ReferentialAction::Restrict.rejects());
    /// assert!(!ReferentialAction::Cascade.rejects());
    /// ```
    pub fn rejects(self) -> bool {
        matches!(self, ReferentialAction::NoAction | ReferentialAction::Restrict)
    }
}

/// When a foreign key is checked: at each statement, or at commit.
///
/// ```
/// use balrog_schema_lint::Deferrable;
///
/// assert!(Deferrable::InitiallyDeferred > Deferrable::NotDeferrable);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Deferrable {
    /// `NOT DEFERRABLE` (the default): checked at each statement, always.
    #[default]
    NotDeferrable,
    /// `DEFERRABLE INITIALLY IMMEDIATE`: checked at each statement unless a transaction
    /// says `SET CONSTRAINTS ... DEFERRED`.
    InitiallyImmediate,
    /// `DEFERRABLE INITIALLY DEFERRED`: checked at commit.
    InitiallyDeferred,
}

impl Deferrable {
    /// The SQL spelling.
    ///
    /// ```
    /// use balrog_schema_lint::Deferrable;
    /// assert_eq!(Deferrable::InitiallyDeferred.sql(), "DEFERRABLE INITIALLY DEFERRED");
    /// ```
    pub fn sql(self) -> &'static str {
        match self {
            Deferrable::NotDeferrable => "NOT DEFERRABLE",
            Deferrable::InitiallyImmediate => "DEFERRABLE INITIALLY IMMEDIATE",
            Deferrable::InitiallyDeferred => "DEFERRABLE INITIALLY DEFERRED",
        }
    }

    /// From SQL's clauses: `DEFERRABLE` or not (absent: not), and `INITIALLY DEFERRED` or
    /// not (absent: immediate). `INITIALLY DEFERRED` alone implies `DEFERRABLE`.
    ///
    /// ```
    /// use balrog_schema_lint::Deferrable;
    /// assert_eq!(Deferrable::from_clauses(None, Some(true)), Deferrable::InitiallyDeferred);
    /// assert_eq!(Deferrable::from_clauses(Some(true), None), Deferrable::InitiallyImmediate);
    /// ```
    pub fn from_clauses(deferrable: Option<bool>, initially_deferred: Option<bool>) -> Self {
        match (deferrable, initially_deferred) {
            (Some(false), _) => Deferrable::NotDeferrable,
            (_, Some(true)) => Deferrable::InitiallyDeferred,
            (Some(true), _) => Deferrable::InitiallyImmediate,
            (None, _) => Deferrable::NotDeferrable,
        }
    }
}

/// The actions and timing of a foreign key; all defaults when the statement names none.
///
/// ```
/// use balrog_schema_lint::{ForeignKeyActions, ReferentialAction};
/// let cascade = ForeignKeyActions { on_delete: ReferentialAction::Cascade, ..Default::default() };
/// assert_eq!(serde_json::to_value(cascade).unwrap()["on_delete"], "cascade");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ForeignKeyActions {
    /// `ON DELETE`.
    #[serde(default)]
    pub on_delete: ReferentialAction,
    /// `ON UPDATE`.
    #[serde(default)]
    pub on_update: ReferentialAction,
    /// `DEFERRABLE` / `INITIALLY DEFERRED`.
    #[serde(default)]
    pub deferrable: Deferrable,
}

impl ForeignKeyActions {
    /// What a database of `dialect` enforces: MySQL and MariaDB check `NO ACTION` as
    /// `RESTRICT` and have no deferred constraints.
    ///
    /// ```
    /// use balrog_schema_lint::{Dialect, ForeignKeyActions, ReferentialAction};
    /// let mysql = ForeignKeyActions::default().enforced_in(Dialect::Mysql);
    /// assert_eq!(mysql.on_delete, ReferentialAction::Restrict);
    /// ```
    pub fn enforced_in(self, dialect: Dialect) -> ForeignKeyActions {
        match dialect {
            Dialect::Mysql => {
                let plain = |a: ReferentialAction| match a {
                    ReferentialAction::NoAction => ReferentialAction::Restrict,
                    other => other,
                };
                ForeignKeyActions {
                    on_delete: plain(self.on_delete),
                    on_update: plain(self.on_update),
                    deferrable: Deferrable::NotDeferrable,
                }
            }
            Dialect::Postgres | Dialect::Sqlite | Dialect::Generic => self,
        }
    }

    /// Whether nothing was specified (or only the defaults).
    ///
    /// ```
    /// use balrog_schema_lint::ForeignKeyActions;
    /// assert!(ForeignKeyActions::default().is_default());
    /// ```
    pub fn is_default(&self) -> bool {
        *self == ForeignKeyActions::default()
    }

    /// The clauses as SQL, empty for the defaults: ` ON DELETE CASCADE DEFERRABLE ...`.
    ///
    /// ```
    /// use balrog_schema_lint::{ForeignKeyActions, ReferentialAction};
    /// let actions = ForeignKeyActions { on_update: ReferentialAction::Cascade, ..Default::default() };
    /// assert_eq!(actions.sql(), " ON UPDATE CASCADE");
    /// ```
    pub fn sql(&self) -> String {
        let mut s = String::new();
        if self.on_delete != ReferentialAction::NoAction {
            s.push_str(" ON DELETE ");
            s.push_str(self.on_delete.sql());
        }
        if self.on_update != ReferentialAction::NoAction {
            s.push_str(" ON UPDATE ");
            s.push_str(self.on_update.sql());
        }
        if self.deferrable != Deferrable::NotDeferrable {
            s.push(' ');
            s.push_str(self.deferrable.sql());
        }
        s
    }
}
