//! The names a closure body uses, so that a lifted closure captures only what it needs.
//!
//! Takes a closure body ([`ast::Expr`]); produces the node ids of every path expression in it
//! (in source order, nested closures included). The lowering keeps those that resolve to locals
//! bound outside the closure.

use crate::syntax::ast::{Block, Expr, ExprKind, NodeId, Stmt, StmtKind};

/// The ids of the path expressions (`x`, `a::b`) inside `e`, `e` included.
pub(crate) fn paths_in(e: &Expr) -> Vec<NodeId> {
    let mut out = Vec::new();
    expr(e, &mut out);
    out
}

fn block(b: &Block, out: &mut Vec<NodeId>) {
    b.stmts.iter().for_each(|s| stmt(s, out));
    if let Some(t) = &b.tail {
        expr(t, out);
    }
}

fn stmt(s: &Stmt, out: &mut Vec<NodeId>) {
    match &s.kind {
        StmtKind::Let { init, .. } => expr(init, out),
        StmtKind::Assign { target, value, .. } => {
            expr(target, out);
            expr(value, out);
        }
        StmtKind::While { cond, body } => {
            expr(cond, out);
            block(body, out);
        }
        StmtKind::For { iter, body, .. } => {
            expr(iter, out);
            block(body, out);
        }
        StmtKind::Expr(e) => expr(e, out),
        StmtKind::Error => {}
    }
}

fn exprs(es: &[Expr], out: &mut Vec<NodeId>) {
    es.iter().for_each(|e| expr(e, out));
}

fn expr(e: &Expr, out: &mut Vec<NodeId>) {
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
        | ExprKind::Cast { expr: x, .. } => expr(x, out),
        ExprKind::Call { callee, args } => {
            expr(callee, out);
            exprs(args, out);
        }
        ExprKind::MethodCall { receiver, args, .. } => {
            expr(receiver, out);
            exprs(args, out);
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
            expr(a, out);
            expr(b, out);
        }
        ExprKind::Tuple(es) | ExprKind::List(es) => exprs(es, out),
        ExprKind::Struct { fields, .. } => fields.iter().for_each(|f| expr(&f.value, out)),
        ExprKind::Block(b) | ExprKind::Unsafe(b) => block(b, out),
        ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } => {
            expr(cond, out);
            block(then_branch, out);
            if let Some(x) = else_branch {
                expr(x, out);
            }
        }
        ExprKind::Match { scrutinee, arms } => {
            expr(scrutinee, out);
            for arm in arms {
                if let Some(g) = &arm.guard {
                    expr(g, out);
                }
                expr(&arm.body, out);
            }
        }
        ExprKind::Closure { body, .. } => expr(body, out),
        ExprKind::Create {
            args, controller, ..
        } => {
            if let Some(args) = args {
                exprs(args, out);
            }
            if let Some(c) = controller {
                expr(c, out);
            }
        }
        ExprKind::Atomic { controller, body } => {
            if let Some(c) = controller {
                expr(c, out);
            }
            block(body, out);
        }
    }
}
