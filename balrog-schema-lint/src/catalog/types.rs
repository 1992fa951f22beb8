//! Judging a column type change: same, widening (every old value still fits), narrowing
//! (some old value may not fit) or unknown (different kinds; treated as breaking).

use serde::Serialize;

use crate::model::ops::{Dialect, SqlType};

/// How a column type change affects the values the column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeChange {
    /// The same type, possibly spelled differently (`INT` and `INTEGER`).
    Same,
    /// Every value of the old type fits the new one (`VARCHAR(50)` to `VARCHAR(100)`).
    Widening,
    /// Some value of the old type may not fit the new one (shorter, smaller, fewer members).
    Narrowing,
    /// The kinds differ or a size is unknown; the tool cannot tell.
    Unknown,
}

/// Compares an old and a new column type as `dialect` understands them.
pub fn compare_types(dialect: Dialect, old: &SqlType, new: &SqlType) -> TypeChange {
    let old = normalise(old);
    let new = normalise(new);
    if old == new {
        return TypeChange::Same;
    }
    let (old_kind, new_kind) = (kind_of(dialect, &old), kind_of(dialect, &new));
    compare_kinds(&old_kind, &new_kind)
}

/// A type with its spelling tidied: upper case, single spaces, no quotes, and parameters or
/// `UNSIGNED` that a reader left inside the name moved out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Norm {
    name: String,
    params: Vec<u64>,
    values: Vec<String>,
    unsigned: bool,
}

fn normalise(ty: &SqlType) -> Norm {
    let mut name: String = ty
        .name
        .chars()
        .filter(|c| !matches!(c, '"' | '`'))
        .collect::<String>()
        .to_uppercase();
    let mut params = ty.params.clone();
    let mut unsigned = ty.unsigned;
    if let Some((head, tail)) = name.split_once('(') {
        let (inner, rest) = tail.split_once(')').unwrap_or((tail, ""));
        if params.is_empty() {
            params = inner
                .split(',')
                .filter_map(|p| p.trim().parse::<u64>().ok())
                .collect();
        }
        name = format!("{head} {rest}");
    }
    let mut words: Vec<&str> = name.split_whitespace().collect();
    // ZEROFILL implies UNSIGNED in MySQL; SIGNED is the default spelled out.
    words.retain(|w| match *w {
        "UNSIGNED" | "ZEROFILL" => {
            unsigned = true;
            false
        }
        "SIGNED" => false,
        _ => true,
    });
    Norm {
        name: words.join(" "),
        params,
        values: ty.values.clone(),
        unsigned,
    }
}

/// The size of a string type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cap {
    /// At most this many characters.
    Chars(u64),
    /// At most this many bytes (MySQL TEXT/BLOB families, binary strings).
    Bytes(u64),
    Unbounded,
    /// A length is required but was not given (MySQL `VARCHAR`).
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Blank-padded `CHAR(n)` / `BINARY(n)`.
    Fixed,
    /// `VARCHAR(n)`, PostgreSQL `TEXT`.
    Varying,
    /// MySQL `TEXT` / `BLOB` families, stored off-row.
    Lob,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Affinity {
    Integer,
    Text,
    Blob,
    Real,
    Numeric,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Int {
        bits: u32,
        unsigned: bool,
    },
    Bool,
    Str {
        binary: bool,
        form: Form,
        cap: Cap,
    },
    /// `precision` `None` is PostgreSQL's unconstrained `NUMERIC`.
    Numeric {
        precision: Option<u64>,
        scale: u64,
    },
    Float {
        bits: u32,
    },
    Enum {
        set: bool,
        values: Vec<String>,
    },
    Temporal {
        name: &'static str,
        fsp: u64,
    },
    /// SQLite stores by affinity and ignores lengths.
    Affinity(Affinity),
    Other(Norm),
}

const MYSQL_TINYTEXT: u64 = 255;
const MYSQL_TEXT: u64 = 65_535;
const MYSQL_MEDIUMTEXT: u64 = 16_777_215;
const MYSQL_LONGTEXT: u64 = 4_294_967_295;

