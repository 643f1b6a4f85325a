//! Obj family (`isa.md` §2): `createObj`, `destroyObj`, `call` (split into enter/exit), `receive`.
//!
//! Takes the execution, the world and the instruction's operands; produces the result and the
//! trace entries the spec prescribes. Deviations (read-your-writes for destroyed objects, the
//! caller's machine restored after a call, the activation mailbox) are in docs/spec-deviations.md.

use crate::error::{AvmError, ExecError, ObjError};
use crate::exec::{Context, Execution, Mailbox};
use crate::ids::{ControllerId, ObjectId};
use crate::isa::resolve_and_check;
use crate::meta::ObjectMeta;
use crate::trace::EventType;
use crate::tx::{Lookup, Origin, PendingCreate};
use crate::value::Val;
use crate::world::World;
use std::rc::Rc;

/// `createObj name mc`: a fresh object `freshObjectId(clock)` on the current machine, controlled
/// by `mc` or else the transaction controller. Buffered inside a transaction. The caller has
/// already checked that the behaviour name exists in its program.
pub fn create(
    exec: &mut Execution,
    world: &mut World,
    behaviour: Rc<str>,
    controller: Option<ControllerId>,
) -> Result<ObjectId, AvmError> {
    let id = ObjectId(world.clock);
    let controller = controller.or_else(|| exec.txs.controller.clone());
    let meta = ObjectMeta::new(id, exec.ctx.machine.clone(), controller);
    let name = behaviour.clone();
    match exec.txs.top_mut() {
        Some(sp) => {
            sp.entry(id).created = Some(PendingCreate { behaviour, meta });
            sp.create_order.push(id);
        }
        None => world.store.insert_object(id, behaviour, meta),
    }
    exec.log_with(world, true, || EventType::ObjectCreated(id, name));
    Ok(id)
}

/// `destroyObj oid`: removes a pending create, buffers the destruction of a committed object
/// (after the authority check), or destroys at once outside a transaction (the object needs a
/// controller). Always `true` on success, as in the spec.
pub fn destroy(exec: &mut Execution, world: &mut World, id: ObjectId) -> Result<bool, AvmError> {
    if exec.txs.active() {
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
        if let Some(sp) = exec.txs.top_mut() {
            let ov = sp.entry(id);
            ov.created = None;
            ov.destroyed = true;
            if view.origin == Origin::Committed {
                sp.destroy_order.push(id);
            }
        }
    } else {
        let Some(obj) = world.store.object(id) else {
            return Err(ObjError::ErrObjectNotFound(id).into());
        };
        if obj.meta.current_controller.is_none() {
            return Err(crate::error::ControllerError::ErrObjectHasNoController(id).into());
        }
        world.store.remove_object(id);
    }
    exec.log(world, EventType::ObjectDestroyed(id));
    Ok(true)
}

/// What a caller must keep to finish a call: the caller's context. (The callee and the call's
/// input are read back from the callee's context at exit, so frames stay small.)
#[derive(Clone, Debug)]
pub struct SavedCall {
    /// The caller's context, restored by `call_exit`.
    pub caller: Context,
}

/// The behaviour to run for a call; the callee's context is already installed.
#[derive(Clone, Debug)]
pub struct CallTarget {
    /// The behaviour to run with the callee's context.
    pub behaviour: Rc<str>,
    /// What `call_exit` needs.
    pub saved: SavedCall,
}

/// First half of `call oid input`: looks the callee up (pending creates first), checks authority
/// and records the observation inside a transaction, and installs the callee's context
/// (`self = oid`, `input`, `sender = caller`, the callee's machine, a full mailbox).
pub fn call_enter(
    exec: &mut Execution,
    world: &mut World,
    id: ObjectId,
    input: Val,
) -> Result<CallTarget, AvmError> {
    let (behaviour, machine) = if exec.txs.active() {
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
        (view.behaviour, view.meta.machine)
    } else {
        match world.store.object(id) {
            Some(obj) => (obj.behaviour.clone(), obj.meta.machine.clone()),
            None => return Err(ObjError::ErrObjectNotFound(id).into()),
        }
    };
    let callee_ctx = Context {
        self_id: id,
        input,
        sender: Some(exec.ctx.self_id),
        machine,
        mailbox: Mailbox::Full,
        depth: exec.ctx.depth.saturating_add(1),
    };
    let caller = std::mem::replace(&mut exec.ctx, callee_ctx);
    Ok(CallTarget {
        behaviour,
        saved: SavedCall { caller },
    })
}

