//! Catch scopes of the Tape interpreter: `try` / `try.end` and unwinding on a caught failure.
//!
//! Takes the running [`Interp`]; produces the [`CatchScope`] records that `try` pushes and the
//! unwinding that a caught FD or Nondet error performs: exactly what the ITree interpreter does
//! for `Term::Try` (abort the transactions the body opened and left open, innermost first,
//! drop the body's frames and saved call contexts, restore the frame's call context) and then
//! `dst := none`, continuing at the handler. The scope stack is global: a body's callees fail
//! into the scope of the frame that opened it.

use super::Interp;
use crate::error::AvmError;
use crate::exec::Context;
use crate::isa;
use crate::tape::op::Reg;
use crate::value::Val;
use crate::world::World;

/// The machine state at a `try`: what to restore when its body fails.
#[derive(Clone, Debug)]
pub(super) struct CatchScope {
    /// The number of live frames when the scope opened (its own frame is the last).
    frames: usize,
    /// The op the frame continues at after a caught failure.
    handler: u32,
    /// The frame's register that receives `none`.
    dst: u16,
    /// Open transactions when the scope opened.
    open_txs: usize,
    /// Saved caller contexts (`fx.call`) when the scope opened.
    saved_calls: usize,
    /// Running scry instructions when the scope opened.
    scrys: usize,
    /// The frame's call context.
    ctx: Context,
}

/// Whether a catch scope turns the error into `none` ([`AvmError::is_search_failure`]), as
/// `Term::Try` does.
pub(super) fn catchable(e: &AvmError) -> bool {
    e.is_search_failure()
}

impl Interp<'_> {
    /// `try handler -> dst`: opens a catch scope for the current frame.
    #[cold]
    pub(super) fn open_catch(&mut self, handler: u32, dst: Reg) {
        self.catches.push(CatchScope {
            frames: self.frames.len(),
            handler,
            dst: dst.0,
            open_txs: self.exec.txs.savepoints.len(),
            saved_calls: self.saved_calls.len(),
            scrys: self.scrys.len(),
            ctx: self.exec.ctx.clone(),
        });
    }

    /// Unwinds to the innermost catch scope after a catchable error: aborts the transactions
    /// its body left open, drops the frames above its own, restores the call context, writes
    /// `none` to its register and positions its frame at the handler. `false` when no scope
    /// is open (the error ends the run).
    #[cold]
    pub(super) fn catch(&mut self, world: &mut World) -> bool {
        let Some(scope) = self.catches.last() else {
            return false;
        };
        if scope.frames == 0 || scope.frames > self.frames.len() {
            // A scope whose frame is gone cannot be resumed; the verifier rules this out.
            self.catches.clear();
            return false;
        }
        let open_txs = scope.open_txs;
        while self.exec.txs.savepoints.len() > open_txs {
            let Some(id) = self.exec.txs.top().map(|sp| sp.id) else {
                break;
            };
            if isa::tx::abort(&mut self.exec, world, id).is_err() {
                break;
            }
        }
        self.drop_closed_restarts();
        let Some(scope) = self.catches.last() else {
            return false;
        };
        self.unshare(
            scope.frames,
            scope.saved_calls,
            self.catches.len().saturating_sub(1),
        );
        let Some(scope) = self.catches.pop() else {
            return false;
        };
        self.saved_calls.truncate(scope.saved_calls);
        self.scrys.truncate(scope.scrys);
        self.frames.truncate(scope.frames);
        let Some(frame) = self.frames.last_mut() else {
            return false;
        };
        frame.pc = scope.handler;
        let base = frame.base as usize;
        let func = frame.func;
        self.top = base + usize::from(self.image.functions[func as usize].registers);
        self.exec.ctx = scope.ctx;
        if let Some(slot) = self.regs.get_mut(base + usize::from(scope.dst)) {
            *slot = Val::Nothing;
        }
        true
    }
}
