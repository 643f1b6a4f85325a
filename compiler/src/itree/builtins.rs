//! Prelude built-ins: calls of [`crate::resolve::Builtin`]s to ITree expressions and
//! instructions.
//!
//! Takes the built-in, its argument expressions and the continuation; produces an
//! `Expr::Builtin` for the pure helpers the VM has, an `if` for `min` / `max` / `abs`, the AVM
//! instruction for the effectful ones (`print` is the VM's `Print` extension), a `Predicate` for
//! `scry_meta` / `scry_deep`, a generated tail-recursive helper for `map` / `filter` / `fold`
//! (specialised to the function argument, which must be a named function or a closure literal;
//! a closure is lambda-lifted over the variables in scope), and the FD / Nondet instructions
//! (through [`super::fd`]).

use avm_vm::itree::builder::name;
use avm_vm::itree::{
    BinOp, Builtin as VmBuiltin, Expr, FnKind as ItFnKind, Instr, Name, Pattern, Predicate, Term,
    UnOp,
};
use avm_vm::value::Val;

use super::cont::Cont;
use super::expr::unit;
use super::{Lowered, Lowerer};
use crate::resolve::{Builtin, ItemDef, Res};
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
        Builtin::AllDifferent => return Some(super::fd::constraint("AllDiff", args)),
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
        if matches!(
            b,
            Builtin::FdVars | Builtin::Narrow | Builtin::Label | Builtin::Choose
        ) {
            self.fd_forms += 1;
        }
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
            Builtin::Map | Builtin::Filter | Builtin::Fold => {
                return self.list_helper(e, b, args, k);
            }
            _ => {}
        }
        // `lookup`'s requested interface: `some(text)` for `Option[Ref[T]]`, `none` for
        // `Option[Ref[Any]]`.
        let interface = if b == Builtin::Lookup {
            Some(self.lookup_interface(e)?)
        } else {
            None
        };
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
                    Builtin::FdVars => lw.fd_vars(vs, k),
                    Builtin::Narrow => {
                        let v = arg(0);
                        lw.instr(Instr::Narrow(v, arg(1)), k)
                    }
                    Builtin::Label => lw.instr(Instr::Label(arg(0)), k),
                    Builtin::Choose => lw.instr(Instr::Choose(arg(0)), k),
                    Builtin::Publish => {
                        let name = arg(0);
                        lw.effect(Instr::Publish(name, arg(1)), k)
                    }
                    Builtin::Lookup => {
                        let iface = interface.clone().unwrap_or(Expr::Lit(Val::Nothing));
                        lw.instr(Instr::Lookup(arg(0), iface), k)
                    }
                    _ => Err(lw.unsupported(e.span, &format!("the built-in `{}`", b.name()))),
                }
            }),
        )
    }
}

