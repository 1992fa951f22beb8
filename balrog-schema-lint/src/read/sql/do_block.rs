//! `DO` blocks: an anonymous plpgsql block is read as every SQL statement it may run.
//!
//! The block's structure (`DECLARE`, `BEGIN ... END`, `IF / ELSIF / ELSE`, `EXCEPTION WHEN`
//! handlers, assignments, `RAISE`, `NULL`) is walked; each SQL statement in any branch or
//! handler is read as if it ran, so the worst of what the block may run is judged. Anything
//! whose effect the text does not show (loops, `EXECUTE`, cursors, `RETURN`, nested dollar
//! quotes, unknown statements) leaves the whole block unread, hence unsupported.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use super::named::{ident, is_kw};
use crate::model::ops::{Dialect, OpKind};

/// How deep `IF` and nested blocks may go before the block is left unread.
const MAX_DEPTH: usize = 16;

/// What the explanation of an operation read from a block with branches or handlers says.
pub(crate) const JUDGED_AS_IF_IT_RUNS: &str =
    "in a DO block with IF branches or EXCEPTION handlers: judged as if it runs";

/// plpgsql statements whose effect the text does not show.
const UNREAD: &[&str] = &[
    "LOOP", "WHILE", "FOR", "FOREACH", "EXECUTE", "RETURN", "GET", "OPEN", "FETCH", "CLOSE",
    "MOVE", "CASE", "EXIT", "CONTINUE", "COMMIT", "ROLLBACK", "ASSERT", "CALL", "END", "ELSIF",
    "ELSE", "WHEN", "EXCEPTION", "THEN", "DECLARE",
];

/// `DO [LANGUAGE plpgsql] $$ block $$`: the operations of every SQL statement the block may
/// run, or `None` when the block holds anything this module does not read.
pub(super) fn do_block(tokens: &[&Token]) -> Option<Vec<OpKind>> {
    read(tokens).map(|(kinds, _)| kinds)
}

/// For the source of a `DO` statement read with branches or handlers: the note its
/// operations' explanations carry.
pub(crate) fn branch_note(source: &str) -> Option<&'static str> {
    let head = source.trim_start().get(..2)?;
    if !head.eq_ignore_ascii_case("DO") {
        return None;
    }
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, source).tokenize().ok()?;
    let words: Vec<&Token> = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    read(&words)?.1.then_some(JUDGED_AS_IF_IT_RUNS)
}

/// The operations of the block's statements, and whether some came from a branch or a
/// handler.
fn read(tokens: &[&Token]) -> Option<(Vec<OpKind>, bool)> {
    let body = tokens.iter().find_map(|t| match t {
        Token::DollarQuotedString(s) => Some(s.value.as_str()),
        Token::SingleQuotedString(s) => Some(s.as_str()),
        _ => None,
    })?;
    let language = tokens
        .windows(2)
        .find(|w| is_kw(w.first(), "LANGUAGE"))
        .and_then(|w| ident(w.get(1)));
    if language.is_some_and(|l| !l.eq_ignore_ascii_case("plpgsql")) {
        return None;
    }
    // Nested dollar quotes are nested bodies or dynamic SQL: not read.
    if body.contains('$') {
        return None;
    }
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, body).tokenize().ok()?;
    let mut reader = Body {
        tokens: &tokens,
        at: 0,
        kinds: Vec::new(),
        conditional: false,
    };
    reader.block(0, false)?;
    while reader.eat_semicolon() {}
    if reader.peek().is_some() {
        return None;
    }
    if reader.kinds.is_empty() {
        reader.kinds.push(OpKind::NoEffect {
            what: "DO (empty block)".to_string(),
        });
    }
    Some((reader.kinds, reader.conditional))
}

/// A cursor over the body's tokens, collecting what its statements do.
struct Body<'a> {
    tokens: &'a [Token],
    at: usize,
    kinds: Vec<OpKind>,
    /// Some statement was read from a branch or a handler.
    conditional: bool,
}

