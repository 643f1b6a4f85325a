//! `avm-compiler`: the AVM language compiler.
//!
//! Takes `.avm` source text (the library does no IO) and produces tokens, an
//! AST, a typed program, ITree terms and Tape IR, or diagnostics.
//! Stages: [`syntax`] (lexer, parser, AST), [`resolve`] (names, modules),
//! [`typeck`] (types), [`itree`] (typed AST → ITree terms), [`tape`]
//! (ITree terms → Tape IR), [`pipeline`] (the stages in order);
//! [`diagnostics`] holds the one `Diagnostic` type, the code registry and
//! rendering; [`value_text`] prints run results; [`constraints`] prints the constraint IR; [`msc`] draws a run as a sequence chart; [`repl`] is the IO-free REPL session. IO lives in the
//! `avmc` binary.

pub mod constraints;
pub mod diagnostics;
pub mod fmt;
pub mod ide;
pub mod itree;
pub mod msc;
pub mod pipeline;
pub mod repl;
pub mod resolve;
pub mod syntax;
pub mod tape;
pub mod typeck;
pub mod value_text;
