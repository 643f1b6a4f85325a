//! Expressions: AST expressions to ITree terms in continuation-passing style.
//!
//! Takes an [`ast::Expr`] and the continuation of its value; produces the [`Term`] that computes
//! the value (instructions, calls and control flow first) and then continues. Effect-free
//! sub-expressions become ITree [`Expr`]s directly ([`Lowerer::pure_expr`]).

use std::rc::Rc;

use avm_vm::itree::builder::name;
use avm_vm::itree::{BinOp, Expr, Instr, Term, UnOp};
use avm_vm::value::Val;

use super::calls::MethodResult;
use super::cont::Cont;
use super::{AbortExit, AtomicCx, Lowered, Lowerer};
use crate::resolve::{ItemDef, Res, VariantShape};
use crate::syntax::ast::{self, BinaryOp, ContextValue, ExprKind, Literal, UnaryOp};
use crate::typeck::{CallInfo, Type};

/// The continuation of a list of values.
pub(crate) type ThenMany<'e> = Box<dyn FnOnce(&mut Lowerer, Vec<Expr>) -> Lowered<Term> + 'e>;

pub(crate) fn literal(l: &Literal) -> Val {
    match l {
        Literal::Int(i) => Val::Int(*i),
        Literal::Bool(b) => Val::Bool(*b),
        Literal::String(s) => Val::Str(Rc::from(s.as_str())),
        Literal::Unit => Val::Unit,
    }
}

fn bin_op(op: BinaryOp) -> BinOp {
    match op {
        BinaryOp::Add => BinOp::Add,
        BinaryOp::Sub => BinOp::Sub,
        BinaryOp::Mul => BinOp::Mul,
        BinaryOp::Div => BinOp::Div,
        BinaryOp::Rem => BinOp::Rem,
        BinaryOp::Eq => BinOp::Eq,
        BinaryOp::Ne => BinOp::Ne,
        BinaryOp::Lt => BinOp::Lt,
        BinaryOp::Le => BinOp::Le,
        BinaryOp::Gt => BinOp::Gt,
        BinaryOp::Ge => BinOp::Ge,
        BinaryOp::And => BinOp::And,
        BinaryOp::Or => BinOp::Or,
        BinaryOp::Concat => BinOp::Concat,
    }
}

pub(crate) fn unit() -> Expr {
    Expr::Lit(Val::Unit)
}

pub(crate) fn str_lit(s: &str) -> Expr {
    Expr::Lit(Val::Str(Rc::from(s)))
}

