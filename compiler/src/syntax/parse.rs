//! The parser entry point: source text to [`Module`] plus diagnostics.
//!
//! Takes a [`FileId`] and the file's text (no IO); produces a
//! [`ParseResult`]: the module (with `Error` nodes where the parser recovered),
//! every lexical and syntax diagnostic in source order, and whether the only
//! problem is that the input ended too early ([`Completeness::Incomplete`],
//! which the REPL uses to keep reading lines).

use std::collections::HashSet;

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::syntax::ast::Module;
use crate::syntax::builder::AstBuilder;
use lalrpop_util::ParseError;

use crate::syntax::builder::ReplEntry;
use crate::syntax::grammar::{ModuleParser, ReplParser};
use crate::syntax::lexer::{Spanned, lex};
use crate::syntax::parse_error::{TokenIndex, translate};
use crate::syntax::span::{FileId, Span};
use crate::syntax::token::{KEYWORDS, LexErrorKind, Token};

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

type TokenStream<'t, 'a> = std::iter::Map<
    std::iter::Cloned<std::slice::Iter<'t, Spanned<'a>>>,
    fn(Spanned<'a>) -> Result<Spanned<'a>, LexErrorKind>,
>;

/// How many times keywords written as names are renamed and the input parsed
/// again before the remaining errors are reported as they are.
const MAX_RENAME_ROUNDS: usize = 8;

/// Lexes, runs one of the generated parsers, and turns every problem into
/// diagnostics (sorted by position). A keyword written where a name belongs
/// is reported once (E0201) and parsed again as that name, so it causes no
/// follow-on errors.
fn run_parser<'a, T>(
    file: FileId,
    text: &'a str,
    parser: impl for<'t> Fn(
        &mut AstBuilder<'a>,
        TokenStream<'t, 'a>,
    ) -> Result<T, ParseError<usize, Token<'a>, LexErrorKind>>,
) -> (Option<T>, Vec<Diagnostic>, Completeness, u32) {
    let mut lexed = lex(file, text);
    let mut diagnostics = std::mem::take(&mut lexed.diagnostics);
    let ok: fn(Spanned<'a>) -> Result<Spanned<'a>, LexErrorKind> = Ok;
    // Keywords already reported as names: later uses of the same word are
    // read as that name without a second report.
    let mut renamed: Vec<&'static str> = Vec::new();
    let mut rounds = 0;
    let (mut builder, result) = loop {
        let mut builder = AstBuilder::new(file, lexed.docs.clone(), lexed.strings.clone());
        let result = parser(&mut builder, lexed.tokens.iter().cloned().map(ok));
        rounds += 1;
        if rounds > MAX_RENAME_ROUNDS {
            break (builder, result);
        }
        // Every keyword written as a name up to the first other error (errors after that one
        // may be its consequences) is renamed, and the input parsed again.
        let errors = builder
            .recovered
            .iter()
            .map(|r| &r.error)
            .chain(result.as_ref().err());
        let mut changed = false;
        for error in errors {
            if let Some((index, diag)) = keyword_as_name(file, &lexed.tokens, error) {
                if matches!(lexed.tokens[index].1, Token::Ident(_)) {
                    continue; // renamed earlier in this round
                }
                let word = lexed.tokens[index].1.spelling().unwrap_or("_");
                lexed.tokens[index].1 = Token::Ident(word);
                renamed.push(word);
                diagnostics.push(diag);
            } else if let Some(index) = renamed_word_near(&lexed.tokens, &renamed, error) {
                let word = lexed.tokens[index].1.spelling().unwrap_or("_");
                lexed.tokens[index].1 = Token::Ident(word);
            } else {
                break;
            }
            changed = true;
        }
        if changed {
            continue;
        }
        break (builder, result);
    };

    // Positions already reported (mismatched delimiters from the lexer, or an
    // earlier syntax error): a second complaint at the same token repeats it.
    let mut reported_at: HashSet<u32> = diagnostics
        .iter()
        .filter(|d| d.code == Code::E0203)
        .map(|d| d.primary.span.start)
        .collect();
    let index = TokenIndex::new(&lexed.tokens);
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

/// The end of the message of a keyword written as a name.
const KEYWORD_AS_NAME: &str = "is a keyword and cannot be used as a name";

/// When `error` is a keyword where a name belongs (`fn f(match: Int)`,
/// `let while = 1`, `p.if`), the index of that token and its diagnostic.
fn keyword_as_name(
    file: FileId,
    tokens: &[Spanned<'_>],
    error: &ParseError<usize, Token<'_>, LexErrorKind>,
) -> Option<(usize, Diagnostic)> {
    let ParseError::UnrecognizedToken {
        token: (lo, tok, hi),
        expected,
    } = error
    else {
        return None;
    };
    let word = tok.spelling().filter(|w| KEYWORDS.contains(w))?;
    if !expected.iter().any(|e| e == "IDENT") {
        return None;
    }
    let index = tokens.partition_point(|(start, _, _)| start < lo);
    let prev = index.checked_sub(1).map(|i| &tokens[i].1);
    let next = tokens.get(index + 1).map(|t| &t.1);
    // Only names may stand here (no literal), or the word is bound or declared.
    let names_only = !expected.iter().any(|e| e == "INT");
    let binds = matches!(
        prev,
        Some(Token::Dot | Token::Let | Token::Var | Token::For | Token::Fn | Token::ColonColon)
    );
    let declared = matches!(next, Some(Token::Colon | Token::Assign))
        && matches!(
            prev,
            Some(Token::LParen | Token::Comma | Token::LBrace | Token::Pipe | Token::Semi)
        );
    if !(names_only || binds || declared) {
        return None;
    }
    let diag = Diagnostic::new(
        Code::E0201,
        format!("`{word}` {KEYWORD_AS_NAME}"),
        Label::new(file, Span::new(*lo, *hi), "a keyword, not a name"),
    )
    .with_help(format!("rename it, e.g. `{word}_`"));
    Some((index, diag))
}

/// When `error` is at, or right after, a use of a keyword already reported
/// as a name (`fn f(match: Int) -> Int { match + 1 }`), that use's index.
fn renamed_word_near(
    tokens: &[Spanned<'_>],
    renamed: &[&str],
    error: &ParseError<usize, Token<'_>, LexErrorKind>,
) -> Option<usize> {
    let ParseError::UnrecognizedToken {
        token: (lo, _, _), ..
    } = error
    else {
        return None;
    };
    let at = tokens.partition_point(|(start, _, _)| start < lo);
    [Some(at), at.checked_sub(1)]
        .into_iter()
        .flatten()
        .find(|&i| {
            tokens
                .get(i)
                .and_then(|t| t.1.spelling())
                .is_some_and(|w| renamed.contains(&w))
        })
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
