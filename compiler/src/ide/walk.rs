//! A pre-order walk over every node of a parsed module, for the editor analyses.
//!
//! Takes a [`Module`] and a [`Visitor`]; calls the visitor on every item, function,
//! parameter, statement, expression, pattern and written type, outer nodes before the
//! nodes inside them (so the last node seen that contains an offset is the innermost).

use crate::syntax::ast::*;

/// What the walk reports. Every method does nothing unless overridden.
pub trait Visitor<'m> {
    fn item(&mut self, _item: &'m Item) {}
    /// A function or method (with its object for a method).
    fn function(&mut self, _f: &'m FnDef, _object: Option<&'m ObjectDef>) {}
    fn param(&mut self, _p: &'m Param) {}
    fn closure_param(&mut self, _p: &'m ClosureParam) {}
    fn state(&mut self, _s: &'m StateField, _object: &'m ObjectDef) {}
    fn stmt(&mut self, _s: &'m Stmt) {}
    fn expr(&mut self, _e: &'m Expr) {}
    fn pattern(&mut self, _p: &'m Pattern) {}
    fn ty(&mut self, _t: &'m Type) {}
}

/// Walks the whole module.
pub fn module<'m>(m: &'m Module, v: &mut dyn Visitor<'m>) {
    for item in &m.items {
        v.item(item);
        match &item.kind {
            ItemKind::Import(_) | ItemKind::Error => {}
            ItemKind::Struct(s) => s.fields.iter().for_each(|f| ty(&f.ty, v)),
            ItemKind::Enum(e) => {
                for variant in &e.variants {
                    match &variant.fields {
                        VariantFields::Unit => {}
                        VariantFields::Tuple(ts) => ts.iter().for_each(|t| ty(t, v)),
                        VariantFields::Struct(fs) => fs.iter().for_each(|f| ty(&f.ty, v)),
                    }
                }
            }
            ItemKind::Object(o) => {
                for member in &o.members {
                    match member {
                        ObjectMember::State(s) => {
                            v.state(s, o);
                            ty(&s.ty, v);
                            expr(&s.init, v);
                        }
                        ObjectMember::Init(i) => {
                            params(&i.params, v);
                            block(&i.body, v);
                        }
                        ObjectMember::Method(f) => function(f, Some(o), v),
                        ObjectMember::Error(_) => {}
                    }
                }
            }
            ItemKind::Fn(f) => function(f, None, v),
        }
    }
}

fn function<'m>(f: &'m FnDef, object: Option<&'m ObjectDef>, v: &mut dyn Visitor<'m>) {
    v.function(f, object);
    params(&f.params, v);
    if let Some(t) = &f.ret {
        ty(t, v);
    }
    block(&f.body, v);
}

fn params<'m>(ps: &'m [Param], v: &mut dyn Visitor<'m>) {
    for p in ps {
        v.param(p);
        ty(&p.ty, v);
    }
}

fn ty<'m>(t: &'m Type, v: &mut dyn Visitor<'m>) {
    v.ty(t);
    match &t.kind {
        TypeKind::Named { args, .. } => args.iter().for_each(|a| ty(a, v)),
        TypeKind::Tuple(ts) => ts.iter().for_each(|a| ty(a, v)),
        TypeKind::Fn { params, ret, .. } => {
            params.iter().for_each(|a| ty(a, v));
            ty(ret, v);
        }
        TypeKind::Error => {}
    }
}

fn block<'m>(b: &'m Block, v: &mut dyn Visitor<'m>) {
    for s in &b.stmts {
        v.stmt(s);
        match &s.kind {
            StmtKind::Let {
                pattern,
                ty: written,
                init,
                ..
            } => {
                self::pattern(pattern, v);
                if let Some(t) = written {
                    ty(t, v);
                }
                expr(init, v);
            }
            StmtKind::Assign { target, value, .. } => {
                expr(target, v);
                expr(value, v);
            }
            StmtKind::While { cond, body } => {
                expr(cond, v);
                block(body, v);
            }
            StmtKind::For {
                pattern,
                iter,
                body,
            } => {
                self::pattern(pattern, v);
                expr(iter, v);
                block(body, v);
            }
            StmtKind::Expr(e) => expr(e, v),
            StmtKind::Error => {}
        }
    }
    if let Some(t) = &b.tail {
        expr(t, v);
    }
}

fn expr<'m>(e: &'m Expr, v: &mut dyn Visitor<'m>) {
    v.expr(e);
    let all = |es: &'m [Expr], v: &mut dyn Visitor<'m>| es.iter().for_each(|x| expr(x, v));
    match &e.kind {
        ExprKind::Lit(_)
        | ExprKind::Path(_)
        | ExprKind::Context(_)
        | ExprKind::None
        | ExprKind::Abort
        | ExprKind::Reject
        | ExprKind::UpdatePure { .. }
        | ExprKind::RegisterPure { .. }
        | ExprKind::Return(None)
        | ExprKind::Break
        | ExprKind::Continue
        | ExprKind::Error => {}
        ExprKind::Some(x)
        | ExprKind::Destroy(x)
        | ExprKind::Try(x)
        | ExprKind::Teleport(x)
        | ExprKind::Fetch(x)
        | ExprKind::Freeze(x)
        | ExprKind::Post(x)
        | ExprKind::Require(x)
        | ExprKind::Return(Some(x)) => expr(x, v),
        ExprKind::Call { callee, args } => {
            expr(callee, v);
            all(args, v);
        }
        ExprKind::MethodCall { receiver, args, .. } => {
            expr(receiver, v);
            all(args, v);
        }
        ExprKind::Field { base, .. } | ExprKind::TupleIndex { base, .. } => expr(base, v),
        ExprKind::Index { base, index } => {
            expr(base, v);
            expr(index, v);
        }
        ExprKind::Unary { operand, .. } => expr(operand, v),
        ExprKind::Binary { lhs, rhs, .. } => {
            expr(lhs, v);
            expr(rhs, v);
        }
        ExprKind::Range { start, end, .. } => {
            expr(start, v);
            expr(end, v);
        }
        ExprKind::Tuple(es) | ExprKind::List(es) => all(es, v),
        ExprKind::Struct { fields, .. } => fields.iter().for_each(|f| expr(&f.value, v)),
        ExprKind::Block(b) | ExprKind::Unsafe(b) => block(b, v),
        ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } => {
            expr(cond, v);
            block(then_branch, v);
            if let Some(x) = else_branch {
                expr(x, v);
            }
        }
        ExprKind::Match { scrutinee, arms } => {
            expr(scrutinee, v);
            for arm in arms {
                pattern(&arm.pattern, v);
                if let Some(g) = &arm.guard {
                    expr(g, v);
                }
                expr(&arm.body, v);
            }
        }
        ExprKind::Closure { params, body } => {
            for p in params {
                v.closure_param(p);
                if let Some(t) = &p.ty {
                    ty(t, v);
                }
            }
            expr(body, v);
        }
        ExprKind::Create {
            args, controller, ..
        } => {
            if let Some(args) = args {
                all(args, v);
            }
            if let Some(c) = controller {
                expr(c, v);
            }
        }
        ExprKind::Atomic { controller, body } => {
            if let Some(c) = controller {
                expr(c, v);
            }
            block(body, v);
        }
        ExprKind::Move { object, machine } => {
            expr(object, v);
            expr(machine, v);
        }
        ExprKind::Transfer { object, controller } => {
            expr(object, v);
            expr(controller, v);
        }
        ExprKind::Cast { expr: x, ty: t } => {
            expr(x, v);
            ty(t, v);
        }
    }
}

fn pattern<'m>(p: &'m Pattern, v: &mut dyn Visitor<'m>) {
    v.pattern(p);
    match &p.kind {
        PatternKind::Tuple(ps) | PatternKind::Variant { args: ps, .. } => {
            ps.iter().for_each(|x| pattern(x, v))
        }
        PatternKind::List { items, .. } => items.iter().for_each(|x| pattern(x, v)),
        PatternKind::Some(x) => pattern(x, v),
        PatternKind::Struct { fields, .. } => fields.iter().for_each(|f| pattern(&f.pattern, v)),
        PatternKind::Wildcard
        | PatternKind::Binding(_)
        | PatternKind::Lit(_)
        | PatternKind::None
        | PatternKind::Path(_)
        | PatternKind::Error => {}
    }
}
