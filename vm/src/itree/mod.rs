//! ITree terms and the reference interpreter.
//!
//! `term` defines first-order, printable interaction-tree terms (`Term`, `Expr`, `Pattern`,
//! `Instr`) and `Program`; `builder` gives tests and the compiler a compact way to write them;
//! `display` prints them; `resolve` turns a program into the form the interpreter runs
//! (`code`: variables as frame slots); `eval` evaluates resolved expressions and patterns;
//! `interp` runs a program against a `World` with heap-allocated frames, fuel and a call-depth
//! limit, `node` runs one resolved node, `instr` executes its instructions and `stacks` keeps a
//! finished run's stacks for the next.

pub mod builder;
mod code;
pub mod display;
pub mod eval;
mod instr;
pub mod interp;
mod node;
mod resolve;
mod scope;
mod stacks;
#[cfg(test)]
mod step_tests;
pub mod term;

pub use interp::{Interp, Limits, RunConfig, RunResult, Status, run};
pub use term::{
    Arm, Behaviour, BinOp, Builtin, Expr, FnKind, Function, Instr, Name, Pattern, Predicate,
    Program, Term, UnOp,
};
