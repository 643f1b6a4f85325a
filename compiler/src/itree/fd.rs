//! The finite-domain and nondeterminism forms: `fd_vars`, `post`, `all_different`, `narrow`,
//! `label`, `choose`, `require`, and ranges used as values.
//!
//! Takes the forms' AST and the continuation; produces the AVM's FD / Nondet instructions
//! (`newVar`, `narrow`, `post`, `label`, `choose`, `require`) and generated helper functions:
//! - a range `a..b` / `a..=b` used as a value → a pure helper building the `List[Int]`;
//! - `fd_vars(n, dom)` → a helper calling `newVar(dom)` `n` times;
//! - `post l op r` → `post(Constraint::Op(x, y, c))` (`x op y + c`) or
//!   `post(Constraint::ValOp(x, v))`, with the integer offsets of both sides folded into `c`
//!   / `v`; `all_different(xs)` → `Constraint::AllDiff(xs)` (see `docs/tape.md` §4).
//!
//! The search `fd.solve` is not generated here: it is `std/fd.avm`, written in the language.

use avm_vm::itree::builder::name;
use avm_vm::itree::{
    Arm, BinOp, Builtin as VmBuiltin, Expr, FnKind as ItFnKind, Function, Instr, Name, Pattern,
    Term,
};
use avm_vm::value::Val;

use super::cont::Cont;
use super::expr::Outcome;
use super::{Lowered, Lowerer};
use crate::syntax::ast::{self, BinaryOp, ExprKind, RangeKind};
use crate::typeck::Type;

/// The enum name the VM decodes constraints from.
const CONSTRAINT: &str = "Constraint";

/// `Constraint::<variant>(payload)`.
pub(crate) fn constraint(variant: &str, payload: Vec<Expr>) -> Expr {
    Expr::Variant {
        enum_name: name(CONSTRAINT),
        variant: name(variant),
        payload,
    }
}

fn var(n: &str) -> Expr {
    Expr::Var(name(n))
}

fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary(op, Box::new(a), Box::new(b))
}

fn instr(i: Instr, bind: &str, rest: Term) -> Term {
    Term::Instr {
        instr: i,
        bind: name(bind),
        rest: Box::new(rest),
    }
}

fn arm(pattern: Pattern, body: Term) -> Arm {
    Arm {
        pattern,
        guard: None,
        body,
    }
}

/// One side of a posted comparison: an `FdVar` (its AST) plus an offset, or a constant.
enum Side<'e> {
    /// `var + offset`; the offset's terms with their signs.
    Var(&'e ast::Expr, Vec<(Sign, &'e ast::Expr)>),
    /// An integer expression.
    Constant(&'e ast::Expr),
}

/// The sign an offset term enters with.
#[derive(Clone, Copy)]
enum Sign {
    Plus,
    Minus,
}

/// The comparison's names: (var–var variant, var–value variant, mirrored var–value variant).
fn comparison(op: BinaryOp) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match op {
        BinaryOp::Eq => ("Eq", "ValEq", "ValEq"),
        BinaryOp::Ne => ("Neq", "ValNeq", "ValNeq"),
        BinaryOp::Lt => ("Lt", "ValLt", "ValGt"),
        BinaryOp::Le => ("Leq", "ValLeq", "ValGeq"),
        BinaryOp::Gt => ("Gt", "ValGt", "ValLt"),
        BinaryOp::Ge => ("Geq", "ValGeq", "ValLeq"),
        _ => return None,
    })
}

