//! Transaction restart points of the Tape machine (nondeterminism, `isa::nondet`).
//!
//! Takes the interpreter state just after a `beginTx`; produces a [`Restart`]: lazy marks
//! (`crate::stack_mark`) of the register file, the frame stack, the saved call contexts and the
//! catch scopes, which copy only the running frame's window and frame record when the
//! transaction begins, and the frames below it only if they return while the transaction is
//! still open (`unshare`). Beginning a transaction therefore costs the running frame's size
//! whatever the call depth. `restart_tx` puts the machine back to the mark when a commit's
//! requirements failed and the transaction re-runs with the next choices.

use super::Interp;
use super::regs::put;
use crate::error::{AvmError, ExecError};
use crate::isa;
use crate::stack_mark::StackMark;
use crate::tape::interp::frame::{Frame, FrameKind};
use crate::value::Val;

/// The machine just after a `beginTx` (its result already stored, the pc past it), for
/// re-running the transaction with other choices.
pub(super) struct Restart {
    /// `regs[..top]`; the floor is the base of the lowest frame the mark copied.
    regs: StackMark<Val>,
    /// The frames; the floor is the index of the lowest frame copied (the running frame's
    /// at first).
    frames: StackMark<Frame>,
    saved_calls: StackMark<isa::obj::SavedCall>,
    catches: StackMark<super::catch::CatchScope>,
}

impl Interp<'_> {
    /// Saves the machine after a successful `beginTx` (the caller saved the pc): copies the
    /// running frame's record and window, nothing below it. The copy is charged as work and
    /// counted against the memory limit (`crate::budget`).
    pub(super) fn save_restart(&mut self) -> Result<(), AvmError> {
        let open = self.exec.txs.savepoints.len();
        self.truncate_restarts(open.saturating_sub(1));
        let frame = self.frames.len().saturating_sub(1);
        let base = self.frames.last().map_or(0, |f| f.base as usize);
        self.restarts.push(Restart {
            regs: StackMark::new(&self.regs[..self.top], base),
            frames: StackMark::new(&self.frames, frame),
            saved_calls: StackMark::new(&self.saved_calls, self.saved_calls.len()),
            catches: StackMark::new(&self.catches, self.catches.len()),
        });
        self.set_pop_guard();
        let copied = self.top - base;
        crate::budget::charge(copied);
        self.restart_regs += copied;
        self.set_register_cap();
        if self.top > self.reg_cap {
            return Err(self.register_error(self.top));
        }
        Ok(())
    }

    /// Forgets the restart points of transactions no longer open.
    pub(super) fn drop_closed_restarts(&mut self) {
        self.truncate_restarts(self.exec.txs.savepoints.len());
    }

    /// Keeps the first `n` restart points.
    fn truncate_restarts(&mut self, n: usize) {
        if n < self.restarts.len() {
            for r in self.restarts.drain(n..) {
                self.restart_regs -= r.regs.copied();
            }
            self.set_register_cap();
        }
        self.set_pop_guard();
    }

    /// `reg_cap`: the register limit, or the registers the memory limit leaves beside the
    /// restart points' copies when that is less.
    pub(super) fn set_register_cap(&mut self) {
        let by_memory = self.limits.max_memory / std::mem::size_of::<Val>();
        self.reg_cap = self
            .limits
            .max_registers
            .min(by_memory.saturating_sub(self.restart_regs));
    }

    /// `pop_guard`: returns with fewer live frames than this leave the dispatch loop's fast
    /// path, so that `unshare` runs before a frame a restart point still shares is popped.
    fn set_pop_guard(&mut self) {
        // The innermost restart point has the highest floor (floors only go down, and a later
        // mark starts at or above every earlier one's floor).
        self.pop_guard = self.restarts.last().map_or(0, |r| r.frames.floor() + 2);
    }

    /// Call before the top frame returns (its record, and for a behaviour its saved call, are
    /// about to be popped, the caller's register written).
    #[inline]
    pub(super) fn before_pop(&mut self) {
        if self.frames.len() < self.pop_guard {
            let popped_call = self
                .frames
                .last()
                .is_some_and(|f| f.kind == FrameKind::Behaviour);
            let calls = self.saved_calls.len() - usize::from(popped_call);
            self.unshare(
                self.frames.len().saturating_sub(1),
                calls,
                self.catches.len(),
            );
        }
    }

    /// Call before a `try.end` pops the innermost catch scope.
    #[inline]
    pub(super) fn before_catch_pop(&mut self) {
        if self
            .restarts
            .last()
            .is_some_and(|r| self.catches.len() <= r.catches.floor())
        {
            self.unshare(
                self.frames.len(),
                self.saved_calls.len(),
                self.catches.len().saturating_sub(1),
            );
        }
    }

    /// Makes every restart point copy what it still shares with the live stacks and is about
    /// to change: the stacks are cut to `frames` frames, `calls` saved calls and `catches`
    /// catch scopes, and the new top frame (index `frames - 1`, with its window) is written.
    pub(super) fn unshare(&mut self, frames: usize, calls: usize, catches: usize) {
        let top = frames.saturating_sub(1);
        let base = self.frames.get(top).map_or(0, |f| f.base as usize);
        for r in &mut self.restarts {
            r.frames.lower(&self.frames, top);
            // The register file never shrinks, and below a mark's floor it still holds the
            // marked values.
            let before = r.regs.copied();
            r.regs.lower(&self.regs, base);
            self.restart_regs += r.regs.copied() - before;
            r.saved_calls.lower(&self.saved_calls, calls);
            r.catches.lower(&self.catches, catches);
        }
        self.set_register_cap();
        self.set_pop_guard();
    }

    /// Puts the machine back to the innermost transaction's `beginTx` (`isa::nondet` has reset
    /// the execution state and set up the next choices); the caller reloads the frame.
    pub(super) fn restart_tx(&mut self) -> Result<(), AvmError> {
        self.drop_closed_restarts();
        let Some(r) = self.restarts.last() else {
            return Err(ExecError::Failed(Val::str("no restart point for the transaction")).into());
        };
        self.top = r.regs.len();
        if self.regs.len() < self.top {
            self.regs.resize(self.top, Val::Unit);
        }
        let floor = r.regs.floor();
        for (slot, v) in self.regs[floor..].iter_mut().zip(r.regs.saved()) {
            put(slot, v.clone());
        }
        r.frames.restore(&mut self.frames);
        r.saved_calls.restore(&mut self.saved_calls);
        r.catches.restore(&mut self.catches);
        Ok(())
    }
}
