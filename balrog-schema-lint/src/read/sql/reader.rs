//! Splits a SQL file into statements with one parser over the whole token stream.
//!
//! One parser (rather than one per statement) lets sqlparser decide where a statement ends,
//! which keeps `BEGIN ... END` trigger bodies whole; `$$` bodies are single tokens anyway.
//! After a parse error the reader skips to the next top-level `;` and carries on, so one bad
//! statement never hides the rest of the file.

use sqlparser::ast::Statement;
use sqlparser::dialect::{
    Dialect as SqlDialect, GenericDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect,
};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer, Whitespace};

use super::delimiter;
use crate::model::ops::Dialect;

#[cfg(test)]
thread_local! {
    /// Tokens [`statement_end`] has examined on this thread: the tests measure with it that
    /// recovery stays linear in the size of the file.
    pub(crate) static TOKENS_SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// What the parser made of one statement.
pub(crate) enum Outcome {
    /// Parsed.
    Parsed(Box<Statement>),
    /// Rejected by the parser, with its (cleaned) message.
    Failed(String),
}

/// One statement of a file.
pub(crate) struct RawStatement<'p, 'd, 's> {
    /// 1-based line of the statement's first token.
    pub line: u32,
    /// The statement text from its first to its last token.
    pub text: &'s str,
    /// What the parser made of it.
    pub outcome: Outcome,
    parser: Option<&'p Parser<'d>>,
    first: usize,
    last: usize,
}

impl RawStatement<'_, '_, '_> {
    /// The statement's first `limit` tokens, without whitespace and comments, for the
    /// small recognisers.
    pub fn tokens(&self, limit: usize) -> Vec<&Token> {
        let Some(parser) = self.parser else {
            return Vec::new();
        };
        (self.first..=self.last)
            .map(|i| &parser.token_at(i).token)
            .filter(|t| !matches!(t, Token::Whitespace(_)))
            .take(limit)
            .collect()
    }
}

pub(super) fn sql_dialect(dialect: Dialect) -> &'static dyn SqlDialect {
    match dialect {
        Dialect::Mysql => &MySqlDialect {},
        Dialect::Postgres => &PostgreSqlDialect {},
        Dialect::Sqlite => &SQLiteDialect {},
        Dialect::Generic => &GenericDialect {},
    }
}

