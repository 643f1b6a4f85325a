//! The parser entry point: source text to [`Module`] plus diagnostics.
//!
//! Takes a [`FileId`] and the file's text (no IO); produces a
//! [`ParseResult`]: the module (with `Error` nodes where the parser recovered),
//! every lexical and syntax diagnostic in source order, and whether the only
//! problem is that the input ended too early ([`Completeness::Incomplete`],
//! which the REPL uses to keep reading lines).

use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::ast::Module;
use crate::syntax::builder::AstBuilder;
use crate::syntax::grammar::ModuleParser;
use crate::syntax::lexer::lex;
use crate::syntax::parse_error::translate;
use crate::syntax::span::{FileId, Span};
use crate::syntax::token::Token;

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

/// Parses one file.
pub fn parse(file: FileId, text: &str) -> ParseResult {
    let lexed = lex(file, text);
    let mut diagnostics = lexed.diagnostics.clone();
    let mut builder = AstBuilder::new(file, lexed.docs.clone(), lexed.strings.clone());
    let tokens = lexed.tokens.iter().cloned().map(Ok::<_, _>);
    let result = ModuleParser::new().parse(&mut builder, tokens);

    // Positions already reported as mismatched delimiters: the parser's
    // complaint at the same token would repeat them.
    let delimiter_errors: Vec<u32> = diagnostics
        .iter()
        .filter(|d| d.code == Code::E0203)
        .map(|d| d.primary.span.start)
        .collect();
    let mut syntax = Vec::new();
    let push = |d: Diagnostic, syntax: &mut Vec<Diagnostic>| {
        let start = d.primary.span.start;
        if !delimiter_errors.contains(&start)
            && !syntax
                .iter()
                .any(|s: &Diagnostic| s.primary.span.start == start)
        {
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
        let d = translate(
            file,
            &lexed.tokens,
            &lexed.unclosed,
            lexed.eof,
            &recovered.error,
        );
        push(d, &mut syntax);
        skip_next = opens_more_than_closes(&recovered.dropped_tokens);
    }
    let module = match result {
        Ok(items) => Some(Module {
            file,
            items,
            span: Span::new(0, text.len()),
            node_count: builder.node_count(),
        }),
        Err(error) => {
            if !skip_next {
                let d = translate(file, &lexed.tokens, &lexed.unclosed, lexed.eof, &error);
                push(d, &mut syntax);
            }
            None
        }
    };
    builder.finish();
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
    ParseResult {
        module,
        diagnostics,
        completeness,
    }
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
