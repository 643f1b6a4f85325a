//! Transaction restart points of the Tape machine (nondeterminism, `isa::nondet`).
//!
//! Takes the interpreter state just after a `beginTx`; produces a [`Restart`] copy of the
//! live registers and frame stacks, and puts the machine back to it when a commit's
//! requirements failed and the transaction re-runs with the next choices.

use super::Interp;
use super::regs::put;
use crate::error::{AvmError, ExecError};
use crate::isa;
use crate::tape::interp::frame::Frame;
use crate::value::Val;

/// The machine just after a `beginTx` (its result already stored, the pc past it), for
/// re-running the transaction with other choices.
pub(super) struct Restart {
    regs: Vec<Val>,
    frames: Vec<Frame>,
    saved_calls: Vec<isa::obj::SavedCall>,
    catches: Vec<super::catch::CatchScope>,
}

impl Interp<'_> {
    /// Saves the machine after a successful `beginTx` (the caller saved the pc).
    pub(super) fn save_restart(&mut self) {
        let open = self.exec.txs.savepoints.len();
        self.restarts.truncate(open.saturating_sub(1));
        self.restarts.push(Restart {
            regs: self.regs[..self.top].to_vec(),
            frames: self.frames.clone(),
            saved_calls: self.saved_calls.clone(),
            catches: self.catches.clone(),
        });
    }

    /// Puts the machine back to the innermost transaction's `beginTx` (`isa::nondet` has reset
    /// the execution state and set up the next choices); the caller reloads the frame.
    pub(super) fn restart_tx(&mut self) -> Result<(), AvmError> {
        self.restarts.truncate(self.exec.txs.savepoints.len());
        let Some(r) = self.restarts.last() else {
            return Err(ExecError::Failed(Val::str("no restart point for the transaction")).into());
        };
        self.top = r.regs.len();
        for (slot, v) in self.regs.iter_mut().zip(r.regs.iter()) {
            put(slot, v.clone());
        }
        self.frames.clone_from(&r.frames);
        self.saved_calls.clone_from(&r.saved_calls);
        self.catches.clone_from(&r.catches);
        Ok(())
    }
}
