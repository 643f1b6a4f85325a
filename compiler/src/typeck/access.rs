//! Type rules for reading parts of values and building structs: field
//! access (`p.x`), tuple elements (`t.0`), list indexing (`xs[i]`) and
//! struct literals.
//!
//! Takes those expressions; produces their types and diagnostics for
//! unknown fields (E0412), missing fields (E0413), bad indexing (E0422) and
//! values whose type is not known yet (E0414).

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::{ItemDef, Res, VariantShape};
use crate::syntax::ast::{Expr, FieldInit, Ident, Path};
use crate::syntax::span::Span;
use crate::typeck::check::Checker;
use crate::typeck::types::{RefTarget, Type};

impl Checker<'_> {
    pub(crate) fn field(&mut self, base: &Expr, field: &Ident) -> Type {
        let base_ty = self.infer_expr(base);
        let resolved = self.infer.shallow(&base_ty);
        let fields: Vec<(String, Type)> = match &resolved {
            Type::Error => return Type::Error,
            Type::Struct(id, args) => self.sigs.structs[id.0 as usize]
                .fields
                .iter()
                .map(|f| (f.name.clone(), f.ty.instantiate(args)))
                .collect(),
            Type::Record(r) => r
                .fields()
                .into_iter()
                .map(|(n, t)| (n.to_string(), t))
                .collect(),
            Type::Ref(RefTarget::Object(o)) => {
                let name = self.defs.object(*o).name.clone();
                // A getter named after the field would clash with it (E0302): `get_x`.
                let ty = self
                    .sigs
                    .objects
                    .get(o.0 as usize)
                    .and_then(|sig| sig.fields.iter().find(|f| f.name == field.name))
                    .map_or_else(|| "Int".to_string(), |f| self.show(&f.ty));
                let d = Diagnostic::new(
                    Code::E0412,
                    format!("the state of `{name}` is private to its methods"),
                    self.label(field.span, "cannot read another object's state"),
                )
                .with_help(format!(
                    "add a method to `{name}` that returns it, e.g. `fn get_{f}() -> {ty} {{ {f} }}`, and call it: `{r}.get_{f}()`",
                    f = field.name,
                    r = match &base.kind {
                        crate::syntax::ast::ExprKind::Path(p) if p.segments.len() == 1 => p.segments[0].name.as_str(),
                        _ => "r",
                    },
                ));
                self.report(d);
                return Type::Error;
            }
            Type::Var(_) => {
                let d = Diagnostic::new(
                    Code::E0414,
                    "the type of this value must be known to access its fields",
                    self.label(base.span, "type unknown here"),
                )
                .with_help("annotate the variable, e.g. `let p: Point = ...`");
                self.report(d);
                return Type::Error;
            }
            other => {
                let t = self.show(other);
                let help = if matches!(other, Type::Tuple(_)) {
                    "tuple elements are read by position: `t.0`, `t.1`".to_string()
                } else {
                    "only structs and reflection records have named fields".to_string()
                };
                let d = Diagnostic::new(
                    Code::E0412,
                    format!("`{t}` has no field `{}`", field.name),
                    self.label(field.span, "unknown field"),
                )
                .with_help(help);
                self.report(d);
                return Type::Error;
            }
        };
        if let Some((_, t)) = fields.iter().find(|(n, _)| *n == field.name) {
            return t.clone();
        }
        let t = self.show(&resolved);
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        let mut d = Diagnostic::new(
            Code::E0412,
            format!("`{t}` has no field `{}`", field.name),
            self.label(field.span, "unknown field"),
        );
        if let Type::Struct(id, _) = &resolved {
            let decl = self.defs.struct_decl(*id);
            d = d.with_secondary(crate::diagnostics::Label::new(
                decl.file,
                decl.name_span,
                "the struct is declared here",
            ));
        }
        d = match crate::typeck::suggest(&field.name, &names) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!("the fields of `{t}` are: {}", names.join(", "))),
        };
        self.report(d);
        Type::Error
    }
    pub(crate) fn tuple_index(&mut self, base: &Expr, index: u32, span: Span) -> Type {
        let base_ty = self.infer_expr(base);
        match self.infer.shallow(&base_ty) {
            Type::Error => Type::Error,
            Type::Tuple(items) => match items.get(index as usize) {
                Some(t) => t.clone(),
                None => {
                    let d = Diagnostic::new(
                        Code::E0422,
                        format!(
                            "this tuple has {} elements, so `.{index}` is out of range",
                            items.len()
                        ),
                        self.label(span, "no such element"),
                    )
                    .with_help(format!("use an index from `.0` to `.{}`", items.len() - 1));
                    self.report(d);
                    Type::Error
                }
            },
            Type::Var(_) => {
                let d = Diagnostic::new(
                    Code::E0414,
                    "the type of this value must be known to take a tuple element",
                    self.label(base.span, "type unknown here"),
                )
                .with_help("annotate the variable, e.g. `let t: (Int, Int) = ...`");
                self.report(d);
                Type::Error
            }
            other => {
                let t = self.show(&other);
                let d = Diagnostic::new(
                    Code::E0422,
                    format!("`{t}` is not a tuple"),
                    self.label(span, "`.N` needs a tuple"),
                )
                .with_help("read struct fields by name (`p.x`) and list elements with `xs[i]`");
                self.report(d);
                Type::Error
            }
        }
    }
    pub(crate) fn index(&mut self, base: &Expr, index: &Expr) -> Type {
        let base_ty = self.infer_expr(base);
        let elem = self.infer.fresh();
        if !self.infer.unify(&Type::list(elem.clone()), &base_ty) {
            let t = self.show(&base_ty);
            let d = Diagnostic::new(
                Code::E0422,
                format!("cannot index into a value of type `{t}`"),
                self.label(base.span, format!("this is `{t}`, not a list")),
            )
            .with_help("only lists are indexed with `xs[i]`; use `t.0` for tuples and `p.x` for struct fields");
            self.report(d);
            self.infer_expr(index);
            return Type::Error;
        }
        let i = self.infer_expr(index);
        if !self.infer.unify(&Type::Int, &i) {
            let t = self.show(&i);
            let d = Diagnostic::new(
                Code::E0422,
                format!("list indices are `Int`, not `{t}`"),
                self.label(index.span, format!("this is `{t}`")),
            )
            .with_help("index with an integer position, counting from 0");
            self.report(d);
        }
        elem
    }
    pub(crate) fn struct_literal(
        &mut self,
        expr: &Expr,
        path: &Path,
        fields: &[FieldInit],
    ) -> Type {
        let name = path
            .segments
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join("::");
        let (ty, declared): (Type, Vec<(String, Type)>) = match self.mres.res.get(&expr.id).cloned()
        {
            Some(Res::Item(ItemDef::Struct(id))) => {
                let args: Vec<Type> = (0..self.defs.struct_decl(id).generics)
                    .map(|_| self.infer.fresh())
                    .collect();
                let declared = self.sigs.structs[id.0 as usize]
                    .fields
                    .iter()
                    .map(|f| (f.name.clone(), f.ty.instantiate(&args)))
                    .collect();
                (Type::Struct(id, args.into()), declared)
            }
            Some(Res::Variant { enum_id, index })
                if self.defs.enum_decl(enum_id).variants[index as usize].shape
                    == VariantShape::Struct =>
            {
                let args: Vec<Type> = (0..self.defs.enum_decl(enum_id).generics)
                    .map(|_| self.infer.fresh())
                    .collect();
                let declared = self.sigs.enums[enum_id.0 as usize].variants[index as usize]
                    .fields
                    .iter()
                    .map(|f| (f.name.clone(), f.ty.instantiate(&args)))
                    .collect();
                (Type::Enum(enum_id, args.into()), declared)
            }
            None => {
                for f in fields {
                    self.infer_expr(&f.value);
                }
                return Type::Error;
            }
            Some(_) => {
                let d = Diagnostic::new(
                    Code::E0415,
                    format!("`{name}` is not a struct"),
                    self.label(path.span, "not a struct or a variant with named fields"),
                )
                .with_help("use `{ ... }` only after a struct name or a variant declared with named fields");
                self.report(d);
                for f in fields {
                    self.infer_expr(&f.value);
                }
                return Type::Error;
            }
        };
        let mut given: Vec<&str> = Vec::new();
        for f in fields {
            if given.contains(&f.name.name.as_str()) {
                let d = Diagnostic::new(
                    Code::E0302,
                    format!("field `{}` is given twice", f.name.name),
                    self.label(f.name.span, "given again here"),
                )
                .with_help("give each field exactly once");
                self.report(d);
                self.infer_expr(&f.value);
                continue;
            }
            given.push(&f.name.name);
            match declared.iter().find(|(n, _)| *n == f.name.name) {
                Some((_, t)) => {
                    let t = t.clone();
                    self.check_expr(&f.value, &t);
                }
                None => {
                    self.infer_expr(&f.value);
                    let names: Vec<&str> = declared.iter().map(|(n, _)| n.as_str()).collect();
                    let mut d = Diagnostic::new(
                        Code::E0412,
                        format!("`{name}` has no field `{}`", f.name.name),
                        self.label(f.name.span, "unknown field"),
                    );
                    d = match crate::typeck::suggest(&f.name.name, &names) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => {
                            d.with_help(format!("the fields of `{name}` are: {}", names.join(", ")))
                        }
                    };
                    self.report(d);
                }
            }
        }
        let missing: Vec<&str> = declared
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| !given.contains(n))
            .collect();
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let example = missing
                .iter()
                .map(|m| format!("{m}: ..."))
                .collect::<Vec<_>>()
                .join(", ");
            let d = Diagnostic::new(
                Code::E0413,
                format!(
                    "missing field{} {list} in `{name}`",
                    if missing.len() == 1 { "" } else { "s" }
                ),
                self.label(expr.span, format!("{list} not given")),
            )
            .with_help(format!("give every field a value: add `{example}`"));
            self.report(d);
        }
        ty
    }
}
