//! Inlay hints: the inferred types of `let` and `var` bindings written without a type.
//!
//! Takes an [`Analysis`]; produces, for every name bound by such a binding (also the names
//! inside a tuple or struct pattern), the offset right after the name and the text
//! `: Type`, when the checker knows the type fully.

use crate::ide::analysis::Analysis;
use crate::ide::walk::{self, Visitor};
use crate::syntax::ast::{FnDef, ObjectDef, Pattern, PatternKind, Stmt, StmtKind};

/// One inlay hint.
#[derive(Debug, Clone, PartialEq)]
pub struct InlayHint {
    /// Where the hint goes (just after the bound name).
    pub offset: usize,
    /// `: Int`
    pub label: String,
}

struct Lets<'m> {
    /// The patterns of unannotated bindings, with the type parameters around them.
    patterns: Vec<(&'m Pattern, Vec<String>)>,
    generics: Vec<String>,
}

impl<'m> Visitor<'m> for Lets<'m> {
    fn function(&mut self, f: &'m FnDef, _object: Option<&'m ObjectDef>) {
        self.generics = f.generics.iter().map(|g| g.name.clone()).collect();
    }

    fn stmt(&mut self, s: &'m Stmt) {
        if let StmtKind::Let {
            pattern, ty: None, ..
        } = &s.kind
        {
            self.patterns.push((pattern, self.generics.clone()));
        }
    }
}

fn bound<'p>(p: &'p Pattern, out: &mut Vec<&'p Pattern>) {
    match &p.kind {
        PatternKind::Binding(_) => out.push(p),
        PatternKind::Tuple(ps) | PatternKind::Variant { args: ps, .. } => {
            ps.iter().for_each(|q| bound(q, out))
        }
        PatternKind::List { items, .. } => items.iter().for_each(|q| bound(q, out)),
        PatternKind::Some(q) => bound(q, out),
        PatternKind::Struct { fields, .. } => fields.iter().for_each(|f| bound(&f.pattern, out)),
        _ => {}
    }
}

/// The inlay hints of the document, in source order.
pub fn inlay_hints(a: &Analysis) -> Vec<InlayHint> {
    let Some(module) = a.root() else {
        return Vec::new();
    };
    let mut lets = Lets {
        patterns: Vec::new(),
        generics: Vec::new(),
    };
    walk::module(module, &mut lets);
    let mut out = Vec::new();
    for (pattern, generics) in lets.patterns {
        let mut names = Vec::new();
        bound(pattern, &mut names);
        for p in names {
            let PatternKind::Binding(ident) = &p.kind else {
                continue;
            };
            if let Some(ty) = a.type_text(p.id, &generics) {
                out.push(InlayHint {
                    offset: ident.span.end as usize,
                    label: format!(": {ty}"),
                });
            }
        }
    }
    out.sort_by_key(|h| h.offset);
    out
}
