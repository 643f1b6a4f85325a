//! Introspect family (`isa.md` §3): `self`, `input`, `getCurrentMachine`, `getState`, `setState`,
//! `sender`, plus the per-field state access the compiler uses (`get_field`, `set_field`:
//! `getState`/`setState` of one element, sharing the same overlay) and their read-modify-write
//! combination (`update_field`).
//!
//! Takes the execution and the world; produces values. Inside a transaction reads see the
//! transaction's own writes (a documented deviation) and every state read or write enters the
//! read set used by commit validation. A state write logs our `StateUpdated` extension event,
//! which does not consume a timestamp.

use crate::error::{AvmError, ExecError};
use crate::exec::Execution;
use crate::ids::{MachineId, ObjectId};
use crate::trace::EventType;
use crate::value::Val;
use crate::world::World;

/// `self`.
pub fn self_id(exec: &Execution) -> ObjectId {
    exec.ctx.self_id
}

/// `input` (a pure read; does not touch the mailbox).
pub fn input(exec: &Execution) -> Val {
    exec.ctx.input.clone()
}

/// `getCurrentMachine`.
pub fn current_machine(exec: &Execution) -> MachineId {
    exec.ctx.machine.clone()
}

/// `sender`: `just caller` inside a call, `nothing` at top level.
pub fn sender(exec: &Execution) -> Val {
    Val::from_option(exec.ctx.sender.map(Val::Object))
}

/// `getState`: the whole state of `self` as a list (`[]` if never written).
pub fn get_state(exec: &mut Execution, world: &World) -> Val {
    let me = exec.ctx.self_id;
    if exec.txs.active() {
        exec.txs.note_read(&world.store, me);
        Val::list(exec.txs.state(&world.store, me).unwrap_or(&[]).to_vec())
    } else {
        Val::list(world.store.state(me).unwrap_or(&[]).to_vec())
    }
}

/// `setState s`: replaces the whole state of `self` (buffered inside a transaction).
pub fn set_state(exec: &mut Execution, world: &mut World, state: &Val) -> Result<(), AvmError> {
    let items = state.as_list()?.to_vec();
    let me = exec.ctx.self_id;
    if exec.txs.active() {
        exec.txs.note_read(&world.store, me);
        if let Some(sp) = exec.txs.top_mut() {
            sp.entry(me).state = Some(items);
        }
    } else {
        world.store.set_state(me, items);
        world.committed(&[me])?;
    }
    exec.log_with(world, false, || EventType::StateUpdated(me));
    Ok(())
}

/// Field `index` of `self`'s state (integers and booleans copied inline, without the general
/// clone).
pub fn get_field(exec: &mut Execution, world: &World, index: usize) -> Result<Val, AvmError> {
    let me = exec.ctx.self_id;
    let state = if exec.txs.active() {
        exec.txs.note_read(&world.store, me);
        exec.txs.state(&world.store, me)
    } else {
        world.store.state(me)
    }
    .unwrap_or(&[]);
    match state.get(index) {
        Some(v) => Ok(v.clone_inline()),
        None => Err(no_such_field(me, index, state.len())),
    }
}

/// `NoSuchStateField`, built out of line (the error path of the field accesses).
#[cold]
#[inline(never)]
fn no_such_field(object: ObjectId, index: usize, len: usize) -> AvmError {
    ExecError::NoSuchStateField { object, index, len }.into()
}

/// Writes field `index` of `self`'s state (buffered inside a transaction). Outside a
/// transaction, one hash probe of the store (`Store::field_mut`).
pub fn set_field(
    exec: &mut Execution,
    world: &mut World,
    index: usize,
    value: Val,
) -> Result<(), AvmError> {
    let me = exec.ctx.self_id;
    if exec.txs.active() {
        set_field_in_tx(exec, world, me, index, value)?;
    } else {
        world.store.field_mut(me, index)?.set(value);
        world.committed(&[me])?;
    }
    exec.log_with(world, false, || EventType::StateUpdated(me));
    Ok(())
}

/// `set_field` inside a transaction: the write goes to the top savepoint's copy of the state
/// (made on the first write). Out of line, so the common path outside a transaction stays small.
#[inline(never)]
fn set_field_in_tx(
    exec: &mut Execution,
    world: &World,
    me: ObjectId,
    index: usize,
    value: Val,
) -> Result<(), AvmError> {
    exec.txs.note_read(&world.store, me);
    let has_own = exec
        .txs
        .top()
        .and_then(|sp| sp.objects.get(&me))
        .is_some_and(|ov| ov.state.is_some());
    let copy = if has_own {
        None
    } else {
        Some(exec.txs.state(&world.store, me).unwrap_or(&[]).to_vec())
    };
    if let Some(sp) = exec.txs.top_mut() {
        let ov = sp.entry(me);
        if let Some(c) = copy {
            ov.state = Some(c);
        }
        let state = ov.state.get_or_insert_with(Vec::new);
        let len = state.len();
        match state.get_mut(index) {
            Some(slot) => *slot = value,
            None => return Err(no_such_field(me, index, len)),
        }
    }
    Ok(())
}

/// `get_field index`, then `f` of the value read (the caller's computation between the two),
/// then `set_field index` of `f`'s result: the same effects, errors and trace as the three
/// steps. Outside a transaction the committed store is probed once (`Store::field_mut`);
/// inside one the two overlay accesses run as written. When `f` fails nothing is written.
#[inline(always)]
pub fn update_field(
    exec: &mut Execution,
    world: &mut World,
    index: usize,
    f: impl FnOnce(Val) -> Result<Val, AvmError>,
) -> Result<(), AvmError> {
    let me = exec.ctx.self_id;
    // `f` has one call site, so it is inlined into the caller.
    let (old, field) = if exec.txs.active() {
        (get_field(exec, world, index)?, None)
    } else {
        // One probe; `f` runs while the field is borrowed (it touches registers only).
        let field = world.store.field_mut(me, index)?;
        (field.get().clone_inline(), Some(field))
    };
    let new = f(old)?;
    match field {
        Some(field) => {
            field.set(new);
            world.committed(&[me])?;
        }
        None => return set_field(exec, world, index, new),
    }
    exec.log_with(world, false, || EventType::StateUpdated(me));
    Ok(())
}