impl Lowerer<'_> {
    pub(super) fn res(&self, node: ast::NodeId) -> Option<&Res> {
        self.typed.resolution.res(self.cx.module, node)
    }

    pub(crate) fn ty(&self, node: ast::NodeId) -> Option<&Type> {
        self.typed.type_of(self.cx.module, node)
    }

    pub(crate) fn call_info(&self, node: ast::NodeId) -> Option<&CallInfo> {
        self.typed.call(self.cx.module, node)
    }

    /// A variant value with the given payload.
    pub(crate) fn variant_value(
        &self,
        enum_id: crate::resolve::EnumId,
        index: u32,
        payload: Vec<Expr>,
    ) -> Expr {
        let decl = self.typed.resolution.defs.enum_decl(enum_id);
        Expr::Variant {
            enum_name: name(&decl.name),
            variant: name(&decl.variants[index as usize].name),
            payload,
        }
    }

    /// The ITree form of an effect-free expression, or `None` when it needs instructions,
    /// calls or control flow.
    pub fn pure_expr(&self, e: &ast::Expr) -> Option<Expr> {
        let all = |es: &[ast::Expr]| -> Option<Vec<Expr>> {
            es.iter().map(|x| self.pure_expr(x)).collect()
        };
        Some(match &e.kind {
            ExprKind::Lit(l) => Expr::Lit(literal(l)),
            ExprKind::None => Expr::Lit(Val::Nothing),
            ExprKind::Path(_) => match self.res(e.id)? {
                Res::Local(binder) => Expr::Var(self.cx.locals.get(binder)?.clone()),
                Res::Variant { enum_id, index } => {
                    let decl = self.typed.resolution.defs.enum_decl(*enum_id);
                    if decl.variants[*index as usize].shape != VariantShape::Unit {
                        return None;
                    }
                    self.variant_value(*enum_id, *index, Vec::new())
                }
                _ => return None,
            },
            ExprKind::Some(inner) => Expr::Just(Box::new(self.pure_expr(inner)?)),
            ExprKind::Tuple(items) => Expr::Tuple(all(items)?),
            ExprKind::List(items) => Expr::List(all(items)?),
            ExprKind::Unary { op, operand } => Expr::Unary(
                match op {
                    UnaryOp::Neg => UnOp::Neg,
                    UnaryOp::Not => UnOp::Not,
                },
                Box::new(self.pure_expr(operand)?),
            ),
            ExprKind::Binary { op, lhs, rhs } => Expr::Binary(
                bin_op(*op),
                Box::new(self.pure_expr(lhs)?),
                Box::new(self.pure_expr(rhs)?),
            ),
            ExprKind::Field { base, field } => {
                Expr::Field(Box::new(self.pure_expr(base)?), name(&field.name))
            }
            ExprKind::TupleIndex { base, index, .. } => Expr::Index(
                Box::new(self.pure_expr(base)?),
                Box::new(Expr::Lit(Val::Int(i64::from(*index)))),
            ),
            ExprKind::Index { base, index } => Expr::Index(
                Box::new(self.pure_expr(base)?),
                Box::new(self.pure_expr(index)?),
            ),
            ExprKind::Struct { fields, .. } => {
                let vals = fields
                    .iter()
                    .map(|f| self.pure_expr(&f.value))
                    .collect::<Option<Vec<_>>>()?;
                self.struct_value(e, vals)?
            }
            ExprKind::Call { callee, args } => {
                let vals = all(args)?;
                match self.call_info(e.id) {
                    Some(CallInfo::Builtin(b)) => super::builtins::pure_builtin(*b, vals)?,
                    Some(_) => return None,
                    None => match self.res(callee.id)? {
                        Res::Variant { enum_id, index } => {
                            self.variant_value(*enum_id, *index, vals)
                        }
                        _ => return None,
                    },
                }
            }
            _ => return None,
        })
    }

    /// A struct literal (or struct-like variant) from field values in source order.
    fn struct_value(&self, e: &ast::Expr, vals: Vec<Expr>) -> Option<Expr> {
        let ExprKind::Struct { fields, .. } = &e.kind else {
            return None;
        };
        let given: Vec<(&str, Expr)> = fields
            .iter()
            .map(|f| f.name.name.as_str())
            .zip(vals)
            .collect();
        let pick = |order: Vec<&str>| -> Option<Vec<(&str, Expr)>> {
            order
                .into_iter()
                .map(|n| {
                    given
                        .iter()
                        .find(|(g, _)| *g == n)
                        .map(|(g, v)| (*g, v.clone()))
                })
                .collect()
        };
        match self.res(e.id)? {
            Res::Item(ItemDef::Struct(sid)) => {
                let decl = self.typed.resolution.defs.struct_decl(*sid);
                let fields = pick(decl.fields.iter().map(String::as_str).collect())?;
                Some(Expr::Record {
                    type_name: name(&decl.name),
                    fields: fields.into_iter().map(|(n, v)| (name(n), v)).collect(),
                })
            }
            Res::Variant { enum_id, index } => {
                let sig =
                    &self.typed.signatures.enums[enum_id.0 as usize].variants[*index as usize];
                let fields = pick(sig.fields.iter().map(|f| f.name.as_str()).collect())?;
                Some(self.variant_value(
                    *enum_id,
                    *index,
                    fields.into_iter().map(|(_, v)| v).collect(),
                ))
            }
            _ => None,
        }
    }

    /// Runs `instr`, binds its result to a fresh name and continues with it.
    pub fn instr<'e>(&mut self, instr: Instr, k: Cont<'e>) -> Lowered<Term> {
        let t = self.temp();
        self.cx.scope.push(t.clone());
        // After an object or pure call returns, the statement that made it runs again.
        let here = self
            .stmt_loc
            .filter(|_| matches!(instr, Instr::Call(..) | Instr::CallPure { .. }));
        let rest = k.apply(self, Expr::Var(t.clone()))?;
        Ok(Term::Instr {
            instr,
            bind: t,
            rest: Box::new(Lowerer::mark(here, rest)),
        })
    }

    /// Runs `instr` for its effect and continues with `()`.
    pub fn effect<'e>(&mut self, instr: Instr, k: Cont<'e>) -> Lowered<Term> {
        let rest = k.apply(self, unit())?;
        Ok(Term::Instr {
            instr,
            bind: name("_"),
            rest: Box::new(rest),
        })
    }

    /// Lowers the expressions left to right and continues with their values.
    pub fn exprs<'e>(&mut self, es: &'e [ast::Expr], k: ThenMany<'e>) -> Lowered<Term> {
        self.expr_refs(es.iter().collect(), k)
    }

    /// [`Lowerer::exprs`] over references.
    pub fn expr_refs<'e>(&mut self, es: Vec<&'e ast::Expr>, k: ThenMany<'e>) -> Lowered<Term> {
        let mut pending = es;
        pending.reverse();
        self.exprs_acc(pending, Vec::new(), k)
    }

    /// `pending` is in reverse order (the next expression last).
    fn exprs_acc<'e>(
        &mut self,
        mut pending: Vec<&'e ast::Expr>,
        mut acc: Vec<Expr>,
        k: ThenMany<'e>,
    ) -> Lowered<Term> {
        let Some(first) = pending.pop() else {
            return k(self, acc);
        };
        if let Some(v) = self.pure_expr(first) {
            acc.push(v);
            return self.exprs_acc(pending, acc, k);
        }
        self.expr(
            first,
            Cont::then(move |lw, v| {
                // Bind the value so later operands cannot observe a changed state.
                let t = lw.temp();
                lw.cx.scope.push(t.clone());
                let mut acc = acc;
                acc.push(Expr::Var(t.clone()));
                let rest = lw.exprs_acc(pending, acc, k)?;
                Ok(Term::Let {
                    name: t,
                    value: v,
                    rest: Box::new(rest),
                })
            }),
        )
    }

    /// Lowers `e` and continues with its value.
    pub fn expr<'e>(&mut self, e: &'e ast::Expr, k: Cont<'e>) -> Lowered<Term> {
        if let Some(v) = self.pure_expr(e) {
            return k.apply(self, v);
        }
        match &e.kind {
            ExprKind::Path(_) => match self.res(e.id).cloned() {
                Some(Res::StateField { index, .. }) => self.instr(Instr::GetField(index), k),
                Some(Res::Item(ItemDef::Fn(id))) => self.fn_item_value(e, id, k),
                Some(Res::Variant { enum_id, index }) => self.variant_ctor_value(enum_id, index, k),
                _ => Err(self.unsupported(e.span, "this name used as a value")),
            },
            ExprKind::Context(c) => self.instr(
                match c {
                    ContextValue::SelfRef => Instr::SelfId,
                    ContextValue::Sender => Instr::Sender,
                    ContextValue::Input => Instr::Input,
                },
                k,
            ),
            ExprKind::Some(inner) => self.expr(
                inner,
                Cont::then(move |lw, v| k.apply(lw, Expr::Just(Box::new(v)))),
            ),
            ExprKind::Tuple(items) => {
                self.exprs(items, Box::new(move |lw, vs| k.apply(lw, Expr::Tuple(vs))))
            }
            ExprKind::List(items) => {
                self.exprs(items, Box::new(move |lw, vs| k.apply(lw, Expr::List(vs))))
            }
            ExprKind::Unary { op, operand } => {
                let op = match op {
                    UnaryOp::Neg => UnOp::Neg,
                    UnaryOp::Not => UnOp::Not,
                };
                self.expr(
                    operand,
                    Cont::then(move |lw, v| k.apply(lw, Expr::Unary(op, Box::new(v)))),
                )
            }
            ExprKind::Binary {
                op: op @ (BinaryOp::And | BinaryOp::Or),
                lhs,
                rhs,
            } => {
                // Short-circuit: the right operand runs only when needed.
                let op = *op;
                self.expr(
                    lhs,
                    Cont::then(move |lw, l| {
                        let k = k.shareable(lw)?;
                        let mark = lw.cx.scope.len();
                        let run_rhs = lw.expr(rhs, k.cont())?;
                        lw.cx.scope.truncate(mark);
                        let short = k
                            .cont()
                            .apply(lw, Expr::Lit(Val::Bool(op == BinaryOp::Or)))?;
                        let (then_branch, else_branch) = if op == BinaryOp::And {
                            (run_rhs, short)
                        } else {
                            (short, run_rhs)
                        };
                        Ok(Term::If {
                            cond: l,
                            then_branch: Box::new(then_branch),
                            else_branch: Box::new(else_branch),
                        })
                    }),
                )
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let op = bin_op(*op);
                let pair = std::slice::from_ref(lhs.as_ref());
                let rhs = rhs.as_ref();
                self.exprs(
                    pair,
                    Box::new(move |lw, mut l| {
                        let l = l.pop().unwrap_or_else(unit);
                        lw.expr(
                            rhs,
                            Cont::then(move |lw, r| {
                                k.apply(lw, Expr::Binary(op, Box::new(l), Box::new(r)))
                            }),
                        )
                    }),
                )
            }
            ExprKind::Field { base, field } => {
                let f = name(&field.name);
                self.expr(
                    base,
                    Cont::then(move |lw, v| k.apply(lw, Expr::Field(Box::new(v), f))),
                )
            }
            ExprKind::TupleIndex { base, index, .. } => {
                let i = Expr::Lit(Val::Int(i64::from(*index)));
                self.expr(
                    base,
                    Cont::then(move |lw, v| k.apply(lw, Expr::Index(Box::new(v), Box::new(i)))),
                )
            }
            ExprKind::Index { base, index } => {
                let base = std::slice::from_ref(base.as_ref());
                let index = index.as_ref();
                self.exprs(
                    base,
                    Box::new(move |lw, mut b| {
                        let b = b.pop().unwrap_or_else(unit);
                        lw.expr(
                            index,
                            Cont::then(move |lw, i| {
                                k.apply(lw, Expr::Index(Box::new(b), Box::new(i)))
                            }),
                        )
                    }),
                )
            }
            ExprKind::Struct { fields, .. } => self.expr_refs(
                fields.iter().map(|f| &f.value).collect(),
                Box::new(move |lw, vs| match lw.struct_value(e, vs) {
                    Some(v) => k.apply(lw, v),
                    None => Err(lw.unsupported(e.span, "this struct literal")),
                }),
            ),
            ExprKind::Block(b) => self.block(b, k),
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => self.expr(
                cond,
                Cont::then(move |lw, c| {
                    let k = k.shareable(lw)?;
                    let mark = lw.cx.scope.len();
                    let t = lw.block(then_branch, k.cont())?;
                    lw.cx.scope.truncate(mark);
                    let f = match else_branch {
                        Some(eb) => lw.expr(eb, k.cont())?,
                        None => k.cont().apply(lw, unit())?,
                    };
                    lw.cx.scope.truncate(mark);
                    Ok(Term::If {
                        cond: c,
                        then_branch: Box::new(t),
                        else_branch: Box::new(f),
                    })
                }),
            ),
            ExprKind::Match { scrutinee, arms } => self.expr(
                scrutinee,
                Cont::then(move |lw, v| {
                    let k = k.shareable(lw)?;
                    lw.match_arms(v, arms, &k)
                }),
            ),
            ExprKind::Call { callee, args } => self.call(e, callee, args, k),
            ExprKind::MethodCall { receiver, args, .. } => {
                self.method_call(e, receiver, args, MethodResult::Unwrap, k)
            }
            ExprKind::Create {
                args, controller, ..
            } => self.create(e, args.as_deref().unwrap_or(&[]), controller.as_deref(), k),
            ExprKind::Destroy(x) => self.expr(
                x,
                Cont::then(move |lw, v| lw.effect(Instr::DestroyObj(v), k)),
            ),
            ExprKind::Try(inner) => match &inner.kind {
                ExprKind::MethodCall { receiver, args, .. } => {
                    self.method_call(inner, receiver, args, MethodResult::Option, k)
                }
                ExprKind::Atomic { controller, body } => {
                    self.try_atomic(controller.as_deref(), body, k)
                }
                _ => Err(self.unsupported(e.span, "`try` on this expression")),
            },
            ExprKind::Atomic { controller, body } => {
                self.atomic(controller.as_deref(), body, Outcome::Fail, k)
            }
            ExprKind::Abort => self.abort(e),
            ExprKind::Reject => self.reject(e.span),
            ExprKind::Unsafe(b) => {
                self.cx.safety = avm_vm::isa::Safety::Unsafe;
                self.block(b, k)
            }
            ExprKind::UpdatePure { .. } | ExprKind::RegisterPure { .. } => {
                let pair = self
                    .typed
                    .resolution
                    .modules
                    .get(self.cx.module.0 as usize)
                    .and_then(|m| m.pure_fn_pairs.get(&e.id))
                    .cloned();
                let Some((Res::Item(ItemDef::Fn(target)), Res::Item(ItemDef::Fn(repl)))) = pair
                else {
                    return Err(self.unsupported(e.span, "this `update pure` / `register pure`"));
                };
                let (target, function) = (self.fn_name(target), self.fn_name(repl));
                let instr = if matches!(e.kind, ExprKind::UpdatePure { .. }) {
                    Instr::UpdatePure {
                        name: target,
                        function,
                    }
                } else {
                    Instr::RegisterPure {
                        name: target,
                        function,
                    }
                };
                self.effect(instr, k)
            }
            ExprKind::Teleport(m) => {
                self.expr(m, Cont::then(move |lw, v| lw.effect(Instr::Teleport(v), k)))
            }
            ExprKind::Fetch(o) => {
                self.expr(o, Cont::then(move |lw, v| lw.effect(Instr::Fetch(v), k)))
            }
            ExprKind::Freeze(o) => {
                self.expr(o, Cont::then(move |lw, v| lw.effect(Instr::Freeze(v), k)))
            }
            ExprKind::Move { object, machine } => self.expr(
                object,
                Cont::then(move |lw, o| {
                    lw.expr(
                        machine,
                        Cont::then(move |lw, m| lw.effect(Instr::MoveObject(o, m), k)),
                    )
                }),
            ),
            ExprKind::Transfer { object, controller } => self.expr(
                object,
                Cont::then(move |lw, o| {
                    lw.expr(
                        controller,
                        Cont::then(move |lw, c| lw.effect(Instr::TransferObject(o, c), k)),
                    )
                }),
            ),
            ExprKind::Return(value) if self.cx.atomics.is_empty() => match value {
                Some(v) => self.expr(v, Cont::Return),
                None => Cont::Return.apply(self, unit()),
            },
            ExprKind::Return(value) => {
                let span = e.span;
                let leave = move |lw: &mut Lowerer, v: Expr| {
                    lw.leave_atomics(span, 0, Box::new(move |lw| Cont::Return.apply(lw, v)))
                };
                match value {
                    Some(x) => self.expr(x, Cont::then(leave)),
                    None => leave(self, unit()),
                }
            }
            ExprKind::Break => match self.cx.loops.last().cloned() {
                Some(l) => {
                    self.leave_atomics(e.span, l.atomic_depth, Box::new(move |_| Ok(l.exit_call())))
                }
                None => Err(self.unsupported(e.span, "`break` outside a loop")),
            },
            ExprKind::Continue => match self.cx.loops.last().cloned() {
                Some(l) => self.leave_atomics(
                    e.span,
                    l.atomic_depth,
                    Box::new(move |_| Ok(l.continue_call())),
                ),
                None => Err(self.unsupported(e.span, "`continue` outside a loop")),
            },
            ExprKind::Closure { params, body } => self.closure_value(e, params, body, k),
            ExprKind::Post(c) => {
                self.fd_forms += 1;
                self.post(e, c, k)
            }
            ExprKind::Require(c) => {
                self.fd_forms += 1;
                self.expr(
                    c,
                    Cont::then(move |lw, v| {
                        let operand = lw.requirement_value(e, c, v);
                        lw.effect(Instr::Require(operand), k)
                    }),
                )
            }
            ExprKind::Cast { expr, .. } => self.cast(e, expr, k),
            ExprKind::Range { kind, start, end } => self.range_value(*kind, start, end, k),
            ExprKind::Lit(_) | ExprKind::None | ExprKind::Error => {
                Err(self.unsupported(e.span, "this expression"))
            }
        }
    }

    /// `atomic by c { body }`, as a plain block (abort fails) or under `try` (abort gives none).
    pub(crate) fn atomic<'e>(
        &mut self,
        controller: Option<&'e ast::Expr>,
        body: &'e ast::Block,
        outcome: Outcome,
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let conflict_message = "transaction aborted".to_string();
        let plan = std::rc::Rc::new(self.lift_plan(body));
        let begin = move |lw: &mut Lowerer, ctl: Expr| -> Lowered<Term> {
            let k = k.shareable(lw)?;
            let tx = lw.temp();
            lw.cx.scope.push(tx.clone());
            let exit = match outcome {
                Outcome::Fail => AbortExit::Fail,
                Outcome::Option => AbortExit::Value(k.clone()),
            };
            let depth = lw.cx.atomics.len();
            lw.cx.atomics.push(AtomicCx {
                tx: tx.clone(),
                exit,
                lift: plan.clone(),
            });
            let tx2 = tx.clone();
            let inner = lw.block(
                body,
                Cont::then(move |lw, v| {
                    let saved = lw.cx.atomics.clone();
                    lw.cx.atomics.truncate(depth);
                    let ok = lw.temp();
                    lw.cx.scope.push(ok.clone());
                    let mark = lw.cx.scope.len();
                    let committed = match outcome {
                        Outcome::Fail => k.cont().apply(lw, v)?,
                        Outcome::Option => k.cont().apply(lw, Expr::Just(Box::new(v)))?,
                    };
                    lw.cx.scope.truncate(mark);
                    let conflict = match outcome {
                        Outcome::Fail => Term::Fail(str_lit(&conflict_message)),
                        Outcome::Option => k.cont().apply(lw, Expr::Lit(Val::Nothing))?,
                    };
                    lw.cx.atomics = saved;
                    Ok(Term::Instr {
                        instr: Instr::CommitOrAbort(Expr::Var(tx2)),
                        bind: ok.clone(),
                        rest: Box::new(Term::If {
                            cond: Expr::Var(ok),
                            then_branch: Box::new(committed),
                            else_branch: Box::new(conflict),
                        }),
                    })
                }),
            );
            lw.cx.atomics.truncate(depth);
            Ok(Term::Instr {
                instr: Instr::BeginTx(ctl),
                bind: tx,
                rest: Box::new(inner?),
            })
        };
        match controller {
            None => begin(self, Expr::Lit(Val::Nothing)),
            Some(c) => {
                let is_option = matches!(self.ty(c.id), Some(Type::Option(_)));
                self.expr(
                    c,
                    Cont::then(move |lw, v| {
                        let ctl = if is_option {
                            v
                        } else {
                            Expr::Just(Box::new(v))
                        };
                        begin(lw, ctl)
                    }),
                )
            }
        }
    }

    /// `abort`: `abortTx` of the innermost atomic block, then leave it.
    fn abort(&mut self, e: &ast::Expr) -> Lowered<Term> {
        let Some(cx) = self.cx.atomics.last().cloned() else {
            return Err(self.unsupported(e.span, "`abort` outside an atomic block"));
        };
        let depth = self.cx.atomics.len() - 1;
        let saved = self.cx.atomics.clone();
        self.cx.atomics.truncate(depth);
        let after = match cx.exit {
            AbortExit::Fail => Ok(Term::Fail(str_lit("transaction aborted"))),
            AbortExit::Value(k) => k.cont().apply(self, Expr::Lit(Val::Nothing)),
        };
        self.cx.atomics = saved;
        Ok(Term::Instr {
            instr: Instr::AbortTx(Expr::Var(cx.tx)),
            bind: name("_"),
            rest: Box::new(after?),
        })
    }
}

/// What an atomic block gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// `atomic { }`: the body's value; abort or conflict fails the run.
    Fail,
    /// `try atomic { }`: `some(value)`, or `none` on abort or conflict.
    Option,
}
