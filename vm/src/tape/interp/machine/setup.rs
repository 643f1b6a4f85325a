//! Starting and finishing a Tape run.
//!
//! Takes a loaded [`Image`], the world and a [`RunConfig`] (and optionally the [`Buffers`] of
//! an earlier run); produces an [`Interp`] positioned at the entry function's first op, and,
//! once the dispatch loop (`super`) has finished, the run's [`RunResult`]. `run` and
//! `run_with_buffers` drive a whole run.

use super::{Interp, Status};
use crate::error::LimitError;
use crate::exec::Execution;
use crate::isa;
use crate::itree::RunResult;
use crate::srcloc::Backtrace;
use crate::tape::interp::frame::{Frame, FrameKind, RunConfig};
use crate::tape::interp::image::Image;
use crate::tape::op::Reg;
use crate::value::Val;
use crate::world::World;

/// Runs a loaded program to completion.
pub fn run(image: &Image, world: &mut World, config: &RunConfig) -> RunResult {
    let mut it = Interp::new(image, world, config);
    while it.run_slice(world, u64::MAX) == Status::Running {}
    it.finish()
}

/// [`run`] with the register file and frame stacks of earlier runs (`buffers`, handed back
/// when the run ends): a host running many programs grows and faults in that memory once.
pub fn run_with_buffers(
    image: &Image,
    world: &mut World,
    config: &RunConfig,
    buffers: &mut Buffers,
) -> RunResult {
    let mut it = Interp::with_buffers(image, world, config, std::mem::take(buffers));
    while it.run_slice(world, u64::MAX) == Status::Running {}
    *buffers = it.take_buffers();
    it.finish()
}

/// The interpreter's growable storage, kept between runs by [`run_with_buffers`]. The
/// register file keeps the previous run's dead values (a frame sets to `()` every register
/// it may read before writing, so no run observes them); they are dropped when overwritten
/// or with the buffers.
#[derive(Default)]
pub struct Buffers {
    regs: Vec<Val>,
    frames: Vec<Frame>,
    saved_calls: Vec<isa::obj::SavedCall>,
}

impl<'p> Interp<'p> {
    /// Prepares a run positioned at the entry function's first op.
    pub fn new(image: &'p Image, world: &mut World, config: &RunConfig) -> Self {
        Interp::with_buffers(image, world, config, Buffers::default())
    }

    /// [`Interp::new`] reusing the storage of an earlier run.
    pub fn with_buffers(
        image: &'p Image,
        world: &mut World,
        config: &RunConfig,
        buffers: Buffers,
    ) -> Self {
        let Buffers {
            regs,
            mut frames,
            mut saved_calls,
        } = buffers;
        frames.clear();
        saved_calls.clear();
        let mut it = Interp {
            image,
            exec: Execution::new(
                config.machine.clone(),
                config.self_id,
                config.input.clone(),
                config.trace_mode,
            ),
            regs,
            top: 0,
            frames,
            saved_calls,
            scrys: Vec::new(),
            steps: 0,
            limits: config.limits,
            outcome: None,
            restarts: Vec::new(),
            pop_guard: 0,
            reg_cap: 0,
            restart_regs: 0,
            catches: Vec::new(),
            backtrace: Backtrace::default(),
            last_behaviour: None,
            spare_just: None,
        };
        it.set_register_cap();
        if let Err(e) = it.push_frame(image.entry, Reg(0), FrameKind::Main, &[]) {
            it.fail(world, e);
        }
        it
    }

    /// Takes the register file and frame stacks out (for a later [`Interp::with_buffers`]);
    /// call when the run has finished.
    pub fn take_buffers(&mut self) -> Buffers {
        self.top = 0;
        Buffers {
            regs: std::mem::take(&mut self.regs),
            frames: std::mem::take(&mut self.frames),
            saved_calls: std::mem::take(&mut self.saved_calls),
        }
    }

    /// Interpreter steps (ops) executed so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Live frames (the call depth).
    pub fn depth(&self) -> usize {
        self.frames.len()
    }

    /// The result (call after `run_slice` returned `Finished`; an unfinished run reports
    /// `OutOfFuel` with the steps taken so far, as the ITree interpreter does).
    pub fn finish(self) -> RunResult {
        let outcome = self
            .outcome
            .unwrap_or(Err(LimitError::OutOfFuel { fuel: self.steps }.into()));
        RunResult {
            outcome,
            trace: self.exec.trace,
            steps: self.steps,
            final_context: self.exec.ctx,
            backtrace: self.backtrace,
        }
    }
}
