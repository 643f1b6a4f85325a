//! Obj family (`isa.md` §2): `createObj`, `destroyObj`, `call` (split into enter/exit), `receive`.
//!
//! Takes the execution, the world and the instruction's operands; produces the result and the
//! trace entries the spec prescribes. Deviations (read-your-writes for destroyed objects, the
//! caller's machine restored after a call, the activation mailbox) are in docs/spec-deviations.md.

use crate::error::{AvmError, ExecError, ObjError};
use crate::exec::{Execution, Mailbox};
use crate::ids::{ControllerId, MachineId, ObjectId};
use crate::isa::live_view_checked;
use crate::meta::ObjectMeta;
use crate::trace::{EventType, TraceMode};
use crate::tx::{Origin, PendingCreate};
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
        None => {
            world.store.insert_object(id, behaviour, meta);
            world.committed(&[id])?;
        }
    }
    exec.log_with(world, true, || EventType::ObjectCreated(id, name));
    Ok(id)
}

/// `destroyObj oid`: removes a pending create, buffers the destruction of a committed object
/// (after the authority check), or destroys at once outside a transaction (the object needs a
/// controller). Always `true` on success, as in the spec.
pub fn destroy(exec: &mut Execution, world: &mut World, id: ObjectId) -> Result<bool, AvmError> {
    world.touch(id)?;
    if exec.txs.active() {
        let view = live_view_checked(exec, world, id)?;
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
        world.committed(&[id])?;
    }
    exec.log(world, EventType::ObjectDestroyed(id));
    Ok(true)
}

/// What a caller must keep to finish a call: the parts of the caller's context the callee's
/// context does not already hold. The caller's `self` is the callee's `sender` (`call_enter`
/// sets it and nothing else writes it; a whole-context restore by a catch or a restart restores
/// the saved-call stack with it), its depth is the callee's minus one, and its machine is kept
/// only when the callee runs elsewhere. So a level of nesting keeps 48 bytes here, and a call
/// on the caller's machine neither clones nor drops the machine id.
#[derive(Clone, Debug)]
pub struct SavedCall {
    /// The caller's input.
    input: Val,
    /// The caller's machine when the callee runs on another one; `None` when they share it.
    machine: Option<MachineId>,
    /// The caller's sender and mailbox.
    link: CallerLink,
}

/// The caller's `sender` and `mailbox`, packed (an `Option<ObjectId>` alone takes 16 bytes).
#[derive(Clone, Copy, Debug)]
struct CallerLink {
    /// The sender's id; meaningful only when `flags` has `HAS_SENDER`.
    sender: u64,
    /// `HAS_SENDER` and `MAILBOX_FULL` bits.
    flags: u8,
}

impl CallerLink {
    const HAS_SENDER: u8 = 1;
    const MAILBOX_FULL: u8 = 2;

    fn new(sender: Option<ObjectId>, mailbox: Mailbox) -> Self {
        let mut flags = match mailbox {
            Mailbox::Full => Self::MAILBOX_FULL,
            Mailbox::Empty => 0,
        };
        let sender = match sender {
            Some(ObjectId(id)) => {
                flags |= Self::HAS_SENDER;
                id
            }
            None => 0,
        };
        CallerLink { sender, flags }
    }

    fn sender(self) -> Option<ObjectId> {
        (self.flags & Self::HAS_SENDER != 0).then_some(ObjectId(self.sender))
    }

    fn mailbox(self) -> Mailbox {
        if self.flags & Self::MAILBOX_FULL != 0 {
            Mailbox::Full
        } else {
            Mailbox::Empty
        }
    }
}

/// The behaviour to run for a call (the callee's context is already installed): borrowed from
/// the committed store outside a transaction, so the common call neither increments nor
/// decrements the name's reference count; owned inside one (the transaction's view of the
/// callee is built on the fly).
#[derive(Clone, Debug)]
pub enum CalleeBehaviour<'w> {
    /// The committed object's behaviour name, borrowed from the world's store.
    Borrowed(&'w Rc<str>),
    /// The behaviour name of the transaction's view of the callee.
    Owned(Rc<str>),
}

impl CalleeBehaviour<'_> {
    /// The behaviour's name.
    #[inline]
    pub fn name(&self) -> &Rc<str> {
        match self {
            CalleeBehaviour::Borrowed(name) => name,
            CalleeBehaviour::Owned(name) => name,
        }
    }
}

