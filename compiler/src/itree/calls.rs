//! Calls: AST calls of functions, built-ins, variant constructors, methods and object
//! creation to ITree terms in continuation-passing style.
//!
//! Takes a call expression (`f(args)`, `c.m(args)`, `try c.m(args)`, `create B(args)`) and the
//! continuation of its value; produces the [`Term`] that evaluates the arguments, performs the
//! call (a program function call, a `call` instruction, or `createObj` and its `init` call) and
//! continues. Split out of `expr.rs`, which dispatches here.

use avm_vm::itree::{Arm, Expr, FnKind as ItFnKind, Instr, Pattern, Term};
use avm_vm::value::Val;

use super::cont::Cont;
use super::expr::{str_lit, unit};
use super::{Lowered, Lowerer, RetMode};
use crate::resolve::Res;
use crate::syntax::ast::{self, FnKind};
use crate::typeck::{CallInfo, Type};

impl Lowerer<'_> {
    /// `f(args)`: a function, a built-in or a variant constructor.
    pub(super) fn call<'e>(
        &mut self,
        e: &'e ast::Expr,
        callee: &'e ast::Expr,
        args: &'e [ast::Expr],
        k: Cont<'e>,
    ) -> Lowered<Term> {
        match self.call_info(e.id).cloned() {
            Some(CallInfo::Fn { id, kind }) => self.call_fn(id, kind, args, k),
            Some(CallInfo::Builtin(b)) => self.builtin(e, b, args, k),
            Some(CallInfo::Method { .. } | CallInfo::Create { .. }) | None => {
                match self.res(callee.id).cloned() {
                    Some(Res::Variant { enum_id, index }) => self.exprs(
                        args,
                        Box::new(move |lw, vs| {
                            let v = lw.variant_value(enum_id, index, vs);
                            k.apply(lw, v)
                        }),
                    ),
                    _ => Err(self.unsupported(e.span, "this call")),
                }
            }
            Some(CallInfo::Closure) => self.call_value(callee, args, k),
        }
    }

    /// A call of a top-level function: `callPure` for a pure function called from effectful
    /// code, a direct ITree call otherwise.
    pub fn call_fn<'e>(
        &mut self,
        id: crate::resolve::FnId,
        kind: FnKind,
        args: &'e [ast::Expr],
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let fname = self.fn_name(id);
        if kind != FnKind::Pure {
            self.calls_out += 1;
        }
        self.exprs(
            args,
            Box::new(move |lw, vs| {
                if kind == FnKind::Pure && lw.cx.kind != ItFnKind::Pure {
                    let message = format!(
                        "pure function `{fname}` is not registered (or takes a different number of arguments)"
                    );
                    return lw.instr(
                        Instr::CallPure {
                            name: fname,
                            args: Expr::List(vs),
                        },
                        Cont::then(move |lw, r| lw.unwrap_option(r, message, k)),
                    );
                }
                let call = Term::Call {
                    function: fname,
                    args: vs,
                };
                if matches!(k, Cont::Return) && lw.cx.ret == RetMode::Value {
                    return Ok(call);
                }
                let t = lw.temp();
                lw.cx.scope.push(t.clone());
                // After the call returns, the statement that made it is running again.
                let here = lw.stmt_loc;
                let rest = k.apply(lw, Expr::Var(t.clone()))?;
                Ok(Term::Bind {
                    first: Box::new(call),
                    name: t,
                    rest: Box::new(Lowerer::mark(here, rest)),
                })
            }),
        )
    }

    /// `match r { some(v) => k(v), _ => fail message }`.
    pub fn unwrap_option<'e>(&mut self, r: Expr, message: String, k: Cont<'e>) -> Lowered<Term> {
        let v = self.temp();
        let mark = self.cx.scope.len();
        self.cx.scope.push(v.clone());
        let some = k.apply(self, Expr::Var(v.clone()))?;
        self.cx.scope.truncate(mark);
        Ok(Term::Match {
            scrutinee: r,
            arms: vec![
                Arm {
                    pattern: Pattern::Just(Box::new(Pattern::Bind(v))),
                    guard: None,
                    body: some,
                },
                Arm {
                    pattern: Pattern::Wild,
                    guard: None,
                    body: Term::Fail(str_lit(&message)),
                },
            ],
        })
    }

    /// `c.m(args)`: `call(c, ["m", args…])`.
    pub(super) fn method_call<'e>(
        &mut self,
        e: &'e ast::Expr,
        receiver: &'e ast::Expr,
        args: &'e [ast::Expr],
        result: MethodResult,
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let (object, method) = match self.call_info(e.id).cloned() {
            Some(CallInfo::Method { object, method }) => (object, method),
            Some(CallInfo::Fn { id, kind }) => return self.call_fn(id, kind, args, k),
            Some(CallInfo::Builtin(b)) => return self.builtin(e, b, args, k),
            _ => return Err(self.unsupported(e.span, "this method call")),
        };
        let oname = self.object_name(object);
        let Some(msig) = self.typed.signatures.objects[object.0 as usize]
            .methods
            .get(method)
        else {
            return Err(self.unsupported(e.span, "this method call"));
        };
        let mname = msig.name.clone();
        self.calls_out += 1;
        self.exprs(
            std::slice::from_ref(receiver),
            Box::new(move |lw, mut r| {
                let target = r.pop().unwrap_or_else(unit);
                lw.exprs(
                    args,
                    Box::new(move |lw, vs| {
                        let mut msg = vec![str_lit(&mname)];
                        msg.extend(vs);
                        let call = Instr::Call(target, Expr::List(msg));
                        match result {
                            MethodResult::Option => lw.instr(call, k),
                            MethodResult::Unwrap => {
                                let message =
                                    format!("call rejected: {oname}.{mname} produced no result");
                                lw.instr(
                                    call,
                                    Cont::then(move |lw, r| lw.unwrap_option(r, message, k)),
                                )
                            }
                        }
                    }),
                )
            }),
        )
    }

    /// `create O(args) by c`.
    pub(super) fn create<'e>(
        &mut self,
        e: &'e ast::Expr,
        args: &'e [ast::Expr],
        controller: Option<&'e ast::Expr>,
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let Some(CallInfo::Create { object }) = self.call_info(e.id).cloned() else {
            return Err(self.unsupported(e.span, "this `create`"));
        };
        let oname = self.object_name(object);
        let decl = self.typed.resolution.defs.object(object);
        let needs_init = decl.init.is_some() || !decl.fields.is_empty();
        self.calls_out += 1;
        self.exprs(
            args,
            Box::new(move |lw, vs| {
                let finish = move |lw: &mut Lowerer, ctl: Expr| -> Lowered<Term> {
                    let create = Instr::CreateObj {
                        behaviour: oname.clone(),
                        controller: ctl,
                    };
                    lw.instr(
                        create,
                        Cont::then(move |lw, id| {
                            if !needs_init {
                                return k.apply(lw, id);
                            }
                            let mut msg = vec![str_lit("init")];
                            msg.extend(vs);
                            let message = format!("call rejected: {oname}.init produced no result");
                            lw.instr(
                                Instr::Call(id.clone(), Expr::List(msg)),
                                Cont::then(move |lw, r| {
                                    lw.unwrap_option(
                                        r,
                                        message,
                                        Cont::then(move |lw, _| k.apply(lw, id)),
                                    )
                                }),
                            )
                        }),
                    )
                };
                match controller {
                    None => {
                        let ctl = match &lw.options.default_controller {
                            Some(c) => Expr::Just(Box::new(Expr::Lit(Val::Controller(
                                avm_vm::ids::ControllerId::new(c),
                            )))),
                            None => Expr::Lit(Val::Nothing),
                        };
                        finish(lw, ctl)
                    }
                    Some(c) => {
                        let is_option = matches!(lw.ty(c.id), Some(Type::Option(_)));
                        lw.expr(
                            c,
                            Cont::then(move |lw, v| {
                                let ctl = if is_option {
                                    v
                                } else {
                                    Expr::Just(Box::new(v))
                                };
                                finish(lw, ctl)
                            }),
                        )
                    }
                }
            }),
        )
    }
}

/// What a method call gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MethodResult {
    /// `c.m()`: the value; a rejection fails the run.
    Unwrap,
    /// `try c.m()`: the `Option`.
    Option,
}