/// Second half of `call`: the behaviour's outputs (a list) become `nothing` (empty) or
/// `just head`; the caller's context is restored (including its machine); inside a transaction
/// the call is appended to the call log; `ObjectCalled` is logged after the callee's events.
pub fn call_exit(
    exec: &mut Execution,
    world: &mut World,
    saved: SavedCall,
    outputs: &Val,
) -> Result<Val, AvmError> {
    match outputs {
        Val::List(items) => call_exit_outputs(exec, world, saved, items),
        other => {
            let callee = std::mem::replace(&mut exec.ctx, saved.caller).self_id;
            Err(ExecError::BehaviourOutputNotList {
                object: callee,
                found: other.kind_name(),
            }
            .into())
        }
    }
}

/// [`call_exit`] for a behaviour whose output list holds `outputs`, without the list having
/// been built (the Tape interpreter's `list ..; ret` at the end of a dispatch function).
pub fn call_exit_outputs(
    exec: &mut Execution,
    world: &mut World,
    saved: SavedCall,
    outputs: &[Val],
) -> Result<Val, AvmError> {
    call_exit_result(exec, world, saved, outputs).map(Val::from_option)
}

/// [`call_exit_outputs`] giving the call's result as an `Option` (`Some(head)` for
/// `just head`, `None` for `nothing`), so that a caller holding a `just` it can reuse
/// need not allocate a new one.
pub fn call_exit_result(
    exec: &mut Execution,
    world: &mut World,
    saved: SavedCall,
    outputs: &[Val],
) -> Result<Option<Val>, AvmError> {
    let callee_ctx = std::mem::replace(&mut exec.ctx, saved.caller);
    let (callee, input) = (callee_ctx.self_id, callee_ctx.input);
    let result = outputs.first().map(Val::clone_inline);
    if let Some(sp) = exec.txs.top_mut() {
        sp.tx_log.push((callee, input.clone()));
    }
    exec.log_with(world, true, || {
        EventType::ObjectCalled(callee, input, result.clone())
    });
    Ok(result)
}

/// Second half of `call` when the behaviour's output list is known only by its first element
/// (`None` for an empty list): the same effects as `call_exit` (the caller's context restored,
/// the call appended to the transaction's call log, `ObjectCalled` logged after the callee's
/// events), without building the list; returns the result as an option (`call_exit` returns it
/// as `nothing` / `just head`), so a caller that ignores the result allocates nothing.
pub fn call_exit_first(
    exec: &mut Execution,
    world: &mut World,
    saved: SavedCall,
    first: Option<Val>,
) -> Option<Val> {
    let callee_ctx = std::mem::replace(&mut exec.ctx, saved.caller);
    let (callee, input) = (callee_ctx.self_id, callee_ctx.input);
    if let Some(sp) = exec.txs.top_mut() {
        sp.tx_log.push((callee, input.clone()));
    }
    exec.log_with(world, true, || {
        EventType::ObjectCalled(callee, input, first.clone())
    });
    first
}

/// `receive`: takes the activation's message from its mailbox (`just input` the first time,
/// `nothing` afterwards) and logs `MessageReceived(self, input)` when a message was taken.
pub fn receive(exec: &mut Execution, world: &mut World) -> Val {
    match exec.ctx.mailbox {
        Mailbox::Full => {
            exec.ctx.mailbox = Mailbox::Empty;
            let (me, input) = (exec.ctx.self_id, exec.ctx.input.clone());
            exec.log(world, EventType::MessageReceived(me, input.clone()));
            Val::just(input)
        }
        Mailbox::Empty => Val::Nothing,
    }
}
