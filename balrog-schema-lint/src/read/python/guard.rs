//! Protection against deeply nested input.
//!
//! The parser itself survives any nesting (it grows its stack on the heap), and the reader
//! bounds its own recursion. What remains is dropping the syntax tree: its destructor
//! recurses once per nesting level and would overflow a normal thread stack on input such
//! as 100,000 nested brackets. A tree's depth is bounded by the number of tokens in one
//! logical line plus the indentation depth, so when that bound is large the tree is leaked
//! instead of dropped. This only happens for pathological files, and leaks only their tree.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::ModModule;
use ruff_python_parser::Parsed;

/// Deepest tree (by the bound above) that is dropped normally. Far below what overflows a
/// 2 MiB stack, far above what real migrations reach (a few hundred).
const SAFE_DROP_DEPTH: usize = 2_000;

/// An upper bound of the syntax tree's depth, from the tokens.
pub(crate) fn depth_bound(parsed: &Parsed<ModModule>) -> usize {
    let mut worst = 0usize;
    let mut in_line = 0usize;
    let mut indent = 0usize;
    for token in parsed.tokens().iter() {
        match token.kind() {
            TokenKind::Newline => {
                worst = worst.max(in_line + 4 * indent);
                in_line = 0;
            }
            TokenKind::Indent => indent += 1,
            TokenKind::Dedent => indent = indent.saturating_sub(1),
            TokenKind::Comment | TokenKind::NonLogicalNewline => {}
            _ => in_line += 1,
        }
    }
    worst.max(in_line + 4 * indent)
}

/// Drops a parse result, or leaks it when its tree may be too deep to drop safely.
pub(crate) fn dispose(parsed: Parsed<ModModule>) {
    if depth_bound(&parsed) > SAFE_DROP_DEPTH {
        std::mem::forget(parsed);
    } else {
        drop(parsed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_ast::PySourceType;

    fn bound(src: &str) -> usize {
        let parsed = ruff_python_parser::parse_unchecked_source(src, PySourceType::Python);
        let b = depth_bound(&parsed);
        dispose(parsed);
        b
    }

    #[test]
    fn bound_grows_with_tokens_per_line_and_indentation() {
        assert!(bound("x = 1\n") < 10);
        let deep = format!("x = {}1{}\n", "(".repeat(3000), ")".repeat(3000));
        assert!(bound(&deep) > SAFE_DROP_DEPTH);
        let nested = "if a:\n    if b:\n        pass\n";
        assert!(bound(nested) >= 8);
    }
}