fn kind_of(dialect: Dialect, ty: &Norm) -> Kind {
    let name = ty.name.as_str();
    let first = ty.params.first().copied();
    if matches!(name, "ENUM" | "SET") && !ty.values.is_empty() {
        return Kind::Enum {
            set: name == "SET",
            values: ty.values.clone(),
        };
    }
    if dialect == Dialect::Sqlite {
        return Kind::Affinity(sqlite_affinity(name));
    }
    let mysql = dialect == Dialect::Mysql;
    let int = |bits| Kind::Int {
        bits,
        unsigned: ty.unsigned,
    };
    let chars = |form, default: Cap| Kind::Str {
        binary: false,
        form,
        cap: first.map_or(default, Cap::Chars),
    };
    let bytes = |form, default: Cap| Kind::Str {
        binary: true,
        form,
        cap: first.map_or(default, Cap::Bytes),
    };
    let lob = |binary, bytes| Kind::Str {
        binary,
        form: Form::Lob,
        cap: Cap::Bytes(bytes),
    };
    let unbounded_or_unknown = if mysql { Cap::Unknown } else { Cap::Unbounded };
    match name {
        "TINYINT" | "INT1" => int(8),
        "SMALLINT" | "INT2" | "SMALLSERIAL" | "SERIAL2" => int(16),
        "MEDIUMINT" | "INT3" | "MIDDLEINT" => int(24),
        "INT" | "INTEGER" | "INT4" | "SERIAL4" => int(32),
        "BIGINT" | "INT8" | "BIGSERIAL" | "SERIAL8" => int(64),
        // MySQL's SERIAL is BIGINT UNSIGNED AUTO_INCREMENT; PostgreSQL's is an INTEGER.
        "SERIAL" if mysql => Kind::Int {
            bits: 64,
            unsigned: true,
        },
        "SERIAL" => int(32),
        "BOOL" | "BOOLEAN" if mysql => Kind::Int {
            bits: 8,
            unsigned: false,
        },
        "BOOL" | "BOOLEAN" => Kind::Bool,
        "CHAR" | "CHARACTER" | "NCHAR" | "NATIONAL CHAR" | "NATIONAL CHARACTER" | "BPCHAR" => {
            chars(Form::Fixed, Cap::Chars(1))
        }
        "VARCHAR"
        | "CHARACTER VARYING"
        | "CHAR VARYING"
        | "NVARCHAR"
        | "NATIONAL VARCHAR"
        | "NATIONAL CHARACTER VARYING"
        | "NCHAR VARYING"
        | "VARCHAR2"
        | "NVARCHAR2" => chars(Form::Varying, unbounded_or_unknown),
        "TEXT" if mysql => lob(false, first.map_or(MYSQL_TEXT, mysql_text_size)),
        "TINYTEXT" if mysql => lob(false, MYSQL_TINYTEXT),
        "MEDIUMTEXT" | "LONG" | "LONG VARCHAR" if mysql => lob(false, MYSQL_MEDIUMTEXT),
        "LONGTEXT" if mysql => lob(false, MYSQL_LONGTEXT),
        "TEXT" | "CLOB" | "STRING" => chars(Form::Varying, Cap::Unbounded),
        "BINARY" => bytes(Form::Fixed, Cap::Bytes(1)),
        "VARBINARY" | "BINARY VARYING" => bytes(Form::Varying, unbounded_or_unknown),
        "BLOB" if mysql => lob(true, first.map_or(MYSQL_TEXT, mysql_text_size)),
        "TINYBLOB" if mysql => lob(true, MYSQL_TINYTEXT),
        "MEDIUMBLOB" | "LONG VARBINARY" if mysql => lob(true, MYSQL_MEDIUMTEXT),
        "LONGBLOB" if mysql => lob(true, MYSQL_LONGTEXT),
        "BYTEA" | "BLOB" => bytes(Form::Varying, Cap::Unbounded),
        "DECIMAL" | "NUMERIC" | "DEC" | "FIXED" => {
            let scale = ty.params.get(1).copied().unwrap_or(0);
            // MySQL's bare DECIMAL is DECIMAL(10,0); PostgreSQL's bare NUMERIC is unbounded.
            let precision = first.or(if mysql { Some(10) } else { None });
            Kind::Numeric { precision, scale }
        }
        "REAL" | "FLOAT4" if !mysql => Kind::Float { bits: 32 },
        "FLOAT" => {
            let single = match first {
                Some(p) => p <= 24 || (mysql && ty.params.len() == 2),
                None => mysql,
            };
            Kind::Float {
                bits: if single { 32 } else { 64 },
            }
        }
        "REAL" | "DOUBLE" | "DOUBLE PRECISION" | "FLOAT8" => Kind::Float { bits: 64 },
        "DATE" => temporal("DATE", 0),
        "YEAR" => temporal("YEAR", 0),
        "DATETIME" => temporal("DATETIME", first.unwrap_or(0)),
        "TIMESTAMP" | "TIMESTAMP WITHOUT TIME ZONE" => {
            temporal("TIMESTAMP", first.unwrap_or(default_fsp(dialect)))
        }
        "TIMESTAMPTZ" | "TIMESTAMP WITH TIME ZONE" => {
            temporal("TIMESTAMPTZ", first.unwrap_or(default_fsp(dialect)))
        }
        "TIME" | "TIME WITHOUT TIME ZONE" => {
            temporal("TIME", first.unwrap_or(default_fsp(dialect)))
        }
        "TIMETZ" | "TIME WITH TIME ZONE" => {
            temporal("TIMETZ", first.unwrap_or(default_fsp(dialect)))
        }
        _ => Kind::Other(ty.clone()),
    }
}

