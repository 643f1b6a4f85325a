//! The parser entry point: source text to [`Module`] plus diagnostics.
//!
//! Takes a [`FileId`] and the file's text (no IO); produces a
//! [`ParseResult`]: the module (with `Error` nodes where the parser recovered),
//! every lexical and syntax diagnostic in source order, and whether the only
//! problem is that the input ended too early ([`Completeness::Incomplete`],
//! which the REPL uses to keep reading lines).

use std::collections::HashSet;

use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::ast::Module;
use crate::syntax::builder::AstBuilder;
use lalrpop_util::ParseError;

use crate::syntax::builder::ReplEntry;
use crate::syntax::grammar::{ModuleParser, ReplParser};
use crate::syntax::lexer::{Spanned, lex};
use crate::syntax::parse_error::{TokenIndex, translate};
use crate::syntax::span::{FileId, Span};
use crate::syntax::token::{LexErrorKind, Token};

/// Whether the input was complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    /// Parsed to the end (possibly with errors).
    Complete,
    /// Every error is "the input ended too early" (unclosed delimiter,
    /// unterminated string or comment): more lines may complete it.
    Incomplete,
}

/// The outcome of [`parse`].
#[derive(Debug, Clone, PartialEq)]
pub struct ParseResult {
    /// `None` only when the parser could not recover at all.
    pub module: Option<Module>,
    pub diagnostics: Vec<Diagnostic>,
    pub completeness: Completeness,
}

impl ParseResult {
    pub fn has_errors(&self) -> bool {
        crate::diagnostics::has_errors(&self.diagnostics)
    }
}

/// The outcome of [`parse_repl`]: REPL input may mix items and statements.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplParseResult {
    /// `None` only when the parser could not recover at all.
    pub entries: Option<Vec<ReplEntry>>,
    pub diagnostics: Vec<Diagnostic>,
    pub completeness: Completeness,
    /// One past the largest node id used.
    pub node_count: u32,
}

/// Parses one file.
pub fn parse(file: FileId, text: &str) -> ParseResult {
    let (items, diagnostics, completeness, node_count) =
        run_parser(file, text, |builder, tokens| {
            ModuleParser::new().parse(builder, tokens)
        });
    ParseResult {
        module: items.map(|items| Module {
            file,
            items,
            span: Span::new(0, text.len()),
            node_count,
        }),
        diagnostics,
        completeness,
    }
}

/// Parses REPL input: declarations and statements in any order (for
/// example `fn f() -> Int { 1 }` followed by `f() + 1`). The REPL keeps
/// reading lines while the result is [`Completeness::Incomplete`].
pub fn parse_repl(file: FileId, text: &str) -> ReplParseResult {
    let (entries, diagnostics, completeness, node_count) =
        run_parser(file, text, |builder, tokens| {
            ReplParser::new().parse(builder, tokens)
        });
    ReplParseResult {
        entries,
        diagnostics,
        completeness,
        node_count,
    }
}

