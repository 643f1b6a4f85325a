//! Patterns: AST patterns to ITree patterns.
//!
//! Takes an [`ast::Pattern`]; produces the ITree [`Pattern`] and declares its bindings in the
//! current function (so the arm's body can refer to them). List patterns with a rest become
//! `Cons` chains; struct-like variant patterns become positional variant patterns.

use avm_vm::itree::Pattern;
use avm_vm::itree::builder::name;

use super::expr::literal;
use super::{Lowered, Lowerer};
use crate::resolve::{ItemDef, Res};
use crate::syntax::ast::{self, PatternKind};

impl Lowerer<'_> {
    /// Lowers a pattern, declaring its bindings.
    pub fn pattern(&mut self, p: &ast::Pattern) -> Lowered<Pattern> {
        let res = self.typed.resolution.res(self.cx.module, p.id).cloned();
        Ok(match &p.kind {
            PatternKind::Wildcard => Pattern::Wild,
            PatternKind::Binding(ident) => match res {
                Some(Res::Variant { enum_id, index }) => {
                    self.variant_pattern(enum_id, index, Vec::new())
                }
                _ => Pattern::Bind(self.declare(p.id, &ident.name)),
            },
            PatternKind::Lit(l) => Pattern::Lit(literal(l)),
            PatternKind::Tuple(items) => Pattern::Tuple(
                items
                    .iter()
                    .map(|i| self.pattern(i))
                    .collect::<Lowered<Vec<_>>>()?,
            ),
            PatternKind::List { items, rest } => {
                let items = items
                    .iter()
                    .map(|i| self.pattern(i))
                    .collect::<Lowered<Vec<_>>>()?;
                match rest {
                    None if items.is_empty() => Pattern::Nil,
                    None => Pattern::List(items),
                    Some(r) => {
                        let tail = match &r.binding {
                            Some(ident) => Pattern::Bind(self.declare(p.id, &ident.name)),
                            None => Pattern::Wild,
                        };
                        items
                            .into_iter()
                            .rev()
                            .fold(tail, |t, h| Pattern::Cons(Box::new(h), Box::new(t)))
                    }
                }
            }
            PatternKind::None => Pattern::Nothing,
            PatternKind::Some(inner) => Pattern::Just(Box::new(self.pattern(inner)?)),
            PatternKind::Path(_) => match res {
                Some(Res::Variant { enum_id, index }) => {
                    self.variant_pattern(enum_id, index, Vec::new())
                }
                _ => return Err(self.unsupported(p.span, "this pattern")),
            },
            PatternKind::Variant { args, .. } => match res {
                Some(Res::Variant { enum_id, index }) => {
                    let args = args
                        .iter()
                        .map(|a| self.pattern(a))
                        .collect::<Lowered<Vec<_>>>()?;
                    self.variant_pattern(enum_id, index, args)
                }
                _ => return Err(self.unsupported(p.span, "this pattern")),
            },
            PatternKind::Struct { fields, .. } => {
                let mut given = Vec::new();
                for f in fields {
                    given.push((f.name.name.clone(), self.pattern(&f.pattern)?));
                }
                match res {
                    Some(Res::Item(ItemDef::Struct(sid))) => {
                        let decl = self.typed.resolution.defs.struct_decl(sid);
                        Pattern::Record {
                            type_name: name(&decl.name),
                            fields: given.into_iter().map(|(n, p)| (name(&n), p)).collect(),
                        }
                    }
                    Some(Res::Variant { enum_id, index }) => {
                        let sig = &self.typed.signatures.enums[enum_id.0 as usize].variants
                            [index as usize];
                        let payload = sig
                            .fields
                            .iter()
                            .map(|f| {
                                given
                                    .iter()
                                    .find(|(n, _)| *n == f.name)
                                    .map(|(_, p)| p.clone())
                                    .unwrap_or(Pattern::Wild)
                            })
                            .collect();
                        self.variant_pattern(enum_id, index, payload)
                    }
                    _ => return Err(self.unsupported(p.span, "this pattern")),
                }
            }
            PatternKind::Error => return Err(self.unsupported(p.span, "this pattern")),
        })
    }

    fn variant_pattern(
        &self,
        enum_id: crate::resolve::EnumId,
        index: u32,
        payload: Vec<Pattern>,
    ) -> Pattern {
        let decl = self.typed.resolution.defs.enum_decl(enum_id);
        Pattern::Variant {
            enum_name: name(&decl.name),
            variant: name(&decl.variants[index as usize].name),
            payload,
        }
    }
}
