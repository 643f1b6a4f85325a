//! ITree terms and the reference interpreter.
//!
//! `term` defines first-order, printable interaction-tree terms (`Term`, `Expr`, `Pattern`,
//! `Instr`) and `Program`; `builder` gives tests and the compiler a compact way to write them;
//! `display` prints them; `eval` evaluates pure expressions and patterns; `interp` runs a program
//! against a `World` with heap-allocated frames, fuel and a call-depth limit.

pub mod builder;
pub mod display;
pub mod eval;
pub mod interp;
pub mod term;

pub use interp::{Interp, Limits, RunConfig, RunResult, Status, run};
pub use term::{
    Arm, Behaviour, BinOp, Builtin, Expr, FnKind, Function, Instr, Name, Pattern, Predicate,
    Program, Term, UnOp,
};
