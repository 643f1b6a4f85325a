//! The syntax stage: source text to AST.
//!
//! [`span`] (positions and the source map), [`token`] (logos tokens),
//! [`lexer`] (the token adapter: `;` insertion, literal decoding) with
//! [`soft_keywords`] (which words are keywords where),
//! [`ast`] (the tree), the generated LALR parser (`grammar.lalrpop`) with
//! its node [`builder`] and nesting limit ([`depth`]), [`mod@parse`] (the entry
//! points [`parse()`] and [`parse_repl()`]) with syntax-error translation
//! ([`parse_error`]), and two printers: [`pretty`] (indented tree, for
//! `--emit ast`) and [`source_printer`] (back to source text).

pub mod ast;
pub mod builder;
pub mod depth;
pub mod lexer;
pub mod soft_keywords;
pub mod span;
pub mod token;

lalrpop_util::lalrpop_mod!(
    #[allow(
        clippy::all,
        clippy::pedantic,
        unused_parens,
        unused_imports,
        dead_code
    )]
    grammar,
    "/syntax/grammar.rs"
);
pub mod parse;
pub mod parse_error;
pub mod pretty;
pub mod source_printer;

pub use builder::ReplEntry;
pub use parse::{Completeness, ParseResult, ReplParseResult, parse, parse_repl};
