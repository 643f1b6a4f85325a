//! Shared helpers for the compiler's snapshot tests: run a stage on a source
//! text and render the source, the stage's output and its diagnostics
//! (colour off) into one snapshot string.

#![allow(dead_code)] // each test binary uses a subset of the helpers

use avm_compiler::diagnostics::render::{ColorChoice, render_all};
use avm_compiler::syntax::lexer::lex;
use avm_compiler::syntax::pretty::print_module;
use avm_compiler::syntax::span::SourceMap;
use avm_compiler::syntax::{Completeness, parse};

fn source_block(src: &str) -> String {
    let mut out = String::from("--- source ---\n");
    out.push_str(src);
    if !src.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Source, the AST (if any) and the rendered diagnostics.
pub fn parse_snapshot(src: &str) -> String {
    let mut map = SourceMap::new();
    let file = map.add("test.avm", src);
    let result = parse(file, src);
    let mut out = source_block(src);
    out.push_str("--- ast ---\n");
    match &result.module {
        Some(m) => out.push_str(&print_module(m)),
        None => out.push_str("(none)\n"),
    }
    if result.completeness == Completeness::Incomplete {
        out.push_str("--- incomplete ---\n");
    }
    out.push_str("--- diagnostics ---\n");
    out.push_str(&render_all(&result.diagnostics, &map, ColorChoice::Off));
    out
}

/// Source, the parser's token stream and the rendered lexical diagnostics.
pub fn lex_snapshot(src: &str) -> String {
    let mut map = SourceMap::new();
    let file = map.add("test.avm", src);
    let lexed = lex(file, src);
    let mut out = source_block(src);
    out.push_str("--- tokens ---\n");
    for (lo, tok, hi) in &lexed.tokens {
        let shown = match tok {
            avm_compiler::syntax::token::Token::Str(i) => {
                format!(
                    "string {:?}",
                    lexed.strings.get(*i as usize).cloned().unwrap_or_default()
                )
            }
            avm_compiler::syntax::token::Token::Semi if lo == hi => "; (inserted)".to_string(),
            other => other.describe(),
        };
        out.push_str(&format!("{lo}..{hi} {shown}\n"));
    }
    if !lexed.docs.is_empty() {
        out.push_str("--- docs ---\n");
        let mut docs: Vec<_> = lexed.docs.iter().collect();
        docs.sort_by_key(|(k, _)| **k);
        for (at, doc) in docs {
            out.push_str(&format!("before {at}: {:?}\n", doc.text));
        }
    }
    out.push_str("--- diagnostics ---\n");
    out.push_str(&render_all(&lexed.diagnostics, &map, ColorChoice::Off));
    out
}
