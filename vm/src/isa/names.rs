//! Names (extension, not spec instructions): `publish` and `lookup`.
//!
//! Takes the execution, the world and a name; produces the world's name → object map changes
//! (`publish`, buffered inside a transaction and committed with it) and the object a name
//! denotes (`lookup`, which sees the transaction's own publishes first and checks the found
//! object's behaviour interface against the requested one). In a durable world names persist
//! and are read on first use. Neither logs a trace event (docs/spec-deviations.md).

use crate::error::{AvmError, ExecError, ObjError};
use crate::exec::Execution;
use crate::ids::ObjectId;
use crate::tx::Lookup;
use crate::value::Val;
use crate::world::{Changed, World};
use std::rc::Rc;

/// Whether `id` is a live object as the running code sees it (loading it on first use).
fn live_behaviour(
    exec: &Execution,
    world: &mut World,
    id: ObjectId,
) -> Result<Option<Rc<str>>, AvmError> {
    world.touch(id)?;
    Ok(if exec.txs.active() {
        match exec.txs.lookup(&world.store, id) {
            Lookup::Live(view) => Some(view.behaviour),
            Lookup::Destroyed | Lookup::Absent => None,
        }
    } else {
        world.store.object(id).map(|o| o.behaviour.clone())
    })
}

/// `publish name oid`: names a live object (replacing an earlier object of that name).
pub fn publish(
    exec: &mut Execution,
    world: &mut World,
    name: Rc<str>,
    id: ObjectId,
) -> Result<(), AvmError> {
    if live_behaviour(exec, world, id)?.is_none() {
        return Err(ObjError::ErrObjectNotFound(id).into());
    }
    match exec.txs.top_mut() {
        Some(sp) => sp.names.push((name, id)),
        None => {
            world.names.insert(name.clone(), id);
            world.commit_changes(&[], Changed::Store, &[name])?;
        }
    }
    Ok(())
}

/// `lookup name interface`: `just oid` for the live object published under `name`, `nothing`
/// when no name or no live object; `interface` is `nothing` or `just text`, and then the
/// object's behaviour must have exactly that interface.
pub fn lookup(
    exec: &mut Execution,
    world: &mut World,
    name: &Rc<str>,
    interface: &Val,
) -> Result<Val, AvmError> {
    let id = match exec.txs.pending_name(name) {
        Some(id) => Some(id),
        None => world.name(name)?,
    };
    let Some(id) = id else {
        return Ok(Val::Nothing);
    };
    let Some(behaviour) = live_behaviour(exec, world, id)? else {
        return Ok(Val::Nothing);
    };
    if let Val::Just(wanted) = interface {
        let expected = wanted.as_str()?;
        let found = world.interfaces.get(&behaviour).cloned();
        if found.as_ref() != Some(expected) {
            return Err(ExecError::InterfaceMismatch {
                name: name.clone(),
                object: id,
                expected: expected.clone(),
                found: found.unwrap_or_else(|| Rc::from("")),
            }
            .into());
        }
    }
    if exec.txs.active() {
        exec.txs.observe(&world.store, id);
    }
    Ok(Val::just(Val::Object(id)))
}
