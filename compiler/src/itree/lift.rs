//! Requirement values: what a `require` tells the VM besides its truth, so the commit-time
//! problem can go to an SMT solver (`docs/constraints.md`).
//!
//! Takes an `atomic` block's statements (for its plan: the top-level `let x = choose(e)`
//! statements, numbered in order, the top-level `let`s computed from them and the top-level
//! `require`s) and each `require`'s condition; produces the operand of the `require`
//! instruction: `$Require::At(holds, "file:line:col", "source text", choices_before, form)`,
//! where `form` is a `$Form` value built at run time — `Choice(j, path)` for choice `j`
//! projected through fields / tuple positions, `Const(v)` for a value that does not depend on
//! the choices (computed when the `require` runs), `Unary(op, f)`, `Binary(op, f, g)` for
//! `- ! abs` and `+ - * == != < <= > >= && || min max`, or `Opaque(reason)` when the condition
//! cannot be expressed (it calls a function, divides, is inside a branch or loop, ...). The VM
//! checks at run time that exactly `choices_before` choices were made before the `require`
//! (a `choose` in a called function would shift them).

use std::rc::Rc;

use avm_vm::itree::Expr;
use avm_vm::itree::builder::name;
use avm_vm::solver::ir::{FORM_ENUM, REQUIRE_ENUM};
use avm_vm::value::Val;
use rustc_hash::{FxHashMap, FxHashSet};

use super::Lowerer;
use super::captures::paths_in;
use crate::resolve::{Builtin, Res};
use crate::syntax::ast::{
    self, BinaryOp, ExprKind, Mutability, NodeId, PatternKind, StmtKind, UnaryOp,
};

/// How deep tainted `let`s are inlined into a form.
const MAX_INLINE: usize = 16;

/// What the lowering knows about the `atomic` block it is in.
#[derive(Debug, Default)]
pub(crate) struct LiftPlan {
    /// Binder of each top-level `let x = choose(e)` → its position among the block's choices.
    choices: FxHashMap<NodeId, usize>,
    /// Binder of each top-level immutable `let` whose value depends on a choice → its
    /// initialiser.
    derived: FxHashMap<NodeId, ast::Expr>,
    /// Each top-level `require` (its expression id) → the choices written before it.
    requires: FxHashMap<NodeId, usize>,
    /// Why no requirement of the block can be expressed, if so.
    blocked: Option<String>,
}

/// The binder of a `let x = …` with a plain name.
fn simple_binder(pattern: &ast::Pattern) -> Option<NodeId> {
    match &pattern.kind {
        PatternKind::Binding(_) => Some(pattern.id),
        _ => None,
    }
}

