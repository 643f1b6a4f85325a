//! Pure family (`isa.md` §7): `callPure` (resolution only), `registerPure` (Unsafe),
//! `updatePure`.
//!
//! Takes the execution and the world; produces the function a `callPure` must run (the
//! interpreter runs it, since it owns the frames), or registry changes. `updatePure` is buffered
//! inside a transaction (visible to the transaction, undone by abort: a documented deviation);
//! `registerPure` is immediate, as in the spec.

use crate::error::{AvmError, PureError};
use crate::exec::Execution;
use crate::isa::{Safety, require_unsafe};
use crate::trace::EventType;
use crate::world::{Changed, World};
use std::rc::Rc;

/// The program function implementing registry entry `name` as the running transaction sees it,
/// or `None` (then `callPure` yields `nothing`).
pub fn call_pure_target(exec: &Execution, world: &World, name: &str) -> Option<Rc<str>> {
    if let Some(f) = exec.txs.pending_pure(name) {
        return Some(f.clone());
    }
    world.pure.get(name).map(|e| e.implementation.clone())
}

/// `registerPure name f`: fails if the name is taken; logs nothing (as in the spec).
pub fn register_pure(
    world: &mut World,
    safety: Safety,
    name: Rc<str>,
    implementation: Rc<str>,
) -> Result<bool, AvmError> {
    require_unsafe(safety, "registerPure")?;
    world.pure.register(name, implementation)?;
    world.commit_changes(&[], Changed::Pure, &[])?;
    Ok(true)
}

/// `updatePure name f`: fails if the name is not registered; logs `FunctionUpdated`.
pub fn update_pure(
    exec: &mut Execution,
    world: &mut World,
    name: Rc<str>,
    implementation: Rc<str>,
) -> Result<bool, AvmError> {
    if world.pure.get(&name).is_none() {
        return Err(PureError::ErrFunctionNotFound(name).into());
    }
    match exec.txs.top_mut() {
        Some(sp) => sp.pure_updates.push((name.clone(), implementation)),
        None => {
            world.pure.update(&name, implementation)?;
            world.commit_changes(&[], Changed::Pure, &[])?;
        }
    }
    exec.log(world, EventType::FunctionUpdated(name));
    Ok(true)
}