/// Calls `each` with every statement of `sql`, in order.
pub(crate) fn read_statements(
    sql: &str,
    dialect: Dialect,
    mut each: impl FnMut(RawStatement<'_, '_, '_>),
) {
    let prepared = if dialect == Dialect::Mysql {
        delimiter::rewrite_delimiters(sql)
    } else {
        std::borrow::Cow::Borrowed(sql)
    };
    let text: &str = &prepared;
    let sql_dialect = sql_dialect(dialect);

    // The leading whitespace token keeps the parser's index above zero, which makes
    // `get_current_index() + 1` its exact position (see `position`).
    let mut tokens = vec![TokenWithSpan::wrap(Token::Whitespace(Whitespace::Space))];
    let tokenized = Tokenizer::new(sql_dialect, text).tokenize_with_location_into_buf(&mut tokens);
    let mut positions = Positions::new(text);

    // On a tokenizer error the tokens read so far are kept up to the last `;`; the rest of
    // the file becomes one unreadable statement.
    let mut tail: Option<(Location, String)> = None;
    if let Err(err) = tokenized {
        let cut = tokens
            .iter()
            .rposition(|t| t.token == Token::SemiColon)
            .map_or(1, |i| i + 1);
        let tail_start = tokens
            .get(cut..)
            .unwrap_or_default()
            .iter()
            .find(|t| !matches!(t.token, Token::Whitespace(_)))
            .map_or(err.location, |t| t.span.start);
        tokens.truncate(cut);
        tail = Some((tail_start, err.to_string()));
    }
    let token_count = tokens.len();

    let mut block_budget = token_count.saturating_mul(2).saturating_add(10_000);
    let mut parser = Parser::new(sql_dialect).with_tokens_with_locations(tokens);
    loop {
        while parser.consume_token(&Token::SemiColon) {}
        if parser.peek_token_ref().token == Token::EOF {
            break;
        }
        parser.advance_token();
        let first = parser.get_current_index();
        parser.prev_token();
        let start_loc = parser.token_at(first).span.start;

        let parsed = parser.parse_statement();
        let outcome = match parsed {
            Ok(statement) => match &parser.peek_token_ref().token {
                Token::SemiColon | Token::EOF => Ok(statement),
                _ => {
                    let found = parser.peek_token_ref();
                    Err(format!(
                        "Expected: end of statement, found: {}{}",
                        found.token, found.span.start
                    ))
                }
            },
            Err(err) => Err(clean_error(&err)),
        };
        let (outcome, last) = match outcome {
            Ok(statement) => {
                let end = position(&parser);
                let last = last_solid(&parser, first, end);
                (Outcome::Parsed(Box::new(statement)), last)
            }
            Err(message) => {
                let semi = statement_end(&parser, first, token_count, &mut block_budget);
                let last = last_solid(&parser, first, semi);
                seek(&mut parser, (semi + 1).min(token_count));
                (Outcome::Failed(message), last)
            }
        };
        // A dialect hook that succeeds without reading anything must not stall the loop.
        if position(&parser) <= first {
            seek(&mut parser, first + 1);
        }
        let start = positions.byte_at(start_loc);
        let end = positions.byte_at(parser.token_at(last).span.end);
        each(RawStatement {
            line: line_of(start_loc),
            text: text.get(start..end).unwrap_or_default(),
            outcome,
            parser: Some(&parser),
            first,
            last,
        });
    }

    if let Some((loc, message)) = tail {
        let start = positions.byte_at(loc);
        each(RawStatement {
            line: line_of(loc),
            text: text.get(start..).unwrap_or_default().trim_end(),
            outcome: Outcome::Failed(message),
            parser: None,
            first: 0,
            last: 0,
        });
    }
}

fn line_of(loc: Location) -> u32 {
    u32::try_from(loc.line).unwrap_or(u32::MAX)
}

fn clean_error(err: &ParserError) -> String {
    match err {
        ParserError::TokenizerError(s) | ParserError::ParserError(s) => s.clone(),
        ParserError::RecursionLimitExceeded => {
            "statement nested too deeply (parser recursion limit exceeded)".to_string()
        }
    }
}

/// The parser's exact index: the token it reads next. Exact because index 0 is never the
/// current position once the first token has been read (the leading whitespace token).
fn position(parser: &Parser<'_>) -> usize {
    parser.get_current_index() + 1
}

/// Moves the parser so that it reads `target` next.
fn seek(parser: &mut Parser<'_>, target: usize) {
    // `prev_token` stops on a token that is not whitespace; the `;` before `target` (or the
    // statement's first token) bounds it, so it never walks off the front.
    while position(parser) > target && position(parser) > 1 {
        parser.prev_token();
    }
    while position(parser) < target {
        if parser.next_token_no_skip().is_none() {
            break;
        }
    }
}

/// The last token in `first..end` that is not whitespace or the end of input (`first`
/// itself at worst).
fn last_solid(parser: &Parser<'_>, first: usize, end: usize) -> usize {
    (first..end)
        .rev()
        .find(|&i| !matches!(parser.token_at(i).token, Token::Whitespace(_) | Token::EOF))
        .unwrap_or(first)
}

/// Index of the `;` ending the statement that starts at `first`, or `count` (end of input).
///
/// `;` inside `BEGIN ... END` (MySQL trigger and procedure bodies) does not end the
/// statement; if the blocks never balance, the first `;` does.
///
/// `budget` bounds the tokens scanned past a first `;` over the whole file: a file full of
/// unbalanced blocks would otherwise be scanned to its end once per statement.
fn statement_end(parser: &Parser<'_>, first: usize, count: usize, budget: &mut usize) -> usize {
    let blocks_allowed = *budget > 0
        && matches!(
            &parser.token_at(first).token,
            Token::Word(w) if matches!(w.keyword, Keyword::CREATE | Keyword::ALTER)
        );
    let mut first_semi = None;
    let mut depth = 0usize;
    let mut i = first;
    while i < count {
        #[cfg(test)]
        TOKENS_SCANNED.with(|scanned| scanned.set(scanned.get() + 1));
        if first_semi.is_some() {
            if *budget == 0 {
                break;
            }
            *budget -= 1;
        }
        match &parser.token_at(i).token {
            Token::SemiColon => {
                if depth == 0 || !blocks_allowed {
                    return i;
                }
                first_semi.get_or_insert(i);
            }
            Token::Word(w) if blocks_allowed => match w.keyword {
                Keyword::BEGIN | Keyword::CASE => depth += 1,
                Keyword::END => {
                    let closes_other = matches!(
                        next_solid(parser, i + 1, count),
                        Some(Token::Word(n)) if ["IF", "LOOP", "WHILE", "REPEAT"]
                            .iter()
                            .any(|k| n.value.eq_ignore_ascii_case(k))
                    );
                    if !closes_other {
                        depth = depth.saturating_sub(1);
                    }
                }
                _ => {}
            },
            Token::EOF => break,
            _ => {}
        }
        i += 1;
    }
    first_semi.unwrap_or(count)
}

fn next_solid<'p>(parser: &'p Parser<'_>, from: usize, count: usize) -> Option<&'p Token> {
    (from..count)
        .map(|i| &parser.token_at(i).token)
        .find(|t| !matches!(t, Token::Whitespace(_)))
}

/// Converts token locations (1-based line, 1-based column in characters) to byte offsets.
///
/// Requests come in increasing order, so a forward-moving cursor keeps the whole file
/// linear even when it is one very long line.
struct Positions<'s> {
    text: &'s str,
    line_starts: Vec<usize>,
    line: u64,
    col: u64,
    byte: usize,
}

impl<'s> Positions<'s> {
    fn new(text: &'s str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Positions {
            text,
            line_starts,
            line: 1,
            col: 1,
            byte: 0,
        }
    }

    fn byte_at(&mut self, loc: Location) -> usize {
        if loc.line == 0 {
            return self.byte;
        }
        if loc.line != self.line || loc.column < self.col {
            let Some(&start) = usize::try_from(loc.line - 1)
                .ok()
                .and_then(|l| self.line_starts.get(l))
            else {
                return self.text.len();
            };
            self.line = loc.line;
            self.col = 1;
            self.byte = start;
        }
        let rest = self.text.get(self.byte..).unwrap_or_default();
        for ch in rest.chars() {
            if self.col >= loc.column || ch == '\n' {
                break;
            }
            self.col += 1;
            self.byte += ch.len_utf8();
        }
        self.byte
    }
}