impl Lowerer<'_> {
    fn is_fd_var(&self, e: &ast::Expr) -> bool {
        matches!(self.ty(e.id), Some(Type::FdVar))
    }

    /// Classifies one side of a posted comparison (the type checker recorded `FdVar` on the
    /// variable sides, `Int` on constant ones).
    fn side<'e>(&self, e: &'e ast::Expr) -> Lowered<Side<'e>> {
        if let ExprKind::Binary { op, lhs, rhs } = &e.kind
            && matches!(op, BinaryOp::Add | BinaryOp::Sub)
            && self.is_fd_var(e)
        {
            let sign = if *op == BinaryOp::Add {
                Sign::Plus
            } else {
                Sign::Minus
            };
            if self.is_fd_var(lhs) {
                return Ok(Side::Var(lhs, vec![(sign, rhs)]));
            }
            if *op == BinaryOp::Add && self.is_fd_var(rhs) {
                return Ok(Side::Var(rhs, vec![(Sign::Plus, lhs)]));
            }
            return Err(self.unsupported(e.span, "`post` with an integer minus an `FdVar`"));
        }
        if self.is_fd_var(e) {
            Ok(Side::Var(e, Vec::new()))
        } else {
            Ok(Side::Constant(e))
        }
    }

    /// `post c`.
    pub fn post<'e>(&mut self, e: &'e ast::Expr, c: &'e ast::Expr, k: Cont<'e>) -> Lowered<Term> {
        let cmp = match &c.kind {
            ExprKind::Binary { op, lhs, rhs } => comparison(*op).map(|names| (names, lhs, rhs)),
            _ => None,
        };
        let Some(((pair, value, mirrored), lhs, rhs)) = cmp else {
            // `all_different(xs)` or another `Constraint` value.
            return self.expr(c, Cont::then(move |lw, v| lw.effect(Instr::Post(v), k)));
        };
        let (l, r) = (self.side(lhs)?, self.side(rhs)?);
        // Operands in evaluation order, then how to assemble them.
        let (operands, shape): (Vec<&ast::Expr>, Shape) = match (l, r) {
            (Side::Var(x, xo), Side::Var(y, yo)) => {
                let mut ops = vec![x, y];
                let mut signs = Vec::new();
                // x + xo op y + yo  ⇔  x op y + (yo - xo)
                for (s, o) in yo {
                    ops.push(o);
                    signs.push(s);
                }
                for (s, o) in xo {
                    ops.push(o);
                    signs.push(match s {
                        Sign::Plus => Sign::Minus,
                        Sign::Minus => Sign::Plus,
                    });
                }
                (ops, Shape::Pair(pair, signs))
            }
            (Side::Var(x, xo), Side::Constant(v)) => {
                // x + xo op v  ⇔  x op v - xo
                let mut ops = vec![x, v];
                let mut signs = Vec::new();
                for (s, o) in xo {
                    ops.push(o);
                    signs.push(match s {
                        Sign::Plus => Sign::Minus,
                        Sign::Minus => Sign::Plus,
                    });
                }
                (ops, Shape::Value(value, signs))
            }
            (Side::Constant(v), Side::Var(y, yo)) => {
                // v op y + yo  ⇔  y mirrored(op) v - yo
                let mut ops = vec![y, v];
                let mut signs = Vec::new();
                for (s, o) in yo {
                    ops.push(o);
                    signs.push(match s {
                        Sign::Plus => Sign::Minus,
                        Sign::Minus => Sign::Plus,
                    });
                }
                (ops, Shape::Value(mirrored, signs))
            }
            (Side::Constant(_), Side::Constant(_)) => {
                return Err(self.unsupported(e.span, "`post` of a comparison without an `FdVar`"));
            }
        };
        self.expr_refs(
            operands,
            Box::new(move |lw, vs| {
                let constraint = shape.build(vs);
                lw.effect(Instr::Post(constraint), k)
            }),
        )
    }

    /// A range used as a value: the `List[Int]` it denotes, built by a generated helper.
    pub fn range_value<'e>(
        &mut self,
        kind: RangeKind,
        start: &'e ast::Expr,
        end: &'e ast::Expr,
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let helper = self.gen_fn_name("range");
        // Linear (cons is O(1)) and without overflow at the ends of Int: `i + 1` is computed
        // only when `i` is below the end, which is at most `i64::MAX`.
        //   exclusive: helper(i, end, acc) = if i >= end { reverse(acc) }
        //                                    else { helper(i + 1, end, i :: acc) }
        //   inclusive: helper(i, end, acc) = if i > end { reverse(acc) }
        //                                    else if i == end { reverse(i :: acc) }
        //                                    else { helper(i + 1, end, i :: acc) }
        let cons_i = || Expr::Builtin(VmBuiltin::Cons, vec![var("$i"), var("$acc")]);
        let next = Term::Call {
            function: helper.clone(),
            args: vec![
                bin(BinOp::Add, var("$i"), Expr::Lit(Val::Int(1))),
                var("$end"),
                cons_i(),
            ],
        };
        let done = Term::Ret(Expr::Builtin(VmBuiltin::Reverse, vec![var("$acc")]));
        let body = match kind {
            RangeKind::Exclusive => Term::If {
                cond: bin(BinOp::Ge, var("$i"), var("$end")),
                then_branch: Box::new(done),
                else_branch: Box::new(next),
            },
            RangeKind::Inclusive => Term::If {
                cond: bin(BinOp::Gt, var("$i"), var("$end")),
                then_branch: Box::new(done),
                else_branch: Box::new(Term::If {
                    cond: bin(BinOp::Eq, var("$i"), var("$end")),
                    then_branch: Box::new(Term::Ret(Expr::Builtin(
                        VmBuiltin::Reverse,
                        vec![cons_i()],
                    ))),
                    else_branch: Box::new(next),
                }),
            },
        };
        self.insert_generated(&helper, &["$i", "$end", "$acc"], body, ItFnKind::Pure);
        self.expr_refs(
            vec![start, end],
            Box::new(move |lw, mut vs| {
                let end = vs.pop().unwrap_or_else(super::expr::unit);
                let start = vs.pop().unwrap_or_else(super::expr::unit);
                lw.call_generated(helper, vec![start, end, Expr::List(Vec::new())], k)
            }),
        )
    }

    /// `fd_vars(n, dom)`: `n` fresh variables with domain `dom`, by a generated helper.
    pub fn fd_vars<'e>(&mut self, args: Vec<Expr>, k: Cont<'e>) -> Lowered<Term> {
        let helper = self.gen_fn_name("fd_vars");
        // helper(n, dom, acc) = if n <= 0 { reverse(acc) } else { newVar(dom) -> q; helper(n - 1, dom, q :: acc) }
        let body = Term::If {
            cond: bin(BinOp::Le, var("$n"), Expr::Lit(Val::Int(0))),
            then_branch: Box::new(Term::Ret(Expr::Builtin(
                VmBuiltin::Reverse,
                vec![var("$acc")],
            ))),
            else_branch: Box::new(instr(
                Instr::NewVar(var("$dom")),
                "$q",
                Term::Call {
                    function: helper.clone(),
                    args: vec![
                        bin(BinOp::Sub, var("$n"), Expr::Lit(Val::Int(1))),
                        var("$dom"),
                        Expr::Builtin(VmBuiltin::Cons, vec![var("$q"), var("$acc")]),
                    ],
                },
            )),
        };
        self.insert_generated(&helper, &["$n", "$dom", "$acc"], body, ItFnKind::Plain);
        let mut args = args.into_iter();
        let n = args.next().unwrap_or_else(super::expr::unit);
        let dom = args.next().unwrap_or_else(super::expr::unit);
        self.call_generated(helper, vec![n, dom, Expr::List(Vec::new())], k)
    }

    /// `try atomic { body }`. When the body uses an FD / Nondet form itself, or calls code
    /// that may (a plain function, a method, a function value, `create`), the block runs
    /// under `Term::Try`, so that their failures anywhere in its dynamic extent (a domain
    /// wipe-out, a failed `label`, an unsatisfiable `require`, at any call depth) give `none`
    /// like an `abort`; the body then returns its value together with every variable in
    /// scope, so that assignments inside the block are seen after it. Otherwise (no such form
    /// or call in the body) the plain lowering.
    pub fn try_atomic<'e>(
        &mut self,
        controller: Option<&'e ast::Expr>,
        body: &'e ast::Block,
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let before = self.fd_forms;
        let calls_before = self.calls_out;
        let saved_functions = self.functions.clone();
        let saved_behaviours = self.behaviours.clone();
        let saved_registry = self.pure_registry.len();
        let saved_diags = self.diags.len();
        let saved_fresh = self.fresh;
        let saved_cx = self.cx.clone();
        let outer = self.scope_params();
        let returned = outer.clone();
        // `break` / `continue` cannot jump out of a `Term::Try` body: the body sees no loop;
        // a `return` or `reject` that would leave it is recorded in `try_escape`.
        self.cx.loops.clear();
        self.cx.try_depth = Some(self.cx.atomics.len());
        let outer_escape = self.try_escape.take();
        let guarded = self.atomic(
            controller,
            body,
            Outcome::Option,
            Cont::then(move |_, v| {
                let mut items = vec![v];
                items.extend(returned.into_iter().map(Expr::Var));
                Ok(Term::Ret(Expr::Tuple(items)))
            }),
        );
        self.cx = saved_cx;
        let escape = std::mem::replace(&mut self.try_escape, outer_escape);
        let own_forms = self.fd_forms != before;
        // A body that only calls out and leaves by a jump keeps the plain lowering: a
        // `Term::Try` body cannot be left by a jump (docs/spec-deviations.md).
        let calls = self.calls_out != calls_before && escape.is_none();
        if !own_forms && !calls {
            self.functions = saved_functions;
            self.behaviours = saved_behaviours;
            self.pure_registry.truncate(saved_registry);
            self.diags.truncate(saved_diags);
            self.fresh = saved_fresh;
            return self.atomic(controller, body, Outcome::Option, k);
        }
        if let Some(span) = escape {
            return Err(self.unsupported(
                span,
                "leaving a `try atomic` block that uses FD or nondeterminism forms by `return` or `reject`",
            ));
        }
        let guarded = guarded?;
        let k = k.shareable(self)?;
        let r = self.temp();
        let result = self.temp();
        self.cx.scope.push(result.clone());
        let committed = k.cont().apply(self, Expr::Var(result.clone()))?;
        let failed = k.cont().apply(self, Expr::Lit(Val::Nothing))?;
        let mut items = vec![Pattern::Bind(result)];
        items.extend(outer.into_iter().map(Pattern::Bind));
        Ok(Term::Try {
            body: Box::new(guarded),
            name: r.clone(),
            rest: Box::new(Term::Match {
                scrutinee: Expr::Var(r),
                arms: vec![
                    arm(Pattern::Just(Box::new(Pattern::Tuple(items))), committed),
                    arm(Pattern::Wild, failed),
                ],
            }),
        })
    }

    /// Registers a generated function (safe, so it may be called from safe code).
    fn insert_generated(&mut self, fname: &Name, params: &[&str], body: Term, kind: ItFnKind) {
        self.functions.insert(
            fname.clone(),
            Function {
                name: fname.clone(),
                params: params.iter().map(|p| name(p)).collect(),
                body,
                kind,
                safety: avm_vm::isa::Safety::Safe,
            },
        );
    }

    /// `function(args)`, its result passed to `k`.
    fn call_generated<'e>(
        &mut self,
        function: Name,
        args: Vec<Expr>,
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let t = self.temp();
        self.cx.scope.push(t.clone());
        let rest = k.apply(self, Expr::Var(t.clone()))?;
        Ok(Term::Bind {
            first: Box::new(Term::Call { function, args }),
            name: t,
            rest: Box::new(rest),
        })
    }
}

