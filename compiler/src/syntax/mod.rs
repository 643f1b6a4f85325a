//! The syntax stage: source text to AST.
//!
//! [`span`] (positions and the source map), [`ast`] (the tree).

pub mod ast;
pub mod span;
