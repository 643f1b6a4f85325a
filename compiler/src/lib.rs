//! `avm-compiler`: the AVM language compiler.
//!
//! Takes `.avm` source text (the library does no IO) and produces an AST,
//! diagnostics, and Tape IR. Stages: [`syntax`] (lexer, parser, AST),
//! [`diagnostics`] (the one `Diagnostic` type, the code registry, rendering),
//! [`tape`] (lowering of ITree terms to Tape IR).

pub mod diagnostics;
pub mod syntax;
pub mod tape;