impl Body<'_> {
    /// The next token that is not whitespace or a comment.
    fn peek(&mut self) -> Option<&Token> {
        while matches!(self.tokens.get(self.at), Some(Token::Whitespace(_))) {
            self.at += 1;
        }
        self.tokens.get(self.at)
    }

    /// The next token as an unquoted word, upper-cased.
    fn peek_word(&mut self) -> Option<String> {
        match self.peek()? {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        }
    }

    fn eat(&mut self, word: &str) -> bool {
        let found = self.peek_word().is_some_and(|w| w == word);
        if found {
            self.at += 1;
        }
        found
    }

    fn eat_semicolon(&mut self) -> bool {
        let found = matches!(self.peek(), Some(Token::SemiColon));
        if found {
            self.at += 1;
        }
        found
    }

    /// Moves past the next `;`; `None` at the end of the body.
    fn skip_statement(&mut self) -> Option<()> {
        loop {
            match self.tokens.get(self.at)? {
                Token::SemiColon => break,
                _ => self.at += 1,
            }
        }
        self.at += 1;
        Some(())
    }

    /// Moves past the `THEN` that ends a condition; `None` at a `;` or the end of the body.
    fn skip_condition(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                Token::SemiColon => return None,
                Token::LParen => depth += 1,
                Token::RParen => depth = depth.checked_sub(1)?,
                Token::Word(w)
                    if depth == 0 && w.quote_style.is_none() && w.value.eq_ignore_ascii_case("THEN") =>
                {
                    self.at += 1;
                    return Some(());
                }
                _ => {}
            }
            self.at += 1;
        }
    }

    /// `[DECLARE declarations] BEGIN statements [EXCEPTION handlers] END`.
    fn block(&mut self, depth: usize, conditional: bool) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        if self.eat("DECLARE") {
            while !self.eat("BEGIN") {
                let start = self.at;
                self.skip_statement()?;
                let declaration = self.tokens.get(start..self.at)?;
                if declaration.iter().any(|t| is_kw(Some(&t), "CURSOR") || is_kw(Some(&t), "ALIAS")) {
                    return None;
                }
            }
        } else if !self.eat("BEGIN") {
            return None;
        }
        let read_before = self.kinds.len();
        self.statements(depth, conditional, &["END", "EXCEPTION"])?;
        if self.eat("EXCEPTION") {
            // An error rolls the block's statements back and the handler goes on: they may
            // not have run.
            self.conditional |= self.kinds.len() > read_before;
            while self.eat("WHEN") {
                self.skip_condition()?;
                self.statements(depth + 1, true, &["WHEN", "END"])?;
            }
        }
        self.eat("END").then_some(())
    }

    /// Statements up to (not past) one of the words in `ends`.
    fn statements(&mut self, depth: usize, conditional: bool, ends: &[&str]) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        loop {
            let word = self.peek_word()?;
            if ends.contains(&word.as_str()) {
                return Some(());
            }
            match word.as_str() {
                "IF" => {
                    self.at += 1;
                    self.skip_condition()?;
                    self.statements(depth + 1, true, &["ELSIF", "ELSE", "END"])?;
                    while self.eat("ELSIF") {
                        self.skip_condition()?;
                        self.statements(depth + 1, true, &["ELSIF", "ELSE", "END"])?;
                    }
                    if self.eat("ELSE") {
                        self.statements(depth + 1, true, &["END"])?;
                    }
                    if !(self.eat("END") && self.eat("IF") && self.eat_semicolon()) {
                        return None;
                    }
                }
                "BEGIN" | "DECLARE" => {
                    self.block(depth + 1, conditional)?;
                    if !self.eat_semicolon() {
                        return None;
                    }
                }
                "RAISE" | "NULL" => self.skip_statement()?,
                _ if UNREAD.contains(&word.as_str()) => return None,
                _ => {
                    let start = self.at;
                    self.at += 1;
                    if matches!(self.peek(), Some(Token::Eq | Token::Assignment)) {
                        // An assignment to a variable: no schema effect of its own.
                        self.skip_statement()?;
                        continue;
                    }
                    self.at = start;
                    self.sql(&word, conditional)?;
                }
            }
        }
    }

    /// One SQL statement (`PERFORM` as `SELECT`), read by the SQL reader.
    fn sql(&mut self, first: &str, conditional: bool) -> Option<()> {
        let start = self.at;
        self.skip_statement()?;
        let tokens = self.tokens.get(start..self.at)?;
        // `SELECT ... INTO variable` and `RETURNING ... INTO variable` store into variables,
        // which the SQL reader would take for a new table.
        let intos = tokens.iter().filter(|t| is_kw(Some(t), "INTO")).count();
        let allowed = usize::from(matches!(first, "INSERT" | "MERGE"));
        if intos > allowed {
            return None;
        }
        let mut text: String = tokens.iter().map(|t| t.to_string()).collect();
        if first == "PERFORM" {
            text = text.trim_start().get(7..).map(|rest| format!("SELECT{rest}"))?;
        }
        for op in super::lower_sql(&text, Dialect::Postgres) {
            if matches!(op.kind, OpKind::Unreadable { .. } | OpKind::Unsupported { .. }) {
                return None;
            }
            self.conditional |= conditional;
            self.kinds.push(op.kind);
        }
        Some(())
    }
}
