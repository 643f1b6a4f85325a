//! Machine family (`isa.md` §8): `getMachine`, `teleport`, `moveObject`, `fetch`.
//!
//! Takes the execution and the world; produces locations and moves. Reachability is asked of the
//! world's `Transport`. `moveObject` and `fetch` are buffered inside a transaction (visible to it,
//! undone by abort) — a documented deviation from the spec, where they are immediate.

use crate::error::{AvmError, MachineError, ObjError, TxError};
use crate::exec::Execution;
use crate::ids::{MachineId, ObjectId};
use crate::trace::EventType;
use crate::tx::Lookup;
use crate::value::Val;
use crate::world::World;
use std::rc::Rc;

fn machine_of(exec: &Execution, world: &World, id: ObjectId) -> Option<MachineId> {
    if exec.txs.active() {
        match exec.txs.lookup(&world.store, id) {
            Lookup::Live(v) => Some(v.meta.machine),
            Lookup::Destroyed | Lookup::Absent => None,
        }
    } else {
        world.store.object(id).map(|o| o.meta.machine.clone())
    }
}

/// `getMachine oid`: `just machine`, or `nothing` if the object does not exist.
pub fn get_machine(exec: &Execution, world: &mut World, id: ObjectId) -> Result<Val, AvmError> {
    world.touch(id)?;
    Ok(Val::from_option(
        machine_of(exec, world, id).map(Val::Machine),
    ))
}

/// `teleport m`: moves the execution to `m` (not inside a transaction; `m` must be reachable).
pub fn teleport(exec: &mut Execution, world: &mut World, to: MachineId) -> Result<bool, AvmError> {
    if exec.txs.active() {
        return Err(TxError::ErrInvalidDuringTx(Rc::from("teleport")).into());
    }
    if !world.transport.machine_reachable(&exec.ctx.machine, &to) {
        return Err(MachineError::ErrMachineUnreachable(to).into());
    }
    let from = std::mem::replace(&mut exec.ctx.machine, to.clone());
    exec.log(world, EventType::ExecutionMoved(to, from));
    Ok(true)
}

fn relocate(
    exec: &mut Execution,
    world: &mut World,
    id: ObjectId,
    to: &MachineId,
) -> Result<(), AvmError> {
    match exec.txs.top_mut() {
        Some(sp) => {
            sp.entry(id).machine = Some(to.clone());
            sp.move_order.push((id, to.clone()));
            Ok(())
        }
        None => {
            world.store.set_machine(id, to.clone());
            world.committed(&[id])
        }
    }
}

/// `moveObject oid m`: relocates the object (no ownership check, as in the spec).
pub fn move_object(
    exec: &mut Execution,
    world: &mut World,
    id: ObjectId,
    to: MachineId,
) -> Result<bool, AvmError> {
    world.touch(id)?;
    let Some(from) = machine_of(exec, world, id) else {
        return Err(ObjError::ErrObjectNotFound(id).into());
    };
    if !world.transport.machine_reachable(&exec.ctx.machine, &to) {
        return Err(MachineError::ErrMachineUnreachable(to).into());
    }
    relocate(exec, world, id, &to)?;
    exec.log(world, EventType::ObjectMoved(id, from, to));
    Ok(true)
}

/// `fetch oid`: brings the object to the current machine; `false` (no event) if it is missing.
/// Fails only when the world's durable store does.
pub fn fetch(exec: &mut Execution, world: &mut World, id: ObjectId) -> Result<bool, AvmError> {
    world.touch(id)?;
    if machine_of(exec, world, id).is_none() {
        return Ok(false);
    }
    let here = exec.ctx.machine.clone();
    relocate(exec, world, id, &here)?;
    exec.log(world, EventType::ObjectFetched(id, here));
    Ok(true)
}
