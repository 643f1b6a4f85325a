//! Function values by defunctionalisation: closures and named functions used as values, and
//! calls of function values.
//!
//! Takes the closures, function names and tuple-variant constructors a program uses as values,
//! and the calls of function values (`CallInfo::Closure`); produces first-order ITree terms,
//! because the VM's ITree and Tape have no code pointers:
//! - a function value is the pair `("target", [captured…])`: the name of the ITree function to
//!   run and the values it captured (none for a named function);
//! - a closure is lambda-lifted into `f$lambdaN(captured…, params…)` over the variables of the
//!   enclosing scope its body uses (captured by value when the closure is created);
//! - a tuple-variant constructor used as a value gets a generated function `$ctor.E.V(a…)`;
//! - `f(a, b)` on a function value is a call of a generated dispatch function, one per arity
//!   and purity: `$apply_pure2(f, a, b)` (a pure ITree function, so pure code stays pure) when
//!   `f : pure fn(A, B) -> R`, `$apply2` (plain) otherwise. It matches the target name and calls
//!   the target with the captured values and the arguments; the pure one only knows pure
//!   targets. A value no dispatcher knows fails the run (it cannot happen in a checked program).

use std::collections::BTreeSet;
use std::rc::Rc;

use avm_vm::isa::Safety;
use avm_vm::itree::builder::name;
use avm_vm::itree::{Arm, Expr, FnKind as ItFnKind, Function, Name, Pattern, Term};
use avm_vm::value::Val;

use super::cont::Cont;
use super::expr::str_lit;
use super::{Lowered, Lowerer, RetMode};
use crate::resolve::{EnumId, FnId, Res};
use crate::syntax::ast::{self, FnKind};
use crate::typeck::{Purity, Type};

/// A function a function value may name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct FnTarget {
    /// The ITree function to call.
    pub name: Name,
    /// How many captured values come before the arguments.
    pub captured: usize,
    pub arity: usize,
    /// Whether the target is pure (only pure targets are reachable from `$apply_pureN`).
    pub pure: bool,
}

/// The function values of a program and the dispatchers its calls need.
#[derive(Debug, Clone, Default)]
pub(crate) struct FnValues {
    pub targets: BTreeSet<FnTarget>,
    /// `(arity, pure)` of every dispatcher called.
    pub applies: BTreeSet<(usize, bool)>,
}

/// The name of the dispatcher for `arity` arguments.
fn apply_name(arity: usize, pure: bool) -> Name {
    if pure {
        name(&format!("$apply_pure{arity}"))
    } else {
        name(&format!("$apply{arity}"))
    }
}

/// The value `("target", [captured…])`.
fn fn_value(target: &Name, captured: Vec<Expr>) -> Expr {
    Expr::Tuple(vec![str_lit(target), Expr::List(captured)])
}

