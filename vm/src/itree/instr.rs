//! Instruction execution for the reference interpreter.
//!
//! Takes a resolved instruction node (the `Instr` as written, its resolved operand expressions,
//! whether its result is read, its continuation) and the interpreter state, runs the instruction
//! through the shared semantics in `crate::isa`, and produces the next position: the
//! continuation with the result bound, or the entry of a behaviour / pure function for `call` /
//! `callPure` (their result is bound when they return, see `interp`).

use crate::error::{AvmError, ExecError};
use crate::isa;
use crate::isa::nondet::CommitCheck;
use crate::itree::code::{BehaviourId, Binding, Code, NodeId, Ops, RExpr};
use crate::itree::interp::{Cur, Fault, Interp, Kont, fault};
use crate::itree::term::Name;
use crate::itree::term::{FnKind, Instr};
use crate::trace::EventType;
use crate::value::Val;
use crate::world::World;
use std::rc::Rc;

/// The behaviours of the objects called last, by the identity of the behaviour name the store
/// holds (a behaviour's objects share one name allocation), so a call usually finds its
/// behaviour without hashing the name.
#[derive(Default)]
pub(super) struct BehaviourCache {
    entries: [Option<(Name, BehaviourId)>; 4],
    next: usize,
}

impl BehaviourCache {
    /// The id of the behaviour called `name` in `code` (the first entry checked inline).
    #[inline(always)]
    fn lookup(&mut self, code: &Code<'_>, name: &Name) -> Option<BehaviourId> {
        if let Some((n, id)) = &self.entries[0]
            && Rc::ptr_eq(n, name)
        {
            return Some(*id);
        }
        self.lookup_slow(code, name)
    }

    /// `lookup` past the first entry.
    #[inline(never)]
    fn lookup_slow(&mut self, code: &Code<'_>, name: &Name) -> Option<BehaviourId> {
        for (n, id) in self.entries.iter().flatten() {
            if Rc::ptr_eq(n, name) {
                return Some(*id);
            }
        }
        let id = code.behaviour_id(name)?;
        // Holding the name keeps its allocation alive, so a pointer match is never stale.
        self.entries[self.next] = Some((name.clone(), id));
        self.next = (self.next + 1) % self.entries.len();
        Some(id)
    }
}

impl<'p> Interp<'p> {
    /// `call target input` (not in a pure function): enters the callee's behaviour and gives
    /// its entry node; its outputs are bound when it returns (`Interp::ret`).
    pub(super) fn call_object(
        &mut self,
        code: &Code<'p>,
        world: &mut World,
        target: &RExpr<'p>,
        input: &RExpr<'p>,
        result: Binding,
        rest: NodeId,
    ) -> Result<NodeId, Fault> {
        let target = self.env.object(target)?;
        let input = self.env.eval(input)?;
        self.check_depth()?;
        world.touch(target)?;
        let t = isa::obj::call_enter(&mut self.exec, world, target, input, &mut self.saved_calls)?;
        let Some(b) = self
            .behaviour_cache
            .lookup(code, t.name())
            .and_then(|id| code.behaviours.get(id as usize))
        else {
            return Err(fault(ExecError::UnknownBehaviour(t.name().clone())));
        };
        // The depth was checked above.
        self.konts.push(Kont::Call {
            rest,
            result,
            caller_base: self.env.base,
            caller_safety: self.safety,
        });
        self.env.base = self.env.vars.len();
        self.depth += 1;
        self.safety = b.def.safety;
        self.purity = FnKind::Plain;
        Ok(b.entry)
    }

