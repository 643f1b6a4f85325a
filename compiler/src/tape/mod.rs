//! Lowering typed ITree terms to the flat register Tape IR.
//!
//! Takes an [`avm_vm::itree::Program`]; produces an [`avm_vm::tape::Program`] that the Tape
//! verifier accepts and that, run by the Tape interpreter, gives the same result, store and
//! trace as the ITree interpreter. Entry point: [`lower`]. The work is split by concern:
//! `lower` (the program: function table, behaviours, entry, predicates), `term` (control flow:
//! `Let`/`Bind`/`If`/`Call`/`Fail`, tail calls), `expr` (effect-free expressions),
//! `patterns` (`match` decision code), `effects` (AVM instructions and state fields) and
//! `regalloc` (the registers), `liveness` (the reads left of each variable, to free a
//! binding's register after its last use) and `env` (the bindings in scope).
//!
//! Conventions the runner must know:
//! - ITree functions keep their names, so the pure-function registry (which stores function
//!   names) resolves to Tape functions by name; the ITree program's initial
//!   `pure_registry` is not part of the Tape program and is installed into the `World` by the
//!   runner, exactly as `itree::Interp::new` does.
//! - A behaviour `B` becomes the dispatch function `B.dispatch` (its body reads the message
//!   with `fx.input`, like the ITree body) returning the behaviour's output list unchanged.
//! - `scryMeta` / `scryDeep` predicates become pure functions `<owner>.pred<k>` with 1 / 2
//!   parameters (behaviour name, metadata record), as the ITree interpreter binds them.

pub mod effects;
pub mod env;
pub mod error;
pub mod expr;
pub mod liveness;
pub mod lower;
pub mod patterns;
pub mod regalloc;
pub mod term;

pub use error::{LowerError, LowerErrorKind};
pub use lower::lower;