impl Lowerer<'_> {
    /// A named function used as a value.
    pub(crate) fn fn_item_value<'e>(
        &mut self,
        e: &ast::Expr,
        id: FnId,
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let sig = &self.typed.signatures.fns[id.0 as usize];
        if sig.kind == FnKind::Unsafe {
            return Err(self.unsupported(e.span, "an `unsafe fn` used as a value"));
        }
        let target = FnTarget {
            name: self.fn_name(id),
            captured: 0,
            arity: sig.params.len(),
            pure: sig.kind == FnKind::Pure,
        };
        let value = fn_value(&target.name, Vec::new());
        self.fn_values.targets.insert(target);
        k.apply(self, value)
    }

    /// A tuple-variant constructor used as a value (`map(xs, Some)`-style).
    pub(crate) fn variant_ctor_value<'e>(
        &mut self,
        enum_id: EnumId,
        index: u32,
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let decl = self.typed.resolution.defs.enum_decl(enum_id);
        let arity = self.typed.signatures.enums[enum_id.0 as usize].variants[index as usize]
            .fields
            .len();
        let fname = name(&format!(
            "$ctor.{}.{}",
            decl.name, decl.variants[index as usize].name
        ));
        if !self.functions.contains_key(&fname) {
            let params: Vec<Name> = (0..arity).map(|i| name(&format!("$a{i}"))).collect();
            let body = Term::Ret(self.variant_value(
                enum_id,
                index,
                params.iter().cloned().map(Expr::Var).collect(),
            ));
            self.functions.insert(
                fname.clone(),
                Function {
                    name: fname.clone(),
                    params,
                    body,
                    kind: ItFnKind::Pure,
                    safety: Safety::Safe,
                },
            );
        }
        self.fn_values.targets.insert(FnTarget {
            name: fname.clone(),
            captured: 0,
            arity,
            pure: true,
        });
        k.apply(self, fn_value(&fname, Vec::new()))
    }

    /// Lifts a closure into a generated function over the variables in scope that its body
    /// uses (passed first) and its parameters; produces the function's name and the captured variables.
    pub(crate) fn lift_closure(
        &mut self,
        params: &[ast::ClosureParam],
        body: &ast::Expr,
        pure: bool,
    ) -> Lowered<(Name, Vec<Name>)> {
        let used: rustc_hash::FxHashSet<Name> = super::captures::paths_in(body)
            .into_iter()
            .filter_map(|id| match self.typed.resolution.res(self.cx.module, id) {
                Some(Res::Local(binder)) => self.cx.locals.get(binder).cloned(),
                _ => None,
            })
            .collect();
        for (id, span) in super::captures::assigned_in(body) {
            if let Some(Res::Local(binder)) = self.typed.resolution.res(self.cx.module, id)
                && self.cx.locals.contains_key(binder)
            {
                return Err(self.unsupported(
                    span,
                    "assigning a variable of the enclosing function inside a closure",
                ));
            }
        }
        let mut captured = self.scope_params();
        captured.retain(|n| used.contains(n));
        let fname = self.gen_fn_name("lambda");
        let saved = self.cx.clone();
        self.cx.kind = if pure {
            ItFnKind::Pure
        } else {
            ItFnKind::Plain
        };
        self.cx.ret = RetMode::Value;
        self.cx.loops.clear();
        self.cx.atomics.clear();
        self.cx.try_depth = None;
        self.cx.scope = captured.clone();
        let mut all = captured.clone();
        for p in params {
            all.push(self.declare(p.id, &p.name.name));
        }
        let lowered = self.expr(body, Cont::Return);
        let kind = self.cx.kind;
        let safety = self.cx.safety;
        self.cx = saved;
        self.functions.insert(
            fname.clone(),
            Function {
                name: fname.clone(),
                params: all,
                body: lowered?,
                kind,
                safety,
            },
        );
        Ok((fname, captured))
    }

    /// A closure used as a value: lifted, and paired with the values it captures.
    pub(crate) fn closure_value<'e>(
        &mut self,
        e: &ast::Expr,
        params: &[ast::ClosureParam],
        body: &ast::Expr,
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let pure = matches!(self.ty(e.id), Some(Type::Fn(ft)) if ft.purity == Purity::Pure);
        let (fname, captured) = self.lift_closure(params, body, pure)?;
        self.fn_values.targets.insert(FnTarget {
            name: fname.clone(),
            captured: captured.len(),
            arity: params.len(),
            pure,
        });
        let value = fn_value(&fname, captured.into_iter().map(Expr::Var).collect());
        k.apply(self, value)
    }

    /// The dispatcher that calls a value of `callee`'s type with `arity` arguments (recorded so
    /// that it is generated).
    pub(crate) fn dispatcher(&mut self, callee: &ast::Expr, arity: usize) -> Name {
        let pure = matches!(self.ty(callee.id), Some(Type::Fn(ft)) if ft.purity == Purity::Pure);
        self.fn_values.applies.insert((arity, pure));
        apply_name(arity, pure)
    }

    /// `f(args)` where `f` is a function value: a call of its dispatcher.
    pub(crate) fn call_value<'e>(
        &mut self,
        callee: &'e ast::Expr,
        args: &'e [ast::Expr],
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let apply = self.dispatcher(callee, args.len());
        self.calls_out += 1;
        let mut all: Vec<&'e ast::Expr> = vec![callee];
        all.extend(args.iter());
        self.expr_refs(
            all,
            Box::new(move |lw, vs| {
                let call = Term::Call {
                    function: apply,
                    args: vs,
                };
                if matches!(k, Cont::Return) && lw.cx.ret == RetMode::Value {
                    return Ok(call);
                }
                let t = lw.temp();
                lw.cx.scope.push(t.clone());
                let rest = k.apply(lw, Expr::Var(t.clone()))?;
                Ok(Term::Bind {
                    first: Box::new(call),
                    name: t,
                    rest: Box::new(rest),
                })
            }),
        )
    }

    /// Generates every dispatcher the program calls.
    pub(crate) fn finish_fn_values(&mut self) {
        let values = std::mem::take(&mut self.fn_values);
        for (arity, pure) in &values.applies {
            let f = name("$f");
            let args: Vec<Name> = (0..*arity).map(|i| name(&format!("$x{i}"))).collect();
            let mut arms: Vec<Arm> = values
                .targets
                .iter()
                .filter(|t| t.arity == *arity && (t.pure || !pure))
                .map(|t| {
                    let captured: Vec<Name> =
                        (0..t.captured).map(|i| name(&format!("$c{i}"))).collect();
                    let mut call_args: Vec<Expr> =
                        captured.iter().cloned().map(Expr::Var).collect();
                    call_args.extend(args.iter().cloned().map(Expr::Var));
                    Arm {
                        pattern: Pattern::Tuple(vec![
                            Pattern::Lit(Val::Str(Rc::clone(&t.name))),
                            Pattern::List(captured.into_iter().map(Pattern::Bind).collect()),
                        ]),
                        guard: None,
                        body: Term::Call {
                            function: t.name.clone(),
                            args: call_args,
                        },
                    }
                })
                .collect();
            arms.push(Arm {
                pattern: Pattern::Wild,
                guard: None,
                body: Term::Fail(str_lit(&format!(
                    "not a function value of {arity} arguments known to this program"
                ))),
            });
            let fname = apply_name(*arity, *pure);
            let mut params = vec![f.clone()];
            params.extend(args);
            self.functions.insert(
                fname.clone(),
                Function {
                    name: fname,
                    params,
                    body: Term::Match {
                        scrutinee: Expr::Var(f),
                        arms,
                    },
                    kind: if *pure {
                        ItFnKind::Pure
                    } else {
                        ItFnKind::Plain
                    },
                    safety: Safety::Safe,
                },
            );
        }
    }
}
