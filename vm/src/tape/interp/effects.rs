//! The Tape effect ops that complete without running program code.
//!
//! Takes an effect kind, its argument registers (already sliced from the frame), the running
//! function's safety, the execution and the world; produces the instruction's result value by
//! calling the shared semantics in `crate::isa`, with operand conversions and error order as
//! in the ITree interpreter (`itree::interp`). `call`, `callPure`, `scryMeta` and `scryDeep`
//! run Tape functions and are handled by the interpreter loop (`machine.rs`), which owns the
//! frames. The FD and Nondet instructions are here too; the commit-time re-run of a
//! transaction's choices needs the frames, so `commitTx` and `beginTx` have a part in the loop.

use super::image::Image;
use crate::error::{AvmError, ExecError};
use crate::exec::Execution;
use crate::isa::{self, Safety};
use crate::tape::effect::EffectKind;
use crate::value::Val;
use crate::world::World;

/// The `i`-th argument (the verifier checked the effect's arity, so the slice is long enough).
#[inline]
fn arg(args: &[Val], i: usize) -> &Val {
    &args[i]
}

/// Runs an effect that does not start Tape code. `kind` is never `call`, `callPure`,
/// `scryMeta`, `scryDeep`, `registerPure` or `updatePure` (the loop handles those).
pub fn simple_effect(
    image: &Image,
    exec: &mut Execution,
    world: &mut World,
    safety: Safety,
    kind: EffectKind,
    args: &[Val],
) -> Result<Val, AvmError> {
    use EffectKind as K;
    Ok(match kind {
        K::SelfId => Val::Object(isa::introspect::self_id(exec)),
        K::Input => isa::introspect::input(exec),
        K::Sender => isa::introspect::sender(exec),
        K::GetCurrentMachine => Val::Machine(isa::introspect::current_machine(exec)),
        K::GetState => isa::introspect::get_state(exec, world),
        K::SetState => {
            isa::introspect::set_state(exec, world, arg(args, 0))?;
            Val::Unit
        }
        K::CreateObj => {
            let name = arg(args, 0).as_str()?;
            let controller = arg(args, 1).as_opt_controller()?;
            let behaviour = image
                .behaviour_named(name)
                .and_then(|i| image.behaviours.get(usize::try_from(i).ok()?))
                .ok_or_else(|| ExecError::UnknownBehaviour(name.clone()))?;
            Val::Object(isa::obj::create(
                exec,
                world,
                behaviour.name.clone(),
                controller,
            )?)
        }
        K::Publish => {
            let name = arg(args, 0).as_str()?.clone();
            isa::names::publish(exec, world, name, arg(args, 1).as_object()?)?;
            Val::Unit
        }
        K::Lookup => isa::names::lookup(exec, world, arg(args, 0).as_str()?, arg(args, 1))?,
        K::DestroyObj => Val::Bool(isa::obj::destroy(exec, world, arg(args, 0).as_object()?)?),
        K::Receive => isa::obj::receive(exec, world),
        K::Reflect => isa::reflect::reflect(world, safety, arg(args, 0).as_object()?)?,
        K::ReifyContext => isa::reify::reify_context(exec).to_val(),
        K::ReifyTxState => {
            Val::from_option(isa::reify::reify_tx_state(exec, safety)?.map(|s| s.to_val()))
        }
        K::ReifyConstraints => isa::reify::reify_constraints(exec, safety)?.to_val(),
        K::BeginTx => {
            let controller = arg(args, 0).as_opt_controller()?;
            Val::Tx(isa::tx::begin(exec, world, controller)?)
        }
        K::CommitTx => Val::Bool(isa::tx::commit(exec, world, arg(args, 0).as_tx()?)?),
        K::AbortTx => {
            isa::tx::abort(exec, world, arg(args, 0).as_tx()?)?;
            Val::Unit
        }
        K::CommitOrAbort => Val::Bool(isa::tx::commit_or_abort(
            exec,
            world,
            arg(args, 0).as_tx()?,
        )?),
        K::GetMachine => isa::machine::get_machine(exec, world, arg(args, 0).as_object()?)?,
        K::Teleport => {
            let machine = arg(args, 0).as_machine()?.clone();
            Val::Bool(isa::machine::teleport(exec, world, machine)?)
        }
        K::MoveObject => {
            let object = arg(args, 0).as_object()?;
            let machine = arg(args, 1).as_machine()?.clone();
            Val::Bool(isa::machine::move_object(exec, world, object, machine)?)
        }
        K::Fetch => Val::Bool(isa::machine::fetch(exec, world, arg(args, 0).as_object()?)?),
        K::GetCurrentController => isa::controller::get_current_controller(exec),
        K::GetController => {
            isa::controller::get_controller(exec, world, arg(args, 0).as_object()?)?
        }
        K::TransferObject => {
            let object = arg(args, 0).as_object()?;
            let controller = arg(args, 1).as_controller()?.clone();
            Val::Bool(isa::controller::transfer_object(
                exec, world, object, controller,
            )?)
        }
        K::Freeze => isa::controller::freeze(exec, world, arg(args, 0).as_object()?)?,
        K::NewVar => isa::fd::new_var(exec, world, arg(args, 0))?,
        K::Narrow => {
            let var = isa::fd::var_of(arg(args, 0))?;
            isa::fd::narrow(exec, world, var, arg(args, 1))?
        }
        K::Post => isa::fd::post(exec, world, arg(args, 0))?,
        K::Label => isa::fd::label(exec, world, isa::fd::var_of(arg(args, 0))?)?,
        K::Choose => isa::nondet::choose(exec, arg(args, 0))?,
        K::Require => isa::nondet::require(exec, arg(args, 0))?,
        // Handled by the interpreter loop or rejected by `Image::load`; reaching here would be
        // an interpreter bug, reported as an error rather than a panic.
        K::Call | K::CallPure | K::ScryMeta | K::ScryDeep | K::RegisterPure | K::UpdatePure => {
            return Err(ExecError::TypeMismatch {
                expected: "an effect without a function operand",
                found: kind.name(),
            }
            .into());
        }
    })
}

/// `registerPure` / `updatePure`: the function operand is a pure Tape function, registered
/// under its name (the registry maps names to implementation names, as for ITree programs).
pub fn pure_registry_effect(
    image: &Image,
    exec: &mut Execution,
    world: &mut World,
    safety: Safety,
    kind: EffectKind,
    function: u32,
    args: &[Val],
) -> Result<Val, AvmError> {
    let name = arg(args, 0).as_str()?.clone();
    let implementation = usize::try_from(function)
        .ok()
        .and_then(|i| image.functions.get(i))
        .map(|f| f.name.clone())
        .ok_or_else(|| ExecError::UnknownFunction(name.clone()))?;
    Ok(Val::Bool(match kind {
        EffectKind::RegisterPure => isa::pure::register_pure(world, safety, name, implementation)?,
        _ => isa::pure::update_pure(exec, world, name, implementation)?,
    }))
}