/// First half of `call oid input`: looks the callee up (pending creates first), checks authority
/// and records the observation inside a transaction, and installs the callee's context
/// (`self = oid`, `input`, `sender = caller`, the callee's machine, a full mailbox) in place,
/// pushing what the caller needs back (a [`SavedCall`]) onto `saved` (the interpreter's
/// saved-call stack). Returns the callee's behaviour. On error nothing is changed or pushed.
#[inline]
pub fn call_enter<'w>(
    exec: &mut Execution,
    world: &'w World,
    id: ObjectId,
    input: Val,
    saved: &mut Vec<SavedCall>,
) -> Result<CalleeBehaviour<'w>, AvmError> {
    let (behaviour, machine) = if exec.txs.active() {
        let (behaviour, machine) = callee_in_tx(exec, world, id)?;
        (CalleeBehaviour::Owned(behaviour), machine)
    } else {
        match world.store.object(id) {
            Some(obj) => {
                let machine = if obj.meta.machine == exec.ctx.machine {
                    None
                } else {
                    Some(obj.meta.machine.clone())
                };
                (CalleeBehaviour::Borrowed(&obj.behaviour), machine)
            }
            None => return Err(not_found(id)),
        }
    };
    let ctx = &mut exec.ctx;
    let link = CallerLink::new(ctx.sender, ctx.mailbox);
    let machine = machine.map(|m| std::mem::replace(&mut ctx.machine, m));
    let input = std::mem::replace(&mut ctx.input, input);
    let caller = std::mem::replace(&mut ctx.self_id, id);
    // The top level is no object: a method it calls has no sender.
    ctx.sender = (caller != ObjectId::TOP_LEVEL).then_some(caller);
    ctx.mailbox = Mailbox::Full;
    ctx.depth = ctx.depth.saturating_add(1);
    saved.push(SavedCall {
        input,
        machine,
        link,
    });
    Ok(behaviour)
}

/// `ErrObjectNotFound(id)`, built out of line (the error path of an inlined `call_enter`).
#[cold]
#[inline(never)]
fn not_found(id: ObjectId) -> AvmError {
    ObjError::ErrObjectNotFound(id).into()
}

/// `call_enter`'s lookup inside a transaction (pending creates first; authority check and
/// observation of a committed object): the callee's behaviour, and its machine when it is not
/// the caller's. Out of line, so the common path outside a transaction stays small.
#[inline(never)]
fn callee_in_tx(
    exec: &mut Execution,
    world: &World,
    id: ObjectId,
) -> Result<(Rc<str>, Option<MachineId>), AvmError> {
    let view = live_view_checked(exec, world, id)?;
    let machine = if view.meta.machine == exec.ctx.machine {
        None
    } else {
        Some(view.meta.machine)
    };
    Ok((view.behaviour, machine))
}

