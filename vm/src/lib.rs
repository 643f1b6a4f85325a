//! `avm-vm`: the Anoma Virtual Machine.
//!
//! Takes AVM programs (first-order ITree terms, `itree`) and a world, and runs them with the
//! semantics of every instruction family of the spec.
//!
//! - Data model: `value` (`Val`), `ids`, `meta`, `error` (`AvmError`), `trace`.
//! - Shared state: `world` (`World`: committed `store`, `pure` registry, `cluster` transport and
//!   reachability, the logical clock).
//! - One running program: `exec` (`Execution`: frame context, `tx` savepoint stack, trace).
//! - Semantics: `isa::{obj, introspect, reflect, reify, tx, pure, machine, controller}` — plain
//!   functions over `(&mut Execution, &mut World)` that every interpreter calls.
//! - `itree`: terms, builder, printer, evaluator and the reference interpreter (`itree::run`).
//! - `samples`: the spec's PingPong and Battleship (and a counter) as ITree programs.
//! - `solver`: the constraint IR of commit-time choices, its SMT-LIB translation and the
//!   `Solver` interface (`Strategy` dfs / smt / auto).
//! - `srcloc`: source locations in programs (`SrcLoc`) and the `Backtrace` of a failed run.
//! - `tape`: the Tape IR (format, verifier, text and binary forms) and the Tape interpreter
//!   (`tape::interp`).
//! - `testing` (with the `testing` feature): differential-test support (`assert_same_run`).

pub mod backing;
pub mod budget;
pub mod cluster;
pub mod error;
pub mod exec;
pub mod fd;
pub mod ids;
pub mod isa;
pub mod itree;
pub mod list;
pub mod meta;
pub mod pure;
pub mod samples;
pub mod solver;
pub mod srcloc;
pub mod stack_mark;
pub mod store;
pub mod tape;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod trace;
pub mod tx;
pub mod value;
pub mod world;
