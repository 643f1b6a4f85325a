//! Controller family (`isa.md` §9): `getCurrentController`, `getController`, `transferObject`,
//! `freeze`.
//!
//! Takes the execution and the world; produces ownership reads and changes following the spec's
//! authority rules (`semantics.md` §5): inside a transaction a committed object may be transferred
//! only under its controller (after deferred resolution); outside a transaction any object that
//! has a controller may be transferred. Reads see the transaction's own pending transfers.

use crate::error::{AvmError, ControllerError, ObjError};
use crate::exec::Execution;
use crate::ids::{ControllerId, ObjectId};
use crate::isa::{resolve_and_check, resolve_tx_controller, unknown_controller};
use crate::trace::EventType;
use crate::tx::{Lookup, Origin};
use crate::value::Val;
use crate::world::World;

/// `getCurrentController`: the transaction controller (`nothing` outside or while deferred).
pub fn get_current_controller(exec: &Execution) -> Val {
    Val::from_option(exec.txs.controller.clone().map(Val::Controller))
}

/// `getController oid`: the object's controller as the transaction sees it; inside a transaction
/// this resolves a deferred controller and, for committed objects, records the observation.
pub fn get_controller(
    exec: &mut Execution,
    world: &mut World,
    id: ObjectId,
) -> Result<Val, AvmError> {
    world.touch(id)?;
    if !exec.txs.active() {
        return Ok(Val::from_option(
            world
                .store
                .object(id)
                .and_then(|o| o.meta.current_controller.clone())
                .map(Val::Controller),
        ));
    }
    match exec.txs.lookup(&world.store, id) {
        Lookup::Destroyed | Lookup::Absent => Ok(Val::Nothing),
        Lookup::Live(view) => {
            resolve_tx_controller(exec, id, view.base_controller.as_ref())?;
            if view.origin == Origin::Committed {
                exec.txs.observe(&world.store, id);
            }
            Ok(Val::from_option(
                view.meta.current_controller.map(Val::Controller),
            ))
        }
    }
}

/// `transferObject oid c`: hands the object to `c` (buffered inside a transaction).
pub fn transfer_object(
    exec: &mut Execution,
    world: &mut World,
    id: ObjectId,
    to: ControllerId,
) -> Result<bool, AvmError> {
    world.touch(id)?;
    if !world.transport.controller_reachable(&exec.ctx.machine, &to) {
        return Err(ControllerError::ErrControllerUnreachable(to).into());
    }
    let from = if exec.txs.active() {
        let view = match exec.txs.lookup(&world.store, id) {
            Lookup::Live(v) => v,
            Lookup::Destroyed | Lookup::Absent => {
                return Err(ObjError::ErrObjectNotFound(id).into());
            }
        };
        let from = match view.origin {
            Origin::Committed => {
                resolve_and_check(exec, id, view.base_controller.as_ref())?;
                exec.txs.observe(&world.store, id);
                exec.txs
                    .controller
                    .clone()
                    .unwrap_or_else(unknown_controller)
            }
            Origin::Pending => view
                .meta
                .current_controller
                .clone()
                .unwrap_or_else(unknown_controller),
        };
        if let Some(sp) = exec.txs.top_mut() {
            sp.entry(id).controller = Some(to.clone());
            sp.transfer_order.push((id, to.clone()));
        }
        from
    } else {
        let Some(obj) = world.store.object(id) else {
            return Err(ObjError::ErrObjectNotFound(id).into());
        };
        let Some(from) = obj.meta.current_controller.clone() else {
            return Err(ControllerError::ErrObjectHasNoController(id).into());
        };
        world.store.set_controller(id, to.clone());
        world.committed(&[id])?;
        from
    };
    exec.log(world, EventType::ObjectTransferred(id, from, to));
    Ok(true)
}

/// `freeze oid`: needs a resolved, reachable transaction controller and a visible object;
/// returns `just true` and logs `ObjectFrozen` (no state change, as in the spec).
pub fn freeze(exec: &mut Execution, world: &mut World, id: ObjectId) -> Result<Val, AvmError> {
    let Some(c) = exec.txs.controller.clone() else {
        return Err(ControllerError::ErrObjectHasNoController(id).into());
    };
    if !world.transport.controller_reachable(&exec.ctx.machine, &c) {
        return Err(ControllerError::ErrControllerUnreachable(c).into());
    }
    world.touch(id)?;
    let visible = if exec.txs.active() {
        matches!(exec.txs.lookup(&world.store, id), Lookup::Live(_))
    } else {
        world.store.object(id).is_some()
    };
    if !visible {
        return Err(ObjError::ErrObjectNotFound(id).into());
    }
    exec.log(world, EventType::ObjectFrozen(id, c));
    Ok(Val::just(Val::Bool(true)))
}
