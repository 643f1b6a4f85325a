//! Prelude built-ins: calls of [`crate::resolve::Builtin`]s to ITree expressions and
//! instructions.
//!
//! Takes the built-in, its argument expressions and the continuation; produces an
//! `Expr::Builtin` for the pure helpers the VM has, an `if` for `min` / `max` / `abs`, the AVM
//! instruction for the effectful ones (`print` is the VM's `Print` extension), a `Predicate` for
//! `scry_meta` / `scry_deep`, and E0501 for what the VM cannot run yet (FD, nondeterminism,
//! `map` / `filter` / `fold`).

use avm_vm::itree::{BinOp, Builtin as VmBuiltin, Expr, Instr, Predicate, Term, UnOp};
use avm_vm::value::Val;

use super::cont::Cont;
use super::expr::unit;
use super::{Lowered, Lowerer};
use crate::resolve::Builtin;
use crate::syntax::ast::{self, ExprKind};

/// The VM built-in for a pure prelude helper, applied to `args`.
pub(crate) fn pure_builtin(b: Builtin, args: Vec<Expr>) -> Option<Expr> {
    let vm = match b {
        Builtin::Len => VmBuiltin::Len,
        Builtin::ToString => VmBuiltin::ToString,
        Builtin::Contains => VmBuiltin::Contains,
        Builtin::Reverse => VmBuiltin::Reverse,
        Builtin::Head => VmBuiltin::Head,
        Builtin::Tail => VmBuiltin::Tail,
        Builtin::MachineNamed => VmBuiltin::MachineNamed,
        Builtin::ControllerNamed => VmBuiltin::ControllerNamed,
        _ => return None,
    };
    Some(Expr::Builtin(vm, args))
}

impl Lowerer<'_> {
    /// A call of a built-in.
    pub fn builtin<'e>(
        &mut self,
        e: &'e ast::Expr,
        b: Builtin,
        args: &'e [ast::Expr],
        k: Cont<'e>,
    ) -> Lowered<Term> {
        match b {
            Builtin::ScryMeta | Builtin::ScryDeep => {
                let pred = match args.first().map(|a| &a.kind) {
                    Some(ExprKind::Closure { params, body }) => {
                        let mark = self.cx.scope.len();
                        let names = params
                            .iter()
                            .map(|p| self.declare(p.id, &p.name.name))
                            .collect();
                        let body = self.pure_expr(body);
                        self.cx.scope.truncate(mark);
                        match body {
                            Some(body) => Predicate {
                                params: names,
                                body,
                            },
                            None => {
                                return Err(self.unsupported(
                                    e.span,
                                    "a scry predicate that calls functions or has effects",
                                ));
                            }
                        }
                    }
                    _ => {
                        return Err(
                            self.unsupported(e.span, "a scry predicate that is not a closure")
                        );
                    }
                };
                let instr = if b == Builtin::ScryMeta {
                    Instr::ScryMeta(pred)
                } else {
                    Instr::ScryDeep(pred)
                };
                return self.instr(instr, k);
            }
            Builtin::FdVars
            | Builtin::Narrow
            | Builtin::Label
            | Builtin::AllDifferent
            | Builtin::FdSolve => {
                return Err(self.unsupported(e.span, "the FD constraint layer"));
            }
            Builtin::Choose => {
                return Err(self.unsupported(e.span, "`choose` (nondeterminism)"));
            }
            Builtin::Map | Builtin::Filter | Builtin::Fold => {
                return Err(self.unsupported(e.span, &format!("`{}` (function values)", b.name())));
            }
            _ => {}
        }
        self.exprs(
            args,
            Box::new(move |lw, mut vs| {
                if let Some(v) = pure_builtin(b, vs.clone()) {
                    return k.apply(lw, v);
                }
                let mut arg = |i: usize| {
                    if i < vs.len() {
                        std::mem::replace(&mut vs[i], unit())
                    } else {
                        unit()
                    }
                };
                match b {
                    Builtin::Min | Builtin::Max | Builtin::Abs => {
                        let a = lw.temp();
                        let bn = lw.temp();
                        let (av, bv) = (arg(0), arg(1));
                        lw.cx.scope.push(a.clone());
                        lw.cx.scope.push(bn.clone());
                        let k = k.shareable(lw)?;
                        let (x, y) = (Expr::Var(a.clone()), Expr::Var(bn.clone()));
                        let (cond, yes, no) = match b {
                            Builtin::Min => (
                                Expr::Binary(BinOp::Le, Box::new(x.clone()), Box::new(y.clone())),
                                x,
                                y,
                            ),
                            Builtin::Max => (
                                Expr::Binary(BinOp::Ge, Box::new(x.clone()), Box::new(y.clone())),
                                x,
                                y,
                            ),
                            _ => (
                                Expr::Binary(
                                    BinOp::Lt,
                                    Box::new(x.clone()),
                                    Box::new(Expr::Lit(Val::Int(0))),
                                ),
                                Expr::Unary(UnOp::Neg, Box::new(x.clone())),
                                x,
                            ),
                        };
                        let then_branch = k.cont().apply(lw, yes)?;
                        let else_branch = k.cont().apply(lw, no)?;
                        Ok(Term::Let {
                            name: a,
                            value: av,
                            rest: Box::new(Term::Let {
                                name: bn,
                                value: bv,
                                rest: Box::new(Term::If {
                                    cond,
                                    then_branch: Box::new(then_branch),
                                    else_branch: Box::new(else_branch),
                                }),
                            }),
                        })
                    }
                    Builtin::Print => lw.effect(Instr::Print(arg(0)), k),
                    Builtin::Here => lw.instr(Instr::GetCurrentMachine, k),
                    Builtin::MachineOf => lw.instr(Instr::GetMachine(arg(0)), k),
                    Builtin::CurrentController => lw.instr(Instr::GetCurrentController, k),
                    Builtin::ControllerOf => lw.instr(Instr::GetController(arg(0)), k),
                    Builtin::Receive => lw.instr(Instr::Receive, k),
                    Builtin::RawCall => {
                        let target = arg(0);
                        lw.instr(Instr::Call(target, arg(1)), k)
                    }
                    Builtin::ReifyContext => lw.instr(Instr::ReifyContext, k),
                    Builtin::BeginTx => lw.instr(Instr::BeginTx(arg(0)), k),
                    Builtin::CommitTx => lw.instr(Instr::CommitTx(arg(0)), k),
                    Builtin::AbortTx => lw.effect(Instr::AbortTx(arg(0)), k),
                    Builtin::Reflect => lw.instr(Instr::Reflect(arg(0)), k),
                    Builtin::ReifyTx => lw.instr(Instr::ReifyTxState, k),
                    Builtin::ReifyConstraints => lw.instr(Instr::ReifyConstraints, k),
                    _ => Err(lw.unsupported(e.span, &format!("the built-in `{}`", b.name()))),
                }
            }),
        )
    }
}