fn temporal(name: &'static str, fsp: u64) -> Kind {
    Kind::Temporal { name, fsp }
}

/// Fractional-second digits when none are written: MySQL 0, PostgreSQL microseconds.
fn default_fsp(dialect: Dialect) -> u64 {
    match dialect {
        Dialect::Mysql => 0,
        Dialect::Postgres | Dialect::Sqlite | Dialect::Generic => 6,
    }
}

/// MySQL `TEXT(n)` / `BLOB(n)` picks the smallest type that holds `n` bytes.
fn mysql_text_size(n: u64) -> u64 {
    [MYSQL_TINYTEXT, MYSQL_TEXT, MYSQL_MEDIUMTEXT]
        .into_iter()
        .find(|size| n <= *size)
        .unwrap_or(MYSQL_LONGTEXT)
}

/// SQLite's column affinity rules (datatype3.html, section 3.1), in their order.
fn sqlite_affinity(name: &str) -> Affinity {
    if name.contains("INT") {
        Affinity::Integer
    } else if name.contains("CHAR") || name.contains("CLOB") || name.contains("TEXT") {
        Affinity::Text
    } else if name.contains("BLOB") || name.is_empty() {
        Affinity::Blob
    } else if name.contains("REAL") || name.contains("FLOA") || name.contains("DOUB") {
        Affinity::Real
    } else {
        Affinity::Numeric
    }
}

fn compare_kinds(old: &Kind, new: &Kind) -> TypeChange {
    use TypeChange::{Narrowing, Same, Unknown, Widening};
    match (old, new) {
        (
            Kind::Int {
                bits: ob,
                unsigned: ou,
            },
            Kind::Int {
                bits: nb,
                unsigned: nu,
            },
        ) => {
            let (old_range, new_range) = (int_range(*ob, *ou), int_range(*nb, *nu));
            if old_range == new_range {
                Same
            } else if new_range.0 <= old_range.0 && new_range.1 >= old_range.1 {
                Widening
            } else {
                Narrowing
            }
        }
        (Kind::Int { bits, unsigned }, Kind::Numeric { precision, scale }) => match precision {
            None => Widening,
            Some(p) if p.saturating_sub(*scale) >= int_digits(*bits, *unsigned) => Widening,
            Some(_) => Narrowing,
        },
        (Kind::Numeric { precision, scale }, Kind::Int { bits, unsigned }) => match precision {
            Some(p) if *scale == 0 && !*unsigned && *p < int_digits(*bits, false) => Widening,
            _ => Narrowing,
        },
        (Kind::Float { .. }, Kind::Int { .. } | Kind::Numeric { .. }) => Narrowing,
        (Kind::Bool, Kind::Bool) => Same,
        (
            Kind::Str {
                binary: ob,
                form: of,
                cap: oc,
            },
            Kind::Str {
                binary: nb,
                form: nf,
                cap: nc,
            },
        ) if ob == nb => compare_strings(*of, *oc, *nf, *nc),
        (
            Kind::Numeric {
                precision: op,
                scale: os,
            },
            Kind::Numeric {
                precision: np,
                scale: ns,
            },
        ) => match (op, np) {
            (None, None) => Same,
            (Some(_), None) => Widening,
            (None, Some(_)) => Narrowing,
            (Some(op), Some(np)) => {
                let (old_int, new_int) = (op.saturating_sub(*os), np.saturating_sub(*ns));
                if old_int == new_int && os == ns {
                    Same
                } else if new_int >= old_int && ns >= os {
                    Widening
                } else {
                    Narrowing
                }
            }
        },
        (Kind::Float { bits: ob }, Kind::Float { bits: nb }) => ordered(*ob, *nb),
        (Kind::Temporal { name: on, fsp: of }, Kind::Temporal { name: nn, fsp: nf })
            if on == nn =>
        {
            ordered(*of, *nf)
        }
        (
            Kind::Enum {
                set: os,
                values: ov,
            },
            Kind::Enum {
                set: ns,
                values: nv,
            },
        ) if os == ns => compare_members(ov, nv),
        (
            Kind::Enum { set: false, values },
            Kind::Str {
                binary: false, cap, ..
            },
        ) => {
            let longest = values
                .iter()
                .map(|v| v.chars().count() as u64)
                .max()
                .unwrap_or(0);
            // Member names are short; a byte-sized type fits them in any charset at 4 bytes
            // a character.
            match cap {
                Cap::Unbounded => Widening,
                Cap::Chars(n) if *n >= longest => Widening,
                Cap::Bytes(n) if *n >= longest.saturating_mul(4) => Widening,
                Cap::Bytes(n) if *n >= longest => Unknown,
                Cap::Chars(_) | Cap::Bytes(_) => Narrowing,
                Cap::Unknown => Unknown,
            }
        }
        (Kind::Str { .. }, Kind::Enum { .. }) => Narrowing,
        (Kind::Affinity(o), Kind::Affinity(n)) => {
            if o == n {
                Same
            } else if (*o == Affinity::Integer && *n == Affinity::Numeric) || *n == Affinity::Blob {
                // NUMERIC keeps integers as integers; BLOB (no affinity) keeps any value as is.
                Widening
            } else {
                Unknown
            }
        }
        (Kind::Other(o), Kind::Other(n)) if o == n => Same,
        _ => Unknown,
    }
}