    /// Runs one instruction node.
    pub(super) fn exec_instr(
        &mut self,
        code: &Code<'p>,
        world: &mut World,
        instr: &'p Instr,
        ops: &Ops<'p>,
        result: Binding,
        rest: NodeId,
    ) -> Result<Cur, AvmError> {
        self.effects_allowed(instr)?;
        let program = self.program;
        let exec = &mut self.exec;
        let env = &self.env;
        let v = match instr {
            Instr::Call(..) => {
                return self
                    .call_object(code, world, ops.get(0)?, ops.get(1)?, result, rest)
                    .map_err(|e| *e)
                    .map(Cur::Eval);
            }
            Instr::CallPure { name, .. } => {
                let args = env.eval(ops.get(0)?)?;
                let args = args.as_list()?;
                let target = isa::pure::call_pure_target(exec, world, name);
                let f = match target {
                    None => None,
                    Some(fname) => match code.function(&fname) {
                        None => return Err(ExecError::UnknownFunction(fname).into()),
                        Some(f) if f.def.params.len() == args.len() => Some(f),
                        Some(_) => None,
                    },
                };
                match f {
                    None => Val::Nothing,
                    Some(f) => {
                        let args = args.clone();
                        self.enter_frame(Kont::PureCall {
                            rest,
                            caller_base: self.env.base,
                            caller_safety: self.safety,
                            caller_purity: self.purity,
                        })?;
                        self.env.vars.extend(args.iter());
                        self.safety = f.def.safety;
                        self.purity = FnKind::Pure;
                        return Ok(Cur::Eval(f.entry));
                    }
                }
            }
            Instr::CreateObj { behaviour, .. } => {
                let c = env.eval(ops.get(0)?)?.as_opt_controller()?;
                if !program.behaviours.contains_key(behaviour) {
                    return Err(ExecError::UnknownBehaviour(behaviour.clone()).into());
                }
                Val::Object(isa::obj::create(exec, world, behaviour.clone(), c)?)
            }
            Instr::DestroyObj(_) => Val::Bool(isa::obj::destroy(
                exec,
                world,
                env.eval(ops.get(0)?)?.as_object()?,
            )?),
            Instr::Receive => isa::obj::receive(exec, world),
            Instr::SelfId => Val::Object(isa::introspect::self_id(exec)),
            Instr::Input => isa::introspect::input(exec),
            Instr::GetCurrentMachine => Val::Machine(isa::introspect::current_machine(exec)),
            Instr::GetState => isa::introspect::get_state(exec, world),
            Instr::SetState(_) => {
                isa::introspect::set_state(exec, world, &env.eval(ops.get(0)?)?)?;
                Val::Unit
            }
            Instr::Sender => isa::introspect::sender(exec),
            Instr::GetField(i) => isa::introspect::get_field(exec, world, *i)?,
            Instr::SetField(i, _) => {
                isa::introspect::set_field(exec, world, *i, env.eval(ops.get(0)?)?)?;
                Val::Unit
            }
            Instr::Reflect(_) => {
                isa::reflect::reflect(world, self.safety, env.eval(ops.get(0)?)?.as_object()?)?
            }
            Instr::ScryMeta(pred) | Instr::ScryDeep(pred) => {
                let deep = matches!(instr, Instr::ScryDeep(_));
                let name = if deep { "scryDeep" } else { "scryMeta" };
                let body = ops.get(0)?;
                let candidates = isa::reflect::scry_candidates(world, self.safety, name)?;
                let mut out = Vec::new();
                for c in &candidates {
                    let mark = self.env.vars.len();
                    // The same parameters `resolve` put in scope: (behaviour, meta) for scryDeep,
                    // (meta) for scryMeta, as far as the predicate declares them.
                    let mut params = pred.params.iter();
                    if deep && params.next().is_some() {
                        self.env.push(Val::Str(c.behaviour.clone()));
                    }
                    if params.next().is_some() {
                        self.env.push(c.meta.to_val());
                    }
                    let keep = self.env.eval(body).and_then(|v| Ok(v.as_bool()?));
                    self.env.vars.truncate(mark);
                    if keep? {
                        out.push(if deep {
                            isa::reflect::scry_deep_item(c)
                        } else {
                            isa::reflect::scry_meta_item(c)
                        });
                    }
                }
                Val::list(out)
            }
            Instr::ReifyContext => isa::reify::reify_context(exec).to_val(),
            Instr::ReifyTxState => {
                Val::from_option(isa::reify::reify_tx_state(exec, self.safety)?.map(|s| s.to_val()))
            }
            Instr::ReifyConstraints => isa::reify::reify_constraints(exec, self.safety)?.to_val(),
            Instr::BeginTx(_) => {
                let c = env.eval(ops.get(0)?)?.as_opt_controller()?;
                let v = Val::Tx(isa::tx::begin(exec, world, c)?);
                self.env.push(v);
                self.save_restart(rest)?;
                return Ok(Cur::Eval(rest));
            }
            Instr::CommitTx(_) | Instr::CommitOrAbort(_) => {
                let id = env.eval(ops.get(0)?)?.as_tx()?;
                if isa::nondet::check_commit(exec, world, id)? == CommitCheck::Retry {
                    return self.restart_tx();
                }
                let exec = &mut self.exec;
                let committed = match instr {
                    Instr::CommitTx(_) => isa::tx::commit(exec, world, id)?,
                    _ => isa::tx::commit_or_abort(exec, world, id)?,
                };
                self.drop_closed_restarts();
                Val::Bool(committed)
            }
            Instr::AbortTx(_) => {
                isa::tx::abort(exec, world, env.eval(ops.get(0)?)?.as_tx()?)?;
                self.drop_closed_restarts();
                Val::Unit
            }
            Instr::RegisterPure { name, function } => {
                if !program.functions.contains_key(function) {
                    return Err(ExecError::UnknownFunction(function.clone()).into());
                }
                Val::Bool(isa::pure::register_pure(
                    world,
                    self.safety,
                    name.clone(),
                    function.clone(),
                )?)
            }
            Instr::UpdatePure { name, function } => {
                if !program.functions.contains_key(function) {
                    return Err(ExecError::UnknownFunction(function.clone()).into());
                }
                Val::Bool(isa::pure::update_pure(
                    exec,
                    world,
                    name.clone(),
                    function.clone(),
                )?)
            }
            Instr::GetMachine(_) => {
                isa::machine::get_machine(exec, world, env.eval(ops.get(0)?)?.as_object()?)?
            }
            Instr::Teleport(_) => {
                let m = env.eval(ops.get(0)?)?.as_machine()?.clone();
                Val::Bool(isa::machine::teleport(exec, world, m)?)
            }
            Instr::MoveObject(..) => {
                let o = env.eval(ops.get(0)?)?.as_object()?;
                let m = env.eval(ops.get(1)?)?.as_machine()?.clone();
                Val::Bool(isa::machine::move_object(exec, world, o, m)?)
            }
            Instr::Fetch(_) => Val::Bool(isa::machine::fetch(
                exec,
                world,
                env.eval(ops.get(0)?)?.as_object()?,
            )?),
            Instr::Publish(..) => {
                let name = env.eval(ops.get(0)?)?.as_str()?.clone();
                let o = env.eval(ops.get(1)?)?.as_object()?;
                isa::names::publish(exec, world, name, o)?;
                Val::Unit
            }
            Instr::Lookup(..) => {
                let name = env.eval(ops.get(0)?)?.as_str()?.clone();
                let iface = env.eval(ops.get(1)?)?;
                isa::names::lookup(exec, world, &name, &iface)?
            }
            Instr::GetCurrentController => isa::controller::get_current_controller(exec),
            Instr::GetController(_) => {
                isa::controller::get_controller(exec, world, env.eval(ops.get(0)?)?.as_object()?)?
            }
            Instr::TransferObject(..) => {
                let o = env.eval(ops.get(0)?)?.as_object()?;
                let c = env.eval(ops.get(1)?)?.as_controller()?.clone();
                Val::Bool(isa::controller::transfer_object(exec, world, o, c)?)
            }
            Instr::Freeze(_) => {
                isa::controller::freeze(exec, world, env.eval(ops.get(0)?)?.as_object()?)?
            }
            Instr::Print(_) => {
                let v = env.eval(ops.get(0)?)?;
                crate::budget::charge(v.top_size());
                exec.log(world, EventType::Output(v));
                Val::Unit
            }
            Instr::NewVar(_) => isa::fd::new_var(exec, world, &env.eval(ops.get(0)?)?)?,
            Instr::Narrow(..) => {
                let x = isa::fd::var_of(&env.eval(ops.get(0)?)?)?;
                isa::fd::narrow(exec, world, x, &env.eval(ops.get(1)?)?)?
            }
            Instr::Post(_) => isa::fd::post(exec, world, &env.eval(ops.get(0)?)?)?,
            Instr::Label(_) => {
                isa::fd::label(exec, world, isa::fd::var_of(&env.eval(ops.get(0)?)?)?)?
            }
            Instr::Choose(_) => isa::nondet::choose(exec, &env.eval(ops.get(0)?)?)?,
            Instr::Require(_) => isa::nondet::require(exec, &env.eval(ops.get(0)?)?)?,
        };
        self.env.push(v);
        Ok(Cur::Eval(rest))
    }
}