impl Lowerer<'_> {
    /// The interface operand of a `lookup` call: `some(text)` when its type is
    /// `Option[Ref[T]]` for an object type `T`, `none` for `Option[Ref[Any]]`; E0912 otherwise.
    fn lookup_interface(&self, e: &ast::Expr) -> Lowered<Expr> {
        use crate::typeck::types::{RefTarget, Type};
        match self.typed.type_of(self.cx.module, e.id) {
            Some(Type::Option(inner)) => match &**inner {
                Type::Ref(RefTarget::Object(id)) => Ok(Expr::Lit(Val::just(Val::str(
                    &crate::typeck::interface::object_interface(self.typed, *id),
                )))),
                Type::Ref(RefTarget::Any) => Ok(Expr::Lit(Val::Nothing)),
                other => Err(self.lookup_type_error(e, Some(other))),
            },
            other => Err(self.lookup_type_error(e, other)),
        }
    }

    fn lookup_type_error(
        &self,
        e: &ast::Expr,
        found: Option<&crate::typeck::types::Type>,
    ) -> Box<crate::diagnostics::Diagnostic> {
        let shown = found
            .map(|t| t.display(&self.typed.resolution.defs, &[]))
            .unwrap_or_else(|| "unknown".into());
        Box::new(
            crate::diagnostics::Diagnostic::new(
                crate::diagnostics::Code::E0912,
                format!("`lookup` gives an object reference, not `Option[{shown}]`"),
                crate::diagnostics::Label::new(
                    self.cx.file,
                    e.span,
                    "the type of this `lookup` is not `Option[Ref[T]]`",
                ),
            )
            .with_help(
                "say which object type you expect: `let b: Option[Ref[Bank]] = lookup(\"bank\")`",
            ),
        )
    }

    /// The function a `map` / `filter` / `fold` argument denotes: the function to call, the
    /// helper's parameters passed to it first, and whether the argument is a value computed at
    /// run time (then the helper's first parameter `$fv` holds it and the function is the
    /// dispatcher of function values).
    fn function_argument(
        &mut self,
        f: &ast::Expr,
        arity: usize,
    ) -> Lowered<(Name, Vec<Name>, FnArgument)> {
        match &f.kind {
            ExprKind::Path(_) => match self.typed.resolution.res(self.cx.module, f.id) {
                Some(Res::Item(ItemDef::Fn(id))) => {
                    Ok((self.fn_name(*id), Vec::new(), FnArgument::Static))
                }
                _ => Ok(self.dynamic_argument(f, arity)),
            },
            ExprKind::Closure { params, body } => {
                let (fname, captured) = self.lift_closure(params, body, true)?;
                Ok((fname, captured, FnArgument::Static))
            }
            _ => Ok(self.dynamic_argument(f, arity)),
        }
    }

    fn dynamic_argument(&mut self, f: &ast::Expr, arity: usize) -> (Name, Vec<Name>, FnArgument) {
        let apply = self.dispatcher(f, arity);
        (apply, vec![name("$fv")], FnArgument::Dynamic)
    }

    /// `map(xs, f)`, `filter(xs, p)`, `fold(xs, init, f)` as a generated tail-recursive helper
    /// `h(captured…, list, acc)`.
    fn list_helper<'e>(
        &mut self,
        e: &'e ast::Expr,
        b: Builtin,
        args: &'e [ast::Expr],
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let Some(fexpr) = args.last() else {
            return Err(self.unsupported(e.span, "this call"));
        };
        let arity = if b == Builtin::Fold { 2 } else { 1 };
        let (lam, captured, how) = self.function_argument(fexpr, arity)?;
        let helper = self.gen_fn_name(b.name());
        let v = |n: &Name| Expr::Var(n.clone());
        let (list, acc, h, t, y) = (
            name("$list"),
            name("$acc"),
            name("$h"),
            name("$t"),
            name("$y"),
        );
        let call = |function: &Name, extra: Vec<Expr>| -> Term {
            let mut a: Vec<Expr> = captured.iter().map(v).collect();
            a.extend(extra);
            Term::Call {
                function: function.clone(),
                args: a,
            }
        };
        let again = |acc_value: Expr| call(&helper, vec![v(&t), acc_value]);
        let cons = |x: Expr, xs: Expr| Expr::Builtin(VmBuiltin::Cons, vec![x, xs]);
        let (done, step) = match b {
            Builtin::Map => (
                Expr::Builtin(VmBuiltin::Reverse, vec![v(&acc)]),
                Term::Bind {
                    first: Box::new(call(&lam, vec![v(&h)])),
                    name: y.clone(),
                    rest: Box::new(again(cons(v(&y), v(&acc)))),
                },
            ),
            Builtin::Filter => (
                Expr::Builtin(VmBuiltin::Reverse, vec![v(&acc)]),
                Term::Bind {
                    first: Box::new(call(&lam, vec![v(&h)])),
                    name: y.clone(),
                    rest: Box::new(Term::If {
                        cond: v(&y),
                        then_branch: Box::new(again(cons(v(&h), v(&acc)))),
                        else_branch: Box::new(again(v(&acc))),
                    }),
                },
            ),
            _ => (
                v(&acc),
                Term::Bind {
                    first: Box::new(call(&lam, vec![v(&acc), v(&h)])),
                    name: y.clone(),
                    rest: Box::new(again(v(&y))),
                },
            ),
        };
        let body = Term::Match {
            scrutinee: v(&list),
            arms: vec![
                avm_vm::itree::Arm {
                    pattern: Pattern::Cons(
                        Box::new(Pattern::Bind(h.clone())),
                        Box::new(Pattern::Bind(t.clone())),
                    ),
                    guard: None,
                    body: step,
                },
                avm_vm::itree::Arm {
                    pattern: Pattern::Wild,
                    guard: None,
                    body: Term::Ret(done),
                },
            ],
        };
        let mut params = captured.clone();
        params.push(list);
        params.push(acc);
        self.functions.insert(
            helper.clone(),
            avm_vm::itree::Function {
                name: helper.clone(),
                params,
                body,
                kind: ItFnKind::Pure,
                safety: self.cx.safety,
            },
        );
        let data = match how {
            FnArgument::Static => &args[..args.len() - 1],
            FnArgument::Dynamic => args,
        };
        self.exprs(
            data,
            Box::new(move |lw, mut vs| {
                let fv = match how {
                    FnArgument::Static => None,
                    FnArgument::Dynamic => vs.pop(),
                };
                let init = if b == Builtin::Fold {
                    vs.pop().unwrap_or_else(unit)
                } else {
                    Expr::List(Vec::new())
                };
                let xs = vs.pop().unwrap_or_else(unit);
                let mut a: Vec<Expr> = match fv {
                    Some(fv) => vec![fv],
                    None => captured.iter().cloned().map(Expr::Var).collect(),
                };
                a.push(xs);
                a.push(init);
                let t = lw.temp();
                lw.cx.scope.push(t.clone());
                let rest = k.apply(lw, Expr::Var(t.clone()))?;
                Ok(Term::Bind {
                    first: Box::new(Term::Call {
                        function: helper,
                        args: a,
                    }),
                    name: t,
                    rest: Box::new(rest),
                })
            }),
        )
    }
}

/// How a `map` / `filter` / `fold` function argument reaches the generated helper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FnArgument {
    /// A named function or closure literal, called directly.
    Static,
    /// A function value computed at run time, passed in and called through its dispatcher.
    Dynamic,
}
