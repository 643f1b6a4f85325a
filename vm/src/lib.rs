//! `avm-vm`: the Anoma Virtual Machine.
//!
//! The data model (`value`, `ids`, `meta`, `store`, `error`, `trace`), the world shared by
//! executions (`world`, `cluster`, `pure`), the execution state with its transaction overlay,
//! the instruction semantics (`isa`), the ITree terms and reference interpreter (`itree`), and the
//! Tape IR and its interpreter (`tape`), and differential-test support (`testing`, with the
//! `testing` feature).

pub mod cluster;
pub mod error;
pub mod exec;
pub mod fd;
pub mod ids;
pub mod isa;
pub mod itree;
pub mod meta;
pub mod pure;
pub mod samples;
pub mod store;
pub mod tape;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod trace;
pub mod tx;
pub mod value;
pub mod world;