/// Restores the caller's context from `saved`; returns the callee and the call's input.
#[inline]
fn restore_caller(exec: &mut Execution, saved: SavedCall) -> (ObjectId, Val) {
    let ctx = &mut exec.ctx;
    // `call_enter` set the callee's sender to the caller's self (none for the top level).
    let caller = ctx.sender.unwrap_or(ObjectId::TOP_LEVEL);
    let callee = std::mem::replace(&mut ctx.self_id, caller);
    let input = std::mem::replace(&mut ctx.input, saved.input);
    ctx.sender = saved.link.sender();
    ctx.mailbox = saved.link.mailbox();
    ctx.depth = ctx.depth.saturating_sub(1);
    if let Some(machine) = saved.machine {
        ctx.machine = machine;
    }
    (callee, input)
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
        Val::List(items) => Ok(Val::from_option(call_exit_first(
            exec,
            world,
            saved,
            items.first(),
        ))),
        other => {
            let (callee, _) = restore_caller(exec, saved);
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
#[inline]
pub fn call_exit_result(
    exec: &mut Execution,
    world: &mut World,
    saved: SavedCall,
    outputs: &[Val],
) -> Result<Option<Val>, AvmError> {
    let result = outputs.first().map(Val::clone_inline);
    Ok(call_exit_first(exec, world, saved, result))
}

/// Second half of `call` when the behaviour's output list is known only by its first element
/// (`None` for an empty list): the same effects as `call_exit` (the caller's context restored,
/// the call appended to the transaction's call log, `ObjectCalled` logged after the callee's
/// events), without building the list; returns the result as an option (`call_exit` returns it
/// as `nothing` / `just head`), so a caller that ignores the result allocates nothing.
#[inline(always)]
pub fn call_exit_first(
    exec: &mut Execution,
    world: &mut World,
    saved: SavedCall,
    first: Option<Val>,
) -> Option<Val> {
    let (callee, input) = restore_caller(exec, saved);
    if exec.trace_mode == TraceMode::On {
        log_called(exec, world, callee, input, first.as_ref());
    } else {
        // Not recorded (`ObjectCalled` is no output), but it takes its timestamp; the input
        // moves to the call log instead of being cloned, or is dropped (inline when it is an
        // integer or a boolean, which owns nothing).
        match exec.txs.top_mut() {
            Some(sp) => sp.tx_log.push((callee, input)),
            None => match input {
                Val::Int(_) | Val::Bool(_) => {}
                other => drop(other),
            },
        }
        world.clock += 1;
    }
    first
}

/// `call_exit_first` with tracing on: the call log entry (inside a transaction) and the
/// `ObjectCalled` event. Out of line, so the untraced exit stays small.
#[inline(never)]
fn log_called(
    exec: &mut Execution,
    world: &mut World,
    callee: ObjectId,
    input: Val,
    first: Option<&Val>,
) {
    if let Some(sp) = exec.txs.top_mut() {
        sp.tx_log.push((callee, input.clone()));
    }
    exec.log(
        world,
        EventType::ObjectCalled(callee, input, first.cloned()),
    );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::Context;

    #[test]
    fn call_contexts_are_small() {
        // A saved call is what each level of nesting keeps (docs/performance.md, "Call context
        // and footprint").
        assert_eq!(std::mem::size_of::<SavedCall>(), 48);
        assert_eq!(std::mem::size_of::<Context>(), 64);
    }

    /// A world with a `Counter` object 7 on machine `m` (the top level runs as object 1 there).
    fn world_with_counter() -> (World, Execution) {
        let mut world = World::new();
        let m = MachineId::new("m");
        world.store.insert_object(
            ObjectId(7),
            Rc::from("Counter"),
            ObjectMeta::new(ObjectId(7), m.clone(), None),
        );
        let exec = Execution::new(m, ObjectId(1), Val::Int(0), TraceMode::Off);
        (world, exec)
    }

    #[test]
    fn call_enter_borrows_the_behaviour_and_pushes_the_caller() {
        let (world, mut exec) = world_with_counter();
        let mut saved = Vec::new();
        let callee = call_enter(&mut exec, &world, ObjectId(7), Val::Int(5), &mut saved)
            .expect("object 7 exists");
        let stored = &world.store.object(ObjectId(7)).expect("stored").behaviour;
        assert!(matches!(callee, CalleeBehaviour::Borrowed(b) if Rc::ptr_eq(b, stored)));
        assert_eq!(Rc::strong_count(stored), 1);
        assert_eq!(saved.len(), 1);
        assert_eq!(exec.ctx.self_id, ObjectId(7));
        assert_eq!(exec.ctx.sender, Some(ObjectId(1)));
        assert_eq!(exec.ctx.input, Val::Int(5));
        assert_eq!(exec.ctx.depth, 1);
    }

    #[test]
    fn call_enter_of_a_missing_object_changes_nothing() {
        let (world, mut exec) = world_with_counter();
        let before = exec.ctx.clone();
        let mut saved = Vec::new();
        let err = call_enter(&mut exec, &world, ObjectId(8), Val::Int(5), &mut saved)
            .expect_err("object 8 does not exist");
        assert!(matches!(
            err,
            AvmError::Obj(ObjError::ErrObjectNotFound(ObjectId(8)))
        ));
        assert!(saved.is_empty());
        assert_eq!(exec.ctx, before);
    }

    #[test]
    fn call_exit_restores_the_caller_and_takes_a_timestamp() {
        let (mut world, mut exec) = world_with_counter();
        let before = exec.ctx.clone();
        let mut saved = Vec::new();
        call_enter(&mut exec, &world, ObjectId(7), Val::Int(5), &mut saved).expect("exists");
        let clock = world.clock;
        let saved_call = saved.pop().expect("pushed");
        let r = call_exit_first(&mut exec, &mut world, saved_call, Some(Val::Int(6)));
        assert_eq!(r, Some(Val::Int(6)));
        assert_eq!(exec.ctx, before);
        assert_eq!(world.clock, clock + 1);
    }

    #[test]
    fn caller_link_round_trips() {
        for sender in [None, Some(ObjectId(0)), Some(ObjectId(u64::MAX))] {
            for mailbox in [Mailbox::Full, Mailbox::Empty] {
                let link = CallerLink::new(sender, mailbox);
                assert_eq!((link.sender(), link.mailbox()), (sender, mailbox));
            }
        }
    }
}