type TokenStream<'a> = std::iter::Map<
    std::vec::IntoIter<Spanned<'a>>,
    fn(Spanned<'a>) -> Result<Spanned<'a>, LexErrorKind>,
>;

/// Lexes, runs one of the generated parsers, and turns every problem into
/// diagnostics (sorted by position).
fn run_parser<'a, T>(
    file: FileId,
    text: &'a str,
    parser: impl FnOnce(
        &mut AstBuilder<'a>,
        TokenStream<'a>,
    ) -> Result<T, ParseError<usize, Token<'a>, LexErrorKind>>,
) -> (Option<T>, Vec<Diagnostic>, Completeness, u32) {
    let mut lexed = lex(file, text);
    let mut diagnostics = std::mem::take(&mut lexed.diagnostics);
    let mut builder = AstBuilder::new(
        file,
        std::mem::take(&mut lexed.docs),
        std::mem::take(&mut lexed.strings),
    );
    let ok: fn(Spanned<'a>) -> Result<Spanned<'a>, LexErrorKind> = Ok;
    // The parser consumes the tokens; on a syntax error they are lexed again
    // for the error translation (errors are the rare, slow path).
    let tokens: TokenStream<'a> = std::mem::take(&mut lexed.tokens).into_iter().map(ok);
    let result = parser(&mut builder, tokens);

    // Positions already reported (mismatched delimiters from the lexer, or an
    // earlier syntax error): a second complaint at the same token repeats it.
    let mut reported_at: HashSet<u32> = diagnostics
        .iter()
        .filter(|d| d.code == Code::E0203)
        .map(|d| d.primary.span.start)
        .collect();
    let syntax_failed = result.is_err() || !builder.recovered.is_empty();
    let relexed = if syntax_failed {
        lex(file, text).tokens
    } else {
        Vec::new()
    };
    let index = TokenIndex::new(&relexed);
    let mut syntax = Vec::new();
    let mut push = |d: Diagnostic, syntax: &mut Vec<Diagnostic>| {
        if reported_at.insert(d.primary.span.start) {
            syntax.push(d);
        }
    };
    // When recovery skipped over an opening delimiter, the parser loses
    // track of nesting and the next error is usually a consequence of the
    // first: it is not reported.
    let mut skip_next = false;
    for recovered in std::mem::take(&mut builder.recovered) {
        if skip_next {
            skip_next = false;
            continue;
        }
        let d = translate(file, &index, &lexed.unclosed, lexed.eof, &recovered.error);
        push(d, &mut syntax);
        skip_next = opens_more_than_closes(&recovered.dropped_tokens);
    }
    let value = match result {
        Ok(value) => Some(value),
        Err(error) => {
            if !skip_next {
                let d = translate(file, &index, &lexed.unclosed, lexed.eof, &error);
                push(d, &mut syntax);
            }
            None
        }
    };
    builder.finish();
    // An unterminated string or block comment runs to the end of the file, so an "unexpected
    // end of file" after it is its consequence, not a second problem.
    if diagnostics
        .iter()
        .any(|d| d.code == Code::E0102 || d.code == Code::E0105)
    {
        syntax.retain(|d| d.code != Code::E0202);
    }
    diagnostics.extend(syntax);
    diagnostics.append(&mut builder.diagnostics);
    diagnostics.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));

    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    let completeness = if !errors.is_empty()
        && errors
            .iter()
            .all(|d| matches!(d.code, Code::E0202 | Code::E0102 | Code::E0105))
    {
        Completeness::Incomplete
    } else {
        Completeness::Complete
    };
    (value, diagnostics, completeness, builder.node_count())
}

/// Whether a run of skipped tokens opened more delimiters than it closed.
fn opens_more_than_closes(tokens: &[(usize, Token<'_>, usize)]) -> bool {
    let mut depth: i64 = 0;
    for (_, tok, _) in tokens {
        match tok {
            Token::LParen | Token::LBracket | Token::LBrace => depth += 1,
            Token::RParen | Token::RBracket | Token::RBrace => depth -= 1,
            _ => {}
        }
    }
    depth > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn completeness(src: &str) -> Completeness {
        parse(FileId(0), src).completeness
    }

    #[test]
    fn input_that_ends_too_early_is_incomplete() {
        assert_eq!(
            completeness("fn main() {\n  if x {\n"),
            Completeness::Incomplete
        );
        assert_eq!(
            completeness("fn main() { print(1,"),
            Completeness::Incomplete
        );
        assert_eq!(completeness("fn main() { \"abc"), Completeness::Incomplete);
        assert_eq!(
            completeness("fn main() { /* open"),
            Completeness::Incomplete
        );
        assert_eq!(completeness("fn main() { 1 + "), Completeness::Incomplete);
    }

    #[test]
    fn real_errors_and_valid_input_are_complete() {
        assert_eq!(completeness("fn main() { 1 }"), Completeness::Complete);
        assert_eq!(completeness("fn main() { let = }"), Completeness::Complete);
        assert_eq!(completeness("fn main() { $ "), Completeness::Complete);
        assert_eq!(completeness("fn main() { ) "), Completeness::Complete);
    }

    #[test]
    fn repl_input_mixes_items_and_statements() {
        let r = parse_repl(FileId(0), "fn f() -> Int { 1 }\nlet x = f()\nx + 1");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let entries = r.entries.expect("parses");
        assert_eq!(entries.len(), 3);
        assert!(matches!(entries[0], ReplEntry::Item(_)));
        assert!(matches!(entries[2], ReplEntry::Stmt(_)));
        let open = parse_repl(FileId(0), "fn f() {\n  1");
        assert_eq!(open.completeness, Completeness::Incomplete);
    }

    #[test]
    fn node_ids_are_dense_and_unique() {
        let result = parse(FileId(0), "fn f(a: Int) -> Int { let b = a + 1; b }");
        let module = result.module.expect("parses");
        // params, types, patterns, exprs, stmts, block, fn and item all get ids.
        assert!(module.node_count >= 10);
        let crate::syntax::ast::ItemKind::Fn(f) = &module.items[0].kind else {
            panic!("expected a function");
        };
        assert!(f.id.0 < module.node_count);
        assert!(module.items[0].id.0 == module.node_count - 1);
    }
}