impl Lowerer<'_> {
    /// Whether `e` is a call of the prelude's `choose`.
    fn is_choose(&self, e: &ast::Expr) -> bool {
        match &e.kind {
            ExprKind::Call { callee, args } => {
                args.len() == 1
                    && matches!(self.res(callee.id), Some(Res::Builtin(Builtin::Choose)))
            }
            _ => false,
        }
    }

    /// Whether `e` mentions a choice or a value derived from one.
    fn mentions(&self, e: &ast::Expr, plan: &LiftPlan) -> bool {
        paths_in(e).into_iter().any(|id| match self.res(id) {
            Some(Res::Local(b)) => plan.choices.contains_key(b) || plan.derived.contains_key(b),
            _ => false,
        })
    }

    /// The plan of an `atomic` block's body.
    pub(crate) fn lift_plan(&self, body: &ast::Block) -> LiftPlan {
        let mut plan = LiftPlan::default();
        let mut assigns = false;
        for stmt in &body.stmts {
            match &stmt.kind {
                StmtKind::Let {
                    mutability,
                    pattern,
                    init,
                    ..
                } => {
                    let binder = simple_binder(pattern);
                    if self.is_choose(init) {
                        if let ExprKind::Call { args, .. } = &init.kind
                            && self.mentions(&args[0], &plan)
                            && plan.blocked.is_none()
                        {
                            plan.blocked = Some(format!(
                                "the options of the `choose`{} depend on an earlier choice",
                                self.at(init.span)
                            ));
                        }
                        match (binder, mutability) {
                            (Some(b), Mutability::Immutable) => {
                                let j = plan.choices.len();
                                plan.choices.insert(b, j);
                            }
                            _ if plan.blocked.is_none() => {
                                plan.blocked = Some(format!(
                                    "the `choose`{} is not bound with `let name =`",
                                    self.at(init.span)
                                ));
                            }
                            _ => {}
                        }
                    } else if let (Some(b), Mutability::Immutable) = (binder, mutability)
                        && self.mentions(init, &plan)
                    {
                        plan.derived.insert(b, init.clone());
                    }
                }
                StmtKind::Expr(e) => {
                    if let ExprKind::Require(_) = &e.kind {
                        plan.requires.insert(e.id, plan.choices.len());
                    }
                }
                StmtKind::Assign { .. } => assigns = true,
                _ => {}
            }
        }
        if let Some(tail) = &body.tail
            && let ExprKind::Require(_) = &tail.kind
        {
            plan.requires.insert(tail.id, plan.choices.len());
        }
        if assigns {
            // A derived `let` is inlined where the `require` is: an assignment in between could
            // change what its initialiser reads.
            plan.derived.clear();
        }
        plan
    }

    /// The operand of `require` for condition `cond` (already lowered to `holds`) of the
    /// `require` expression `e`.
    pub(crate) fn requirement_value(&self, e: &ast::Expr, cond: &ast::Expr, holds: Expr) -> Expr {
        let plan = self.cx.atomics.last().map(|a| a.lift.clone());
        let (before, form) = match plan.as_deref() {
            None => (
                0,
                opaque("it is not inside an `atomic` block of the same function"),
            ),
            Some(plan) => match (plan.requires.get(&e.id), &plan.blocked) {
                (None, _) => (
                    0,
                    opaque("it is inside a branch, loop or nested block of the `atomic` block"),
                ),
                (Some(_), Some(reason)) => (0, opaque(reason)),
                (Some(before), None) => (
                    *before,
                    self.form(cond, plan, &mut FxHashSet::default(), 0)
                        .unwrap_or_else(|reason| opaque(&reason)),
                ),
            },
        };
        let at = self.at(e.span);
        let at = at.strip_prefix(" at ").unwrap_or(&at).to_string();
        variant(
            REQUIRE_ENUM,
            "At",
            vec![
                holds,
                Expr::Lit(Val::str(&at)),
                Expr::Lit(Val::str(&self.source_text(cond.span))),
                Expr::Lit(Val::Int(before as i64)),
                form,
            ],
        )
    }

    /// The source text of `span` in the current file (one line, trimmed).
    fn source_text(&self, span: crate::syntax::span::Span) -> String {
        self.sources
            .and_then(|m| m.get(self.cx.file))
            .and_then(|f| f.text.get(span.start as usize..span.end as usize))
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    }

    /// The form of `e`, or why there is none.
    fn form(
        &self,
        e: &ast::Expr,
        plan: &LiftPlan,
        inlining: &mut FxHashSet<NodeId>,
        depth: usize,
    ) -> Result<Expr, String> {
        if !self.mentions(e, plan) {
            return match self.pure_expr(e) {
                Some(v) => Ok(variant(FORM_ENUM, "Const", vec![v])),
                None => Err(format!(
                    "`{}` calls a function or has an effect",
                    self.source_text(e.span)
                )),
            };
        }
        let sub = |x: &ast::Expr, inlining: &mut FxHashSet<NodeId>| {
            self.form(x, plan, inlining, depth + 1)
        };
        match &e.kind {
            ExprKind::Path(_) | ExprKind::Field { .. } | ExprKind::TupleIndex { .. } => {
                let mut path = Vec::new();
                let mut cur = e;
                loop {
                    match &cur.kind {
                        ExprKind::Field { base, field } => {
                            path.push(Expr::Lit(Val::str(&field.name)));
                            cur = base;
                        }
                        ExprKind::TupleIndex { base, index, .. } => {
                            path.push(Expr::Lit(Val::Int(i64::from(*index))));
                            cur = base;
                        }
                        _ => break,
                    }
                }
                path.reverse();
                let binder = match self.res(cur.id) {
                    Some(Res::Local(b)) => *b,
                    _ => return Err(format!("`{}` is not a choice", self.source_text(e.span))),
                };
                if let Some(j) = plan.choices.get(&binder) {
                    return Ok(variant(
                        FORM_ENUM,
                        "Choice",
                        vec![Expr::Lit(Val::Int(*j as i64)), Expr::List(path)],
                    ));
                }
                match plan.derived.get(&binder) {
                    Some(init)
                        if path.is_empty() && depth < MAX_INLINE && inlining.insert(binder) =>
                    {
                        let f = sub(init, inlining);
                        inlining.remove(&binder);
                        f
                    }
                    _ => Err(format!(
                        "`{}` is computed from a choice in a way the solver cannot follow",
                        self.source_text(e.span)
                    )),
                }
            }
            ExprKind::Unary { op, operand } => {
                let op = match op {
                    UnaryOp::Neg => "-",
                    UnaryOp::Not => "!",
                };
                Ok(variant(
                    FORM_ENUM,
                    "Unary",
                    vec![str_lit(op), sub(operand, inlining)?],
                ))
            }
            ExprKind::Binary { op, lhs, rhs } => match op {
                BinaryOp::Div | BinaryOp::Rem | BinaryOp::Concat => Err(format!(
                    "it uses `{}` on a choice (only + - * and comparisons translate)",
                    op.symbol()
                )),
                _ => Ok(variant(
                    FORM_ENUM,
                    "Binary",
                    vec![
                        str_lit(op.symbol()),
                        sub(lhs, inlining)?,
                        sub(rhs, inlining)?,
                    ],
                )),
            },
            ExprKind::Call { callee, args } => match (self.res(callee.id), args.as_slice()) {
                (Some(Res::Builtin(Builtin::Abs)), [a]) => Ok(variant(
                    FORM_ENUM,
                    "Unary",
                    vec![str_lit("abs"), sub(a, inlining)?],
                )),
                (Some(Res::Builtin(b @ (Builtin::Min | Builtin::Max))), [a, c]) => {
                    let op = if *b == Builtin::Min { "min" } else { "max" };
                    Ok(variant(
                        FORM_ENUM,
                        "Binary",
                        vec![str_lit(op), sub(a, inlining)?, sub(c, inlining)?],
                    ))
                }
                _ => Err(format!(
                    "it calls `{}` with a choice",
                    self.source_text(callee.span)
                )),
            },
            ExprKind::MethodCall { .. } => Err("it calls an object with a choice".into()),
            _ => Err(format!(
                "`{}` is not arithmetic or a comparison over choices",
                self.source_text(e.span)
            )),
        }
    }
}

fn str_lit(s: &str) -> Expr {
    Expr::Lit(Val::str(s))
}

fn opaque(reason: &str) -> Expr {
    variant(FORM_ENUM, "Opaque", vec![str_lit(reason)])
}

fn variant(enum_name: &str, v: &str, payload: Vec<Expr>) -> Expr {
    Expr::Variant {
        enum_name: name(enum_name),
        variant: name(v),
        payload,
    }
}

/// Shared plan handle kept in the atomic context.
pub(crate) type SharedPlan = Rc<LiftPlan>;
