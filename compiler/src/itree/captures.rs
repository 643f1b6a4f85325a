//! The names a closure body uses, so that a lifted closure captures only what it needs.
//!
//! Takes a closure body ([`ast::Expr`]); produces the node ids of every path expression in it
//! (in source order, nested closures included) and the root paths of its assignment targets.
//! The lowering keeps the paths that resolve to locals bound outside the closure, and refuses
//! assignments to those (a closure captures by value).

use crate::syntax::ast::{Block, Expr, ExprKind, NodeId, Stmt, StmtKind};
use crate::syntax::span::Span;

/// The ids of the path expressions (`x`, `a::b`) inside `e`, `e` included.
pub(crate) fn paths_in(e: &Expr) -> Vec<NodeId> {
    let mut out = Vec::new();
    expr(e, &mut out, &mut Vec::new());
    out
}

/// The root path (`x` of `x.f[0] = …`) of every assignment target inside `e`, with the
/// target's span.
pub(crate) fn assigned_in(e: &Expr) -> Vec<(NodeId, Span)> {
    let mut assigned = Vec::new();
    expr(e, &mut Vec::new(), &mut assigned);
    assigned
}

/// The path a place expression is rooted in.
fn root(target: &Expr) -> Option<NodeId> {
    match &target.kind {
        ExprKind::Path(_) => Some(target.id),
        ExprKind::Field { base, .. }
        | ExprKind::TupleIndex { base, .. }
        | ExprKind::Index { base, .. } => root(base),
        _ => None,
    }
}

fn block(b: &Block, out: &mut Vec<NodeId>, asg: &mut Vec<(NodeId, Span)>) {
    b.stmts.iter().for_each(|s| stmt(s, out, asg));
    if let Some(t) = &b.tail {
        expr(t, out, asg);
    }
}

fn stmt(s: &Stmt, out: &mut Vec<NodeId>, asg: &mut Vec<(NodeId, Span)>) {
    match &s.kind {
        StmtKind::Let { init, .. } => expr(init, out, asg),
        StmtKind::Assign { target, value, .. } => {
            if let Some(id) = root(target) {
                asg.push((id, target.span));
            }
            expr(target, out, asg);
            expr(value, out, asg);
        }
        StmtKind::While { cond, body } => {
            expr(cond, out, asg);
            block(body, out, asg);
        }
        StmtKind::For { iter, body, .. } => {
            expr(iter, out, asg);
            block(body, out, asg);
        }
        StmtKind::Expr(e) => expr(e, out, asg),
        StmtKind::Error => {}
    }
}

fn exprs(es: &[Expr], out: &mut Vec<NodeId>, asg: &mut Vec<(NodeId, Span)>) {
    es.iter().for_each(|e| expr(e, out, asg));
}

fn expr(e: &Expr, out: &mut Vec<NodeId>, asg: &mut Vec<(NodeId, Span)>) {
    match &e.kind {
        ExprKind::Path(_) => out.push(e.id),
        ExprKind::Lit(_)
        | ExprKind::Context(_)
        | ExprKind::None
        | ExprKind::Abort
        | ExprKind::Reject
        | ExprKind::UpdatePure { .. }
        | ExprKind::RegisterPure { .. }
        | ExprKind::Break
        | ExprKind::Continue
        | ExprKind::Return(None)
        | ExprKind::Error => {}
        ExprKind::Some(x)
        | ExprKind::Destroy(x)
        | ExprKind::Try(x)
        | ExprKind::Teleport(x)
        | ExprKind::Fetch(x)
        | ExprKind::Freeze(x)
        | ExprKind::Post(x)
        | ExprKind::Require(x)
        | ExprKind::Return(Some(x))
        | ExprKind::Field { base: x, .. }
        | ExprKind::TupleIndex { base: x, .. }
        | ExprKind::Unary { operand: x, .. }
        | ExprKind::Cast { expr: x, .. } => expr(x, out, asg),
        ExprKind::Call { callee, args } => {
            expr(callee, out, asg);
            exprs(args, out, asg);
        }
        ExprKind::MethodCall { receiver, args, .. } => {
            expr(receiver, out, asg);
            exprs(args, out, asg);
        }
        ExprKind::Index { base: a, index: b }
        | ExprKind::Binary { lhs: a, rhs: b, .. }
        | ExprKind::Range {
            start: a, end: b, ..
        }
        | ExprKind::Move {
            object: a,
            machine: b,
        }
        | ExprKind::Transfer {
            object: a,
            controller: b,
        } => {
            expr(a, out, asg);
            expr(b, out, asg);
        }
        ExprKind::Tuple(es) | ExprKind::List(es) => exprs(es, out, asg),
        ExprKind::Struct { fields, .. } => fields.iter().for_each(|f| expr(&f.value, out, asg)),
        ExprKind::Block(b) | ExprKind::Unsafe(b) => block(b, out, asg),
        ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } => {
            expr(cond, out, asg);
            block(then_branch, out, asg);
            if let Some(x) = else_branch {
                expr(x, out, asg);
            }
        }
        ExprKind::Match { scrutinee, arms } => {
            expr(scrutinee, out, asg);
            for arm in arms {
                if let Some(g) = &arm.guard {
                    expr(g, out, asg);
                }
                expr(&arm.body, out, asg);
            }
        }
        ExprKind::Closure { body, .. } => expr(body, out, asg),
        ExprKind::Create {
            args, controller, ..
        } => {
            if let Some(args) = args {
                exprs(args, out, asg);
            }
            if let Some(c) = controller {
                expr(c, out, asg);
            }
        }
        ExprKind::Atomic { controller, body } => {
            if let Some(c) = controller {
                expr(c, out, asg);
            }
            block(body, out, asg);
        }
    }
}
