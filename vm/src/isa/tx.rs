//! Tx family (`isa.md` §6): `beginTx`, `commitTx`, `abortTx`, plus `commit_or_abort` for the
//! language's `try atomic` (a conflict becomes `false` and an abort instead of an error).
//!
//! Takes the execution and the world; opens, commits and aborts savepoints of `crate::tx`.
//! Nesting: `beginTx` inside a transaction opens a savepoint (the spec replaces the transaction);
//! an inner `beginTx` with an explicit controller different from the fixed one is refused.
//! Commit of an id that is not the innermost open transaction is `ErrTxConflict(id)` (the spec's
//! wrong-id rule); abort of an id that is not open while some transaction is open is
//! `ErrTxNotFound(id)`; abort with no transaction open succeeds, as in the spec.
//! The FD constraint store is transactional: `begin` marks it, abort (and a failed commit)
//! undoes to the mark, commit keeps the changes. `begin` also records the restart point that
//! `crate::isa::nondet` uses to re-run a transaction with other choices.

use crate::error::{AvmError, ControllerError, TxError};
use crate::exec::Execution;
use crate::fd::Mark;
use crate::ids::{ControllerId, TxId};
use crate::trace::EventType;
use crate::tx::RestartPoint;
use crate::world::World;
use std::rc::Rc;

/// `beginTx mc`: opens a (nested) transaction with id `freshTxId(clock)`.
pub fn begin(
    exec: &mut Execution,
    world: &mut World,
    controller: Option<ControllerId>,
) -> Result<TxId, AvmError> {
    if let Some(c) = &controller {
        if !world.transport.controller_reachable(&exec.ctx.machine, c) {
            return Err(ControllerError::ErrControllerUnreachable(c.clone()).into());
        }
        if exec.txs.active()
            && let Some(fixed) = &exec.txs.controller
            && fixed != c
        {
            return Err(TxError::ErrInvalidDuringTx(Rc::from(
                "beginTx with a controller other than the enclosing transaction's",
            ))
            .into());
        }
    }
    let id = TxId(world.clock);
    // The entry is built from the state before the begin (spec): old controller.
    exec.log(world, EventType::TransactionStarted(id));
    exec.txs.push(id);
    if controller.is_some() {
        exec.txs.controller = controller;
    }
    let mark = exec.fd.mark();
    let restart = RestartPoint {
        trace_len: exec.trace.len(),
        clock: world.clock,
        controller: exec.txs.controller.clone(),
        ctx: exec.ctx.clone(),
    };
    if let Some(top) = exec.txs.top_mut() {
        top.fd_mark = Some(mark);
        top.choices.restart = Some(restart);
    }
    Ok(id)
}

/// Restores the constraint store to a savepoint's mark (after the savepoint was dropped).
pub(crate) fn undo_fd(exec: &mut Execution, mark: Option<Mark>) {
    if let Some(mark) = mark {
        // Marks are taken in stack order at `begin` and `forget_marks` runs only when no
        // transaction is open, so the mark of an open savepoint is always current.
        let _ = exec.fd.undo_to(mark);
    }
    if !exec.txs.active() {
        exec.fd.forget_marks();
    }
}

/// Commits the innermost savepoint; the constraint store keeps its changes, or is undone to the
/// savepoint's mark when the commit fails.
fn commit_savepoint(exec: &mut Execution, world: &mut World) -> Result<(), AvmError> {
    let mark = exec.txs.top().and_then(|sp| sp.fd_mark);
    let discarded = exec.txs.top().map_or(0, |sp| sp.choices.runs_discarded);
    let id = exec.txs.top().map(|sp| sp.id);
    match exec.txs.commit_top(world) {
        Ok(_) => {
            if !exec.txs.active() {
                exec.fd.forget_marks();
            }
            if discarded > 0
                && let Some(id) = id
            {
                exec.log(world, EventType::ChoicesResolved(id, discarded));
            }
            Ok(())
        }
        Err(e) => {
            undo_fd(exec, mark);
            Err(e)
        }
    }
}

/// `commitTx t`: `t` must be the innermost open transaction; validates its read set and merges
/// it into its parent or applies it to the store. Returns `true` (never `false`, as the spec).
pub fn commit(exec: &mut Execution, world: &mut World, id: TxId) -> Result<bool, AvmError> {
    let Some(top) = exec.txs.top() else {
        return Err(TxError::ErrNoActiveTx.into());
    };
    if top.id != id {
        return Err(TxError::ErrTxConflict(id).into());
    }
    let controller = exec.txs.controller.clone();
    commit_savepoint(exec, world)?;
    exec.log_as(world, EventType::TransactionCommitted(id), controller);
    Ok(true)
}

/// Like `commit`, but a read-set conflict aborts the transaction (logging `TransactionAborted`)
/// and returns `false` instead of failing.
pub fn commit_or_abort(
    exec: &mut Execution,
    world: &mut World,
    id: TxId,
) -> Result<bool, AvmError> {
    let Some(top) = exec.txs.top() else {
        return Err(TxError::ErrNoActiveTx.into());
    };
    if top.id != id {
        return Err(TxError::ErrTxConflict(id).into());
    }
    let controller = exec.txs.controller.clone();
    match commit_savepoint(exec, world) {
        Ok(()) => {
            exec.log_as(world, EventType::TransactionCommitted(id), controller);
            Ok(true)
        }
        Err(AvmError::Tx(TxError::ErrTxConflict(_))) => {
            exec.log_as(world, EventType::TransactionAborted(id), controller);
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// `abortTx t`: drops the savepoints down to and including `t`, undoing everything they did.
pub fn abort(exec: &mut Execution, world: &mut World, id: TxId) -> Result<(), AvmError> {
    let controller = exec.txs.controller.clone();
    if exec.txs.active() {
        if !exec.txs.savepoints.iter().any(|sp| sp.id == id) {
            return Err(TxError::ErrTxNotFound(id).into());
        }
        let mut mark = None;
        while let Some(sp) = exec.txs.abort_top() {
            mark = sp.fd_mark;
            if sp.id == id {
                break;
            }
        }
        undo_fd(exec, mark);
    }
    exec.log_as(world, EventType::TransactionAborted(id), controller);
    Ok(())
}
