//! The Tape interpreter: a register VM that runs verified Tape programs.
//!
//! Takes a `tape::Program` (verified and loaded into an [`Image`] by [`Image::load`]), a
//! `World` and a [`RunConfig`]; produces the ITree interpreter's `RunResult` (outcome, trace,
//! steps, final context), so both engines can be compared directly. `image` prepares the
//! program, `frame` holds the run types and frame records, `machine` is the dispatch loop,
//! `data` the value ops and `effects` the AVM instructions (through `crate::isa`, shared with
//! the ITree interpreter).
//!
//! Conventions shared with the ITree interpreter: a behaviour's dispatch function returns the
//! list of outputs (`[]` = the call is rejected and the caller gets `none`, `[v, ..]` gives
//! `some(v)`), exactly like an ITree behaviour body; `callPure` of an unknown name or with the
//! wrong number of arguments gives `none`; the pure registry maps names to function names.

pub mod assign;
pub mod code;
pub mod data;
pub mod effects;
pub mod frame;
pub mod image;
pub mod live;
pub mod machine;

pub use frame::{Limits, RunConfig};
pub use image::{Image, LoadError};
pub use machine::{Buffers, Interp, run, run_with_buffers};

use crate::itree::RunResult;
use crate::tape::program::Program;
use crate::world::World;

/// Loads (verifies) and runs a program to completion.
pub fn run_program(
    program: &Program,
    world: &mut World,
    config: &RunConfig,
) -> Result<RunResult, LoadError> {
    let image = Image::load(program)?;
    Ok(run(&image, world, config))
}
