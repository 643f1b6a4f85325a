//! Hover from the type checker's results.
//!
//! Takes an [`Analysis`] and an offset; produces Markdown: a code block with the type of the
//! name under the cursor (`x: Int`, `let total: List[Int]`) or the signature of the function,
//! method or item it names (also for items of imported and std modules), then the doc
//! comment. `None` when the checker has nothing for that place; the caller then falls back
//! to the spelling-based hover.

use crate::ide::analysis::{Analysis, ROOT};
use crate::ide::locate::{self, NameAt};
use crate::resolve::{BinderKind, ItemDef, Res};
use crate::syntax::ast::{ExprKind, Mutability};
use crate::typeck::{RefTarget, Type};

/// A hover's content: the code line and the doc comment.
#[derive(Debug, Clone, PartialEq)]
pub struct HoverText {
    pub code: String,
    pub doc: Option<String>,
}

impl HoverText {
    pub fn markdown(&self) -> String {
        let mut out = format!("```avm\n{}\n```", self.code);
        if let Some(doc) = &self.doc {
            out.push_str("\n\n");
            out.push_str(doc.trim());
        }
        out
    }
}

/// The typed hover at `offset`.
pub fn typed_hover(a: &Analysis, offset: usize) -> Option<HoverText> {
    let (typed, module) = a.typed_root()?;
    let at = locate::at(module, offset);
    let generics = &at.generics;
    let defs = &typed.resolution.defs;
    let sigs = &typed.signatures;
    let code = |code: String| Some(HoverText { code, doc: None });
    match at.name? {
        NameAt::Binder(id) => {
            let binder = typed.resolution.binder(ROOT, id)?;
            let ty = a.type_text(id, generics)?;
            code(binder_text(
                &binder.name,
                binder.kind,
                binder.mutability,
                &ty,
            ))
        }
        NameAt::Function(f) => {
            // The declared name of a function or method: its signature.
            let here = |s: &&crate::typeck::signatures::FnSig| {
                s.name_span == f.name.span && Some(s.file) == a.root_file
            };
            let function = sigs.fns.iter().find(here);
            let method = sigs
                .objects
                .iter()
                .flat_map(|o| o.methods.iter())
                .find(here);
            let sig = function.or(method)?;
            Some(HoverText {
                code: a.fn_sig_text(sig),
                doc: f.doc.clone(),
            })
        }
        NameAt::Path(e) => {
            let ty = a.type_text(e.id, generics);
            match a.res(e.id)? {
                Res::Local(binder_id) => {
                    let binder = typed.resolution.binder(ROOT, *binder_id)?;
                    let ty = ty.or_else(|| a.type_text(*binder_id, generics))?;
                    code(binder_text(
                        &binder.name,
                        binder.kind,
                        binder.mutability,
                        &ty,
                    ))
                }
                Res::StateField { object, index } => {
                    let decl = defs.object(*object);
                    let field = sigs.objects.get(object.0 as usize)?.fields.get(*index)?;
                    Some(HoverText {
                        code: format!(
                            "{}.state {}: {}",
                            decl.name,
                            field.name,
                            field.ty.display(defs, &[])
                        ),
                        doc: decl
                            .fields
                            .get(*index)
                            .and_then(|m| a.member_doc(decl.loc, m.member)),
                    })
                }
                Res::Item(ItemDef::Fn(id)) => {
                    let sig = sigs.fns.get(id.0 as usize)?;
                    Some(HoverText {
                        code: a.fn_sig_text(sig),
                        doc: a.item_doc(defs.fn_decl(*id).loc),
                    })
                }
                Res::Item(ItemDef::Struct(id)) => {
                    let d = defs.struct_decl(*id);
                    Some(HoverText {
                        code: format!("struct {}", d.name),
                        doc: a.item_doc(d.loc),
                    })
                }
                Res::Item(ItemDef::Enum(id)) => {
                    let d = defs.enum_decl(*id);
                    Some(HoverText {
                        code: format!("enum {}", d.name),
                        doc: a.item_doc(d.loc),
                    })
                }
                Res::Item(ItemDef::Object(id)) => {
                    let d = defs.object(*id);
                    Some(HoverText {
                        code: format!("object {}", d.name),
                        doc: a.item_doc(d.loc),
                    })
                }
                Res::Variant { enum_id, index } => {
                    let d = defs.enum_decl(*enum_id);
                    let v = d.variants.get(*index as usize)?;
                    let doc = match &a.item(d.loc)?.kind {
                        crate::syntax::ast::ItemKind::Enum(e) => {
                            e.variants.get(*index as usize).and_then(|v| v.doc.clone())
                        }
                        _ => None,
                    };
                    Some(HoverText {
                        code: match ty {
                            Some(t) => format!("{}::{}: {t}", d.name, v.name),
                            None => format!("{}::{}", d.name, v.name),
                        },
                        doc,
                    })
                }
                Res::Builtin(b) => code(match ty {
                    Some(t) => format!("{}: {t}", b.name()),
                    None => format!("{} (built-in)", b.name()),
                }),
                _ => code(ty?),
            }
        }
        NameAt::Method(e) => {
            let ExprKind::MethodCall {
                receiver, method, ..
            } = &e.kind
            else {
                return None;
            };
            if let Some(Res::Item(ItemDef::Fn(id))) =
                typed.resolution.modules.first()?.module_calls.get(&e.id)
            {
                let sig = sigs.fns.get(id.0 as usize)?;
                return Some(HoverText {
                    code: a.fn_sig_text(sig),
                    doc: a.item_doc(defs.fn_decl(*id).loc),
                });
            }
            let Type::Ref(RefTarget::Object(o)) = typed.type_of(ROOT, receiver.id)? else {
                return None;
            };
            let decl = defs.object(*o);
            let index = decl.methods.iter().position(|m| m.name == method.name)?;
            let sig = sigs.objects.get(o.0 as usize)?.methods.get(index)?;
            Some(HoverText {
                code: format!("{}.{}", decl.name, a.fn_sig_text(sig)),
                doc: a.member_doc(decl.loc, decl.methods[index].member),
            })
        }
        NameAt::Field(e) => {
            let ExprKind::Field { base, field } = &e.kind else {
                return None;
            };
            let ty = a.type_text(e.id, generics)?;
            let owner = match typed.type_of(ROOT, base.id)? {
                Type::Struct(id, _) => {
                    let d = defs.struct_decl(*id);
                    let doc = match &a.item(d.loc)?.kind {
                        crate::syntax::ast::ItemKind::Struct(s) => s
                            .fields
                            .iter()
                            .find(|f| f.name.name == field.name)
                            .and_then(|f| f.doc.clone()),
                        _ => None,
                    };
                    return Some(HoverText {
                        code: format!("{}.{}: {ty}", d.name, field.name),
                        doc,
                    });
                }
                Type::Record(r) => r.name().to_string(),
                _ => return code(format!("{}: {ty}", field.name)),
            };
            code(format!("{owner}.{}: {ty}", field.name))
        }
    }
}

fn binder_text(name: &str, kind: BinderKind, mutability: Mutability, ty: &str) -> String {
    match kind {
        BinderKind::Let => format!("{} {name}: {ty}", mutability.keyword()),
        BinderKind::Param | BinderKind::ClosureParam | BinderKind::Pattern => {
            format!("{name}: {ty}")
        }
    }
}