fn ordered<T: Ord>(old: T, new: T) -> TypeChange {
    match new.cmp(&old) {
        std::cmp::Ordering::Equal => TypeChange::Same,
        std::cmp::Ordering::Greater => TypeChange::Widening,
        std::cmp::Ordering::Less => TypeChange::Narrowing,
    }
}

fn int_range(bits: u32, unsigned: bool) -> (i128, i128) {
    let bits = bits.min(64);
    if unsigned {
        (0, (1i128 << bits) - 1)
    } else {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    }
}

/// Decimal digits of the largest magnitude an integer type holds.
fn int_digits(bits: u32, unsigned: bool) -> u64 {
    let (low, high) = int_range(bits, unsigned);
    let magnitude = high.max(-low);
    magnitude.to_string().len() as u64
}

/// How the capacity of one string type relates to another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    Equal,
    Larger,
    Smaller,
    Unclear,
}

fn fit(old: Cap, new: Cap) -> Fit {
    // A character takes up to 4 bytes (utf8mb4); the charset is not modelled, so a length
    // in characters and one in bytes only compare when the answer holds for any charset.
    const MAX_BYTES_PER_CHAR: u64 = 4;
    let by = |a: u64, b: u64| match b.cmp(&a) {
        std::cmp::Ordering::Equal => Fit::Equal,
        std::cmp::Ordering::Greater => Fit::Larger,
        std::cmp::Ordering::Less => Fit::Smaller,
    };
    match (old, new) {
        (Cap::Unbounded, Cap::Unbounded) => Fit::Equal,
        (Cap::Chars(_) | Cap::Bytes(_), Cap::Unbounded) => Fit::Larger,
        (Cap::Unbounded, Cap::Chars(_) | Cap::Bytes(_)) => Fit::Smaller,
        (Cap::Chars(a), Cap::Chars(b)) | (Cap::Bytes(a), Cap::Bytes(b)) => by(a, b),
        (Cap::Chars(a), Cap::Bytes(b)) => {
            if a.saturating_mul(MAX_BYTES_PER_CHAR) <= b {
                Fit::Larger
            } else if a > b {
                Fit::Smaller
            } else {
                Fit::Unclear
            }
        }
        (Cap::Bytes(a), Cap::Chars(b)) => {
            if b >= a {
                Fit::Larger
            } else {
                Fit::Smaller
            }
        }
        (Cap::Unknown, _) | (_, Cap::Unknown) => Fit::Unclear,
    }
}

fn compare_strings(old_form: Form, old_cap: Cap, new_form: Form, new_cap: Cap) -> TypeChange {
    use TypeChange::{Narrowing, Same, Unknown, Widening};
    let fit = fit(old_cap, new_cap);
    if old_form == new_form {
        return match fit {
            Fit::Equal => Same,
            Fit::Larger => Widening,
            Fit::Smaller => Narrowing,
            Fit::Unclear => Unknown,
        };
    }
    match (new_form, fit) {
        (_, Fit::Smaller) => Narrowing,
        // Into a padded type: values fit, but trailing blanks and comparisons change.
        (Form::Fixed, _) => Unknown,
        (Form::Varying | Form::Lob, Fit::Equal | Fit::Larger) => Widening,
        (Form::Varying | Form::Lob, Fit::Unclear) => Unknown,
    }
}

/// Enum members: appending keeps every stored value and its position; inserting elsewhere
/// shifts positions (MySQL stores the position, and sorts by it); removing loses values.
fn compare_members(old: &[String], new: &[String]) -> TypeChange {
    if old == new {
        return TypeChange::Same;
    }
    if new.starts_with(old) {
        return TypeChange::Widening;
    }
    if old.iter().any(|v| !new.contains(v)) {
        return TypeChange::Narrowing;
    }
    let mut rest = new.iter();
    let keeps_order = old.iter().all(|v| rest.any(|n| n == v));
    if keeps_order {
        TypeChange::Unknown
    } else {
        TypeChange::Narrowing
    }
}

#[cfg(test)]
mod tests;
