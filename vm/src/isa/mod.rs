//! The instruction semantics, one module per spec family.
//!
//! Takes an `Execution` (frame context, transactions, trace) and the shared `World`, and produces
//! each instruction's result or `AvmError`. These are plain functions so that every interpreter
//! (the reference ITree interpreter, the Tape VM) calls the same code. `call` is split in
//! `obj::call_enter` / `obj::call_exit` because each interpreter owns its own frames; likewise
//! `pure::call_pure_target` only resolves the function to run. This module holds what several
//! families share: code safety and the spec's controller-authority rules (`semantics.md` §5).

pub mod controller;
pub mod fd;
pub mod introspect;
pub mod machine;
pub mod names;
pub mod nondet;
pub mod obj;
pub mod pure;
pub mod reflect;
pub mod reify;
pub mod tx;

use crate::error::ObjError;
use crate::error::{AvmError, ControllerError, ExecError};
use crate::exec::Execution;
use crate::ids::{ControllerId, ObjectId};
use crate::tx::{Lookup, ObjectView, Origin};
use crate::world::World;

/// Whether running code may use the spec's Unsafe instructions (also the safety index of an
/// instruction and of a Tape function: `tape::Safety` is this type).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Safety {
    /// Only Safe instructions.
    #[default]
    Safe,
    /// Unsafe instructions allowed (`unsafe` blocks and functions).
    Unsafe,
}

/// Fails unless the running code is marked unsafe.
pub fn require_unsafe(safety: Safety, instruction: &'static str) -> Result<(), AvmError> {
    match safety {
        Safety::Unsafe => Ok(()),
        Safety::Safe => Err(ExecError::UnsafeInSafeCode { instruction }.into()),
    }
}

/// The placeholder controller the spec uses when an object has none (`mkControllerId "unknown"`).
pub fn unknown_controller() -> ControllerId {
    ControllerId::new("unknown")
}

/// The spec's `resolveTxController`: inside a transaction whose controller is deferred, adopt the
/// object's controller, or fail if it has none. No-op when the controller is already fixed.
pub fn resolve_tx_controller(
    exec: &mut Execution,
    object: ObjectId,
    owner: Option<&ControllerId>,
) -> Result<(), AvmError> {
    if exec.txs.controller.is_none() {
        match owner {
            Some(c) => exec.txs.controller = Some(c.clone()),
            None => return Err(ControllerError::ErrObjectHasNoController(object).into()),
        }
    }
    Ok(())
}

/// The spec's `resolveAndCheckOwnership`: resolve, then the object's controller must be the
/// transaction's (`ErrCrossControllerTx(object, owner or "unknown")` otherwise).
pub fn resolve_and_check(
    exec: &mut Execution,
    object: ObjectId,
    owner: Option<&ControllerId>,
) -> Result<(), AvmError> {
    resolve_tx_controller(exec, object, owner)?;
    match (owner, exec.txs.controller.as_ref()) {
        (Some(a), Some(b)) if a == b => Ok(()),
        (a, _) => Err(ControllerError::ErrCrossControllerTx(
            object,
            a.cloned().unwrap_or_else(unknown_controller),
        )
        .into()),
    }
}

/// Inside a transaction: the live view of `id` (pending creates first), for an instruction
/// that acts on the object. `ErrObjectNotFound` when it is destroyed or absent; for a
/// committed object, the transaction controller's authority is checked
/// ([`resolve_and_check`]) and the observation recorded (commit validates it).
pub fn live_view_checked(
    exec: &mut Execution,
    world: &World,
    id: ObjectId,
) -> Result<ObjectView, AvmError> {
    let view = match exec.txs.lookup(&world.store, id) {
        Lookup::Live(v) => v,
        Lookup::Destroyed | Lookup::Absent => {
            return Err(ObjError::ErrObjectNotFound(id).into());
        }
    };
    if view.origin == Origin::Committed {
        resolve_and_check(exec, id, view.base_controller.as_ref())?;
        exec.txs.observe(&world.store, id);
    }
    Ok(view)
}
