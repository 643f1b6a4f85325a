//! What is written at an offset of a parsed document.
//!
//! Takes a module and a byte offset; produces the innermost [`NameAt`] whose name covers the
//! offset (a path, a method or field name after `.`, a binder, a declared function), the
//! innermost call whose argument list holds the offset, and the type parameters of the
//! function around it.

use crate::ide::walk::{self, Visitor};
use crate::syntax::ast::*;
use crate::syntax::span::Span;

/// A name in the document and the node it belongs to.
#[derive(Debug, Clone, Copy)]
pub enum NameAt<'m> {
    /// A path expression (`x`, `inc`, `Shot::Hit`).
    Path(&'m Expr),
    /// The method name of a method call.
    Method(&'m Expr),
    /// The field name of a field access.
    Field(&'m Expr),
    /// A name declared by a pattern, parameter or closure parameter: the binder's node.
    Binder(NodeId),
    /// A function's or method's own name.
    Function(&'m FnDef),
}

/// A call around an offset.
#[derive(Debug, Clone, Copy)]
pub struct CallAt<'m> {
    /// The call, method call or `create` expression.
    pub expr: &'m Expr,
    /// Where its argument list opens (the offset of `(`, found from the callee's end).
    pub open: usize,
}

/// Whether `offset` is inside `span` or right after it.
pub fn covers(span: Span, offset: usize) -> bool {
    span.start as usize <= offset && offset <= span.end as usize
}

struct Finder<'m> {
    offset: usize,
    name: Option<NameAt<'m>>,
    call: Option<CallAt<'m>>,
    generics: Vec<String>,
}

impl<'m> Visitor<'m> for Finder<'m> {
    fn function(&mut self, f: &'m FnDef, _object: Option<&'m ObjectDef>) {
        if covers(f.span, self.offset) {
            self.generics = f.generics.iter().map(|g| g.name.clone()).collect();
        }
        if covers(f.name.span, self.offset) {
            self.name = Some(NameAt::Function(f));
        }
    }

    fn param(&mut self, p: &'m Param) {
        if covers(p.name.span, self.offset) {
            self.name = Some(NameAt::Binder(p.id));
        }
    }

    fn closure_param(&mut self, p: &'m ClosureParam) {
        if covers(p.name.span, self.offset) {
            self.name = Some(NameAt::Binder(p.id));
        }
    }

    fn pattern(&mut self, p: &'m Pattern) {
        let named = match &p.kind {
            PatternKind::Binding(i) => covers(i.span, self.offset),
            PatternKind::List {
                rest: Some(ListRest {
                    binding: Some(b), ..
                }),
                ..
            } => covers(b.span, self.offset),
            _ => false,
        };
        if named {
            self.name = Some(NameAt::Binder(p.id));
        }
    }

    fn expr(&mut self, e: &'m Expr) {
        let offset = self.offset;
        match &e.kind {
            ExprKind::Path(p) if covers(p.span, offset) => self.name = Some(NameAt::Path(e)),
            ExprKind::MethodCall { method, .. } if covers(method.span, offset) => {
                self.name = Some(NameAt::Method(e))
            }
            ExprKind::Field { field, .. } if covers(field.span, offset) => {
                self.name = Some(NameAt::Field(e))
            }
            _ => {}
        }
        let open = match &e.kind {
            ExprKind::Call { callee, .. } => Some(callee.span.end as usize),
            ExprKind::MethodCall { method, .. } => Some(method.span.end as usize),
            ExprKind::Create {
                object,
                args: Some(_),
                ..
            } => Some(object.span.end as usize),
            _ => None,
        };
        if let Some(open) = open
            && open < offset
            && offset < e.span.end as usize
        {
            self.call = Some(CallAt { expr: e, open });
        }
    }
}

/// What the document holds at `offset`.
#[derive(Debug, Clone)]
pub struct At<'m> {
    /// The innermost name covering the offset.
    pub name: Option<NameAt<'m>>,
    /// The innermost call whose argument list holds the offset.
    pub call: Option<CallAt<'m>>,
    /// The type parameters of the function around the offset.
    pub generics: Vec<String>,
}

/// Looks at `offset` in `module`.
pub fn at(module: &Module, offset: usize) -> At<'_> {
    let mut f = Finder {
        offset,
        name: None,
        call: None,
        generics: Vec::new(),
    };
    walk::module(module, &mut f);
    At {
        name: f.name,
        call: f.call,
        generics: f.generics,
    }
}
