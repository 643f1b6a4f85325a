//! Nesting depth of AST nodes, computed bottom-up while the parser builds
//! them, so that absurdly deep input (`-(-(-(...)))`, `[[[[...]]]]`) is cut off with a diagnostic instead of
//! overflowing the stack in later recursive passes (or in `Drop`).
//!
//! Takes a node kind and a lookup of its children's depths; produces the
//! node's depth (1 + the deepest child). Long flat operator chains are kept
//! shallow by the builder (`builder/chain.rs`), so they do not hit the limit.

use crate::syntax::ast::*;

/// The deepest nesting the parser accepts. Real programs stay far below it.
pub const MAX_DEPTH: u32 = 256;

/// Looks up the recorded depth of a child node.
pub trait DepthOf {
    fn depth_of(&self, id: NodeId) -> u32;
}

fn max_of<D: DepthOf + ?Sized>(d: &D, ids: impl IntoIterator<Item = NodeId>) -> u32 {
    ids.into_iter().map(|id| d.depth_of(id)).max().unwrap_or(0)
}

pub fn type_depth<D: DepthOf + ?Sized>(kind: &TypeKind, d: &D) -> u32 {
    1 + match kind {
        TypeKind::Named { args, .. } => max_of(d, args.iter().map(|t| t.id)),
        TypeKind::Tuple(ts) => max_of(d, ts.iter().map(|t| t.id)),
        TypeKind::Fn { params, ret, .. } => max_of(
            d,
            params.iter().map(|t| t.id).chain(std::iter::once(ret.id)),
        ),
        TypeKind::Error => 0,
    }
}

pub fn pattern_depth<D: DepthOf + ?Sized>(kind: &PatternKind, d: &D) -> u32 {
    1 + match kind {
        PatternKind::Tuple(ps) => max_of(d, ps.iter().map(|p| p.id)),
        PatternKind::List { items, .. } => max_of(d, items.iter().map(|p| p.id)),
        PatternKind::Some(p) => d.depth_of(p.id),
        PatternKind::Variant { args, .. } => max_of(d, args.iter().map(|p| p.id)),
        PatternKind::Struct { fields, .. } => max_of(d, fields.iter().map(|f| f.pattern.id)),
        PatternKind::Wildcard
        | PatternKind::Binding(_)
        | PatternKind::Lit(_)
        | PatternKind::None
        | PatternKind::Path(_)
        | PatternKind::Error => 0,
    }
}

pub fn block_depth<D: DepthOf + ?Sized>(stmts: &[Stmt], tail: Option<&Expr>, d: &D) -> u32 {
    1 + max_of(d, stmts.iter().map(|s| s.id).chain(tail.map(|e| e.id)))
}

pub fn stmt_depth<D: DepthOf + ?Sized>(kind: &StmtKind, d: &D) -> u32 {
    1 + match kind {
        StmtKind::Let {
            pattern, ty, init, ..
        } => max_of(
            d,
            [Some(pattern.id), ty.as_ref().map(|t| t.id), Some(init.id)]
                .into_iter()
                .flatten(),
        ),
        StmtKind::Assign { target, value, .. } => max_of(d, [target.id, value.id]),
        StmtKind::While { cond, body } => max_of(d, [cond.id, body.id]),
        StmtKind::For {
            pattern,
            iter,
            body,
        } => max_of(d, [pattern.id, iter.id, body.id]),
        StmtKind::Expr(e) => d.depth_of(e.id),
        StmtKind::Error => 0,
    }
}

pub fn expr_depth<D: DepthOf + ?Sized>(kind: &ExprKind, d: &D) -> u32 {
    let ids = |es: &[Expr]| es.iter().map(|e| e.id).collect::<Vec<_>>();
    let one = |e: &Expr| vec![e.id];
    let children: Vec<NodeId> = match kind {
        ExprKind::Lit(_)
        | ExprKind::Path(_)
        | ExprKind::Context(_)
        | ExprKind::None
        | ExprKind::Abort
        | ExprKind::Reject
        | ExprKind::UpdatePure { .. }
        | ExprKind::RegisterPure { .. }
        | ExprKind::Break
        | ExprKind::Continue
        | ExprKind::Return(None)
        | ExprKind::Error => Vec::new(),
        ExprKind::Some(e)
        | ExprKind::Destroy(e)
        | ExprKind::Try(e)
        | ExprKind::Teleport(e)
        | ExprKind::Fetch(e)
        | ExprKind::Freeze(e)
        | ExprKind::Post(e)
        | ExprKind::Require(e)
        | ExprKind::Return(Some(e)) => one(e),
        ExprKind::Field { base, .. } | ExprKind::TupleIndex { base, .. } => one(base),
        ExprKind::Unary { operand, .. } => one(operand),
        ExprKind::Call { callee, args } => {
            let mut v = ids(args);
            v.push(callee.id);
            v
        }
        ExprKind::MethodCall { receiver, args, .. } => {
            let mut v = ids(args);
            v.push(receiver.id);
            v
        }
        ExprKind::Index { base, index } => vec![base.id, index.id],
        ExprKind::Binary { lhs, rhs, .. } => vec![lhs.id, rhs.id],
        ExprKind::Range { start, end, .. } => vec![start.id, end.id],
        ExprKind::Tuple(es) | ExprKind::List(es) => ids(es),
        ExprKind::Struct { fields, .. } => fields.iter().map(|f| f.value.id).collect(),
        ExprKind::Block(b) | ExprKind::Unsafe(b) => vec![b.id],
        ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } => {
            let mut v = vec![cond.id, then_branch.id];
            v.extend(else_branch.as_ref().map(|e| e.id));
            v
        }
        ExprKind::Match { scrutinee, arms } => {
            let mut v = vec![scrutinee.id];
            for arm in arms {
                v.push(arm.pattern.id);
                v.push(arm.body.id);
                v.extend(arm.guard.as_ref().map(|g| g.id));
            }
            v
        }
        ExprKind::Closure { params, body } => {
            let mut v = vec![body.id];
            v.extend(params.iter().filter_map(|p| p.ty.as_ref().map(|t| t.id)));
            v
        }
        ExprKind::Create {
            args, controller, ..
        } => {
            let mut v = args.as_deref().map(ids).unwrap_or_default();
            v.extend(controller.as_ref().map(|c| c.id));
            v
        }
        ExprKind::Atomic { controller, body } => {
            let mut v = vec![body.id];
            v.extend(controller.as_ref().map(|c| c.id));
            v
        }
        ExprKind::Move { object, machine } => vec![object.id, machine.id],
        ExprKind::Transfer { object, controller } => vec![object.id, controller.id],
        ExprKind::Cast { expr, ty } => vec![expr.id, ty.id],
    };
    1 + max_of(d, children)
}