/// How the lowered operands of a posted comparison form the constraint.
enum Shape {
    /// `[x, y, offsets…]` → `Pair(x, y, Σ offsets)`.
    Pair(&'static str, Vec<Sign>),
    /// `[x, v, offsets…]` → `Value(x, v + Σ offsets)`.
    Value(&'static str, Vec<Sign>),
}

impl Shape {
    fn build(self, vs: Vec<Expr>) -> Expr {
        let mut vs = vs.into_iter();
        let x = vs.next().unwrap_or_else(super::expr::unit);
        let second = vs.next().unwrap_or_else(super::expr::unit);
        let sum = |start: Option<Expr>, signs: Vec<Sign>, rest: std::vec::IntoIter<Expr>| {
            let mut acc = start;
            for (s, o) in signs.into_iter().zip(rest) {
                let base = acc.unwrap_or(Expr::Lit(Val::Int(0)));
                acc = Some(match s {
                    Sign::Plus => bin(BinOp::Add, base, o),
                    Sign::Minus => bin(BinOp::Sub, base, o),
                });
            }
            acc
        };
        match self {
            Shape::Pair(variant, signs) => {
                let mut payload = vec![x, second];
                if let Some(offset) = sum(None, signs, vs) {
                    payload.push(offset);
                }
                constraint(variant, payload)
            }
            Shape::Value(variant, signs) => {
                let v = sum(Some(second), signs, vs).unwrap_or_else(super::expr::unit);
                constraint(variant, vec![x, v])
            }
        }
    }
}
