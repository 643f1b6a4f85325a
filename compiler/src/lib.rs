//! `avm-compiler`: the AVM language compiler.
//!
//! Takes `.avm` source text (the library does no IO) and produces an AST,
//! diagnostics, and (in later stages) typed terms and Tape IR.
//! Stages: [`syntax`] (lexer, parser, AST), [`diagnostics`] (the one
//! `Diagnostic` type, the code registry, rendering).

pub mod diagnostics;
pub mod itree;
pub mod pipeline;
pub mod resolve;
pub mod syntax;
pub mod tape;
pub mod typeck;
pub mod value_text;
