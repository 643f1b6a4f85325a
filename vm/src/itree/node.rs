//! One step of the reference interpreter from a resolved node.
//!
//! Takes a `NodeId` of the program's `Code` and the interpreter state, runs the node (evaluates
//! its expressions, binds, enters or leaves frames, runs its instruction through `instr`) and
//! produces the next position: usually the next node (`Next::Node`), else a value to return or
//! a behaviour's outputs, written to the step loop's `pos` (`Next::Pos`). Errors are boxed
//! (`Fault`) so that a step's result stays small. `Term::At` marks take no step of their own.

use crate::error::ExecError;
use crate::isa;
use crate::itree::code::{Code, Node, NodeId, RExpr};
use crate::itree::interp::{Cur, Fault, FrameKind, Interp, Kont, Next, TryScope, fault};
use crate::itree::term::{FnKind, Instr};
use crate::value::Val;
use crate::world::World;

impl<'p> Interp<'p> {
    /// Runs node `node` (one step). Inlined into the step loop: out of line, every step pays
    /// for a call and the spills around it.
    #[inline(always)]
    pub(super) fn eval_node(
        &mut self,
        code: &Code<'p>,
        world: &mut World,
        node: NodeId,
        pos: &mut Cur,
    ) -> Result<Next, Fault> {
        // Source marks take no step: record the innermost and run the marked node.
        let mut n = code.node(node);
        while let Node::At { loc, body } = n {
            self.loc = Some(*loc);
            n = code.node(*body);
        }
        match n {
            Node::Ret(RExpr::List(items))
                if matches!(self.konts.last(), Some(Kont::Call { .. })) =>
            {
                // A behaviour returning a list literal: only the first element is the call's
                // result; the others are evaluated for their errors only.
                let mut first = None;
                for (i, e) in items.iter().enumerate() {
                    let v = self.env.eval(e)?;
                    if i == 0 {
                        first = Some(v);
                    }
                }
                *pos = Cur::Outputs(first);
                Ok(Next::Pos)
            }
            Node::Ret(e) => {
                *pos = Cur::Return(self.env.eval(e)?);
                Ok(Next::Pos)
            }
            Node::Tau(t) => Ok(Next::Node(*t)),
            Node::Let { value, rest } => {
                let v = self.env.eval(value)?;
                self.env.push(v);
                Ok(Next::Node(*rest))
            }
            Node::If {
                cond,
                then_branch,
                else_branch,
            } => {
                if self.env.eval_bool(cond)? {
                    Ok(Next::Node(*then_branch))
                } else {
                    Ok(Next::Node(*else_branch))
                }
            }
            Node::Match { scrutinee, arms } => {
                let v = self.env.eval(scrutinee)?;
                for arm in arms.iter() {
                    let mark = self.env.vars.len();
                    if self.env.bind_pattern(arm.pattern, &v) {
                        let pass = match &arm.guard {
                            None => true,
                            Some(g) => self.env.eval_bool(g)?,
                        };
                        if pass {
                            return Ok(Next::Node(arm.body));
                        }
                        self.env.vars.truncate(mark);
                    }
                }
                Err(fault(ExecError::NoMatchingArm { value: v }))
            }
            Node::Bind { first, rest } => {
                self.konts.push(Kont::Bind {
                    rest: *rest,
                    env_len: self.env.vars.len(),
                });
                Ok(Next::Node(*first))
            }
            Node::Fail(e) => Err(fault(ExecError::Failed(self.env.eval(e)?))),
            // Unwrapped above; kept for exhaustiveness.
            Node::At { body, .. } => Ok(Next::Node(*body)),
            Node::Try { body, rest } => {
                self.konts.push(Kont::Try(Box::new(TryScope {
                    rest: *rest,
                    env_len: self.env.vars.len(),
                    env_base: self.env.base,
                    saved_calls: self.saved_calls.len(),
                    open_txs: self.exec.txs.savepoints.len(),
                    depth: self.depth,
                    safety: self.safety,
                    purity: self.purity,
                    ctx: self.exec.ctx.clone(),
                    loc: self.loc,
                })));
                Ok(Next::Node(*body))
            }
            Node::Call {
                function,
                target,
                args,
            } => {
                let Some(f) = target.and_then(|t| code.functions.get(t as usize)) else {
                    return Err(fault(ExecError::UnknownFunction((*function).clone())));
                };
                let def = f.def;
                if def.params.len() != args.len() {
                    return Err(fault(ExecError::ArityMismatch {
                        function: (*function).clone(),
                        expected: def.params.len(),
                        found: args.len(),
                    }));
                }
                let tail = matches!(
                    self.konts.last(),
                    Some(
                        Kont::Frame {
                            kind: FrameKind::Function,
                            ..
                        } | Kont::PureCall { .. }
                    )
                );
                if tail && let [arg] = &args[..] {
                    // A loop's usual self-call: the argument replaces the whole frame.
                    let v = self.env.eval(arg)?;
                    let base = self.env.base;
                    self.env.vars.truncate(base);
                    self.env.push(v);
                } else {
                    // The arguments go on top of the value stack (evaluated in the caller's
                    // frame) and become the callee frame's first slots.
                    let mark = self.env.vars.len();
                    for a in args.iter() {
                        let v = self.env.eval(a)?;
                        self.env.push(v);
                    }
                    if tail {
                        // Reuse the frame: move the arguments down to its first slots (each
                        // swap's right side still holds its argument) and drop the rest.
                        let base = self.env.base;
                        for i in 0..args.len() {
                            self.env.vars.swap(base + i, mark + i);
                        }
                        self.env.vars.truncate(base + args.len());
                    } else {
                        self.enter_frame(Kont::Frame {
                            kind: FrameKind::Function,
                            caller_base: self.env.base,
                            caller_safety: self.safety,
                            caller_purity: self.purity,
                        })?;
                        self.env.base = mark;
                    }
                }
                self.safety = def.safety;
                if def.kind == FnKind::Pure {
                    self.purity = FnKind::Pure;
                }
                Ok(Next::Node(f.entry))
            }
            Node::Instr {
                instr,
                ops,
                result,
                rest,
            } => {
                // `self` skips `exec_instr`'s large frame (which reports effects in pure
                // functions).
                if self.purity == FnKind::Pure {
                    *pos = self.exec_instr(code, world, instr, ops, *result, *rest)?;
                    return Ok(Next::Pos);
                }
                if let Instr::SelfId = instr {
                    self.env
                        .push(Val::Object(isa::introspect::self_id(&self.exec)));
                    return Ok(Next::Node(*rest));
                }
                *pos = self.exec_instr(code, world, instr, ops, *result, *rest)?;
                Ok(Next::Pos)
            }
            Node::CallObject {
                instr,
                target,
                input,
                result,
                rest,
            } => {
                self.effects_allowed(instr)?;
                self.call_object(code, world, target, input, *result, *rest)
                    .map(Next::Node)
            }
            Node::Input { instr, rest } => {
                self.effects_allowed(instr)?;
                // `isa::introspect::input`, with an integer input copied inline.
                self.env.push(self.exec.ctx.input.clone_inline());
                Ok(Next::Node(*rest))
            }
            Node::GetField { instr, index, rest } => {
                self.effects_allowed(instr)?;
                let v = isa::introspect::get_field(&mut self.exec, world, *index)?;
                self.env.push(v);
                Ok(Next::Node(*rest))
            }
            Node::SetField {
                instr,
                index,
                value,
                rest,
            } => {
                self.effects_allowed(instr)?;
                let v = self.env.eval(value)?;
                isa::introspect::set_field(&mut self.exec, world, *index, v)?;
                self.env.push(Val::Unit);
                Ok(Next::Node(*rest))
            }
        }
    }
}
