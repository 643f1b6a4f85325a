//! Type rules for patterns and `match`.
//!
//! Takes patterns with the type they must match; produces the types of the
//! bindings they introduce, and for `match`, `let` and `for` the
//! exhaustiveness verdict: E0411 (a value no arm matches, or a refutable
//! `let`/`for` pattern), W0401 (an arm that can never run), E0423 (a
//! pattern of the wrong shape) and E0401 (a pattern of the wrong type).

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::{ItemDef, Res, VariantShape};
use crate::syntax::ast::{Expr, FieldPattern, FieldsRest, Literal, MatchArm, Pattern, PatternKind};
use crate::typeck::check::Checker;
use crate::typeck::exhaustive::{Ctor, Pat, Space};
use crate::typeck::expr::literal_type;
use crate::typeck::types::Type;

impl Checker<'_> {
    pub fn check_pattern(&mut self, pat: &Pattern, expected: &Type) {
        self.record(pat.id, expected);
        match &pat.kind {
            PatternKind::Wildcard | PatternKind::Error => {}
            PatternKind::Binding(_) => match self.mres.res.get(&pat.id).cloned() {
                Some(Res::Variant { enum_id, index }) => {
                    self.variant_pattern(pat, enum_id, index, &[], expected, false)
                }
                _ => {
                    self.locals.insert(pat.id, expected.clone());
                }
            },
            PatternKind::Lit(lit) => {
                let t = literal_type(lit);
                self.pattern_type(pat, expected, &t);
            }
            PatternKind::Tuple(items) => {
                let fresh: Vec<Type> = items.iter().map(|_| self.infer.fresh()).collect();
                match self.infer.shallow(expected) {
                    Type::Tuple(ts) if ts.len() != items.len() => {
                        let d = Diagnostic::new(
                            Code::E0423,
                            format!("this pattern has {} elements, but the tuple has {}", items.len(), ts.len()),
                            self.label(pat.span, format!("expected {} elements", ts.len())),
                        )
                        .with_help(format!("write one sub-pattern per element ({}), using `_` for the ones you ignore", ts.len()));
                        self.report(d);
                        for p in items {
                            self.check_pattern(p, &Type::Error);
                        }
                        return;
                    }
                    _ => {}
                }
                self.pattern_type(pat, expected, &Type::tuple(fresh.clone()));
                for (p, t) in items.iter().zip(&fresh) {
                    self.check_pattern(p, t);
                }
            }
            PatternKind::List { items, rest } => {
                let elem = self.infer.fresh();
                let list = Type::list(elem.clone());
                self.pattern_type(pat, expected, &list);
                for p in items {
                    self.check_pattern(p, &elem);
                }
                if let Some(rest) = rest
                    && rest.binding.is_some()
                {
                    self.locals.insert(pat.id, list);
                }
            }
            PatternKind::None => {
                let t = Type::option(self.infer.fresh());
                self.pattern_type(pat, expected, &t);
            }
            PatternKind::Some(inner) => {
                let elem = self.infer.fresh();
                self.pattern_type(pat, expected, &Type::option(elem.clone()));
                self.check_pattern(inner, &elem);
            }
            PatternKind::Path(_) => {
                if let Some(Res::Variant { enum_id, index }) = self.mres.res.get(&pat.id).cloned() {
                    self.variant_pattern(pat, enum_id, index, &[], expected, false)
                }
            }
            PatternKind::Variant { args, .. } => match self.mres.res.get(&pat.id).cloned() {
                Some(Res::Variant { enum_id, index }) => {
                    self.variant_pattern(pat, enum_id, index, args, expected, true)
                }
                _ => {
                    for p in args {
                        self.check_pattern(p, &Type::Error);
                    }
                }
            },
            PatternKind::Struct { fields, rest, .. } => {
                self.struct_pattern(pat, fields, *rest, expected)
            }
        }
    }

    fn pattern_type(&mut self, pat: &Pattern, expected: &Type, actual: &Type) {
        if self.infer.unify(expected, actual) {
            return;
        }
        let (e, a) = (self.show(expected), self.show(actual));
        let d = Diagnostic::new(
            Code::E0401,
            format!("this pattern matches `{a}`, but the value is `{e}`"),
            self.label(pat.span, format!("expected a pattern for `{e}`")),
        )
        .with_help(format!("write a pattern that matches `{e}`"));
        self.report(d);
    }

    fn variant_pattern(
        &mut self,
        pat: &Pattern,
        enum_id: crate::resolve::EnumId,
        index: u32,
        args: &[Pattern],
        expected: &Type,
        with_parens: bool,
    ) {
        let decl = self.defs.enum_decl(enum_id);
        let targs: Vec<Type> = (0..decl.generics).map(|_| self.infer.fresh()).collect();
        self.pattern_type(pat, expected, &Type::Enum(enum_id, targs.clone().into()));
        let vdecl = &decl.variants[index as usize];
        let (name, shape) = (vdecl.name.clone(), vdecl.shape);
        let fields: Vec<Type> = self.sigs.enums[enum_id.0 as usize].variants[index as usize]
            .fields
            .iter()
            .map(|f| f.ty.instantiate(&targs))
            .collect();
        let fits = match shape {
            VariantShape::Unit => !with_parens || args.is_empty(),
            VariantShape::Tuple => with_parens && args.len() == fields.len(),
            VariantShape::Struct => false,
        };
        if !fits {
            let (message, help) = match shape {
                VariantShape::Unit => (
                    format!("variant `{name}` has no fields"),
                    format!("write `{name}` without parentheses"),
                ),
                VariantShape::Tuple => (
                    format!(
                        "variant `{name}` has {} field{}, but this pattern has {}",
                        fields.len(),
                        if fields.len() == 1 { "" } else { "s" },
                        args.len()
                    ),
                    format!("write `{name}({})`", vec!["_"; fields.len()].join(", ")),
                ),
                VariantShape::Struct => (
                    format!("variant `{name}` has named fields"),
                    format!("write `{name} {{ field, .. }}`"),
                ),
            };
            let d = Diagnostic::new(
                Code::E0423,
                message,
                self.label(pat.span, "pattern does not fit the variant"),
            )
            .with_help(help);
            self.report(d);
        }
        for (i, p) in args.iter().enumerate() {
            let t = fields.get(i).cloned().unwrap_or(Type::Error);
            self.check_pattern(p, &t);
        }
    }

    fn struct_pattern(
        &mut self,
        pat: &Pattern,
        fields: &[FieldPattern],
        rest: FieldsRest,
        expected: &Type,
    ) {
        let (ty, declared): (Type, Vec<(String, Type)>) = match self.mres.res.get(&pat.id).cloned()
        {
            Some(Res::Item(ItemDef::Struct(id))) => {
                let targs: Vec<Type> = (0..self.defs.struct_decl(id).generics)
                    .map(|_| self.infer.fresh())
                    .collect();
                let declared = self.sigs.structs[id.0 as usize]
                    .fields
                    .iter()
                    .map(|f| (f.name.clone(), f.ty.instantiate(&targs)))
                    .collect();
                (Type::Struct(id, targs.into()), declared)
            }
            Some(Res::Variant { enum_id, index })
                if self.defs.enum_decl(enum_id).variants[index as usize].shape
                    == VariantShape::Struct =>
            {
                let targs: Vec<Type> = (0..self.defs.enum_decl(enum_id).generics)
                    .map(|_| self.infer.fresh())
                    .collect();
                let declared = self.sigs.enums[enum_id.0 as usize].variants[index as usize]
                    .fields
                    .iter()
                    .map(|f| (f.name.clone(), f.ty.instantiate(&targs)))
                    .collect();
                (Type::Enum(enum_id, targs.into()), declared)
            }
            Some(_) => {
                let d = Diagnostic::new(
                    Code::E0423,
                    "this is not a struct or a variant with named fields",
                    self.label(pat.span, "braces need a struct"),
                )
                .with_help("use `Name(..)` for variants with positional fields");
                self.report(d);
                for f in fields {
                    self.check_pattern(&f.pattern, &Type::Error);
                }
                return;
            }
            None => {
                for f in fields {
                    self.check_pattern(&f.pattern, &Type::Error);
                }
                return;
            }
        };
        self.pattern_type(pat, expected, &ty);
        for f in fields {
            match declared.iter().find(|(n, _)| *n == f.name.name) {
                Some((_, t)) => {
                    let t = t.clone();
                    self.check_pattern(&f.pattern, &t);
                }
                None => {
                    let names: Vec<&str> = declared.iter().map(|(n, _)| n.as_str()).collect();
                    let mut d = Diagnostic::new(
                        Code::E0412,
                        format!("no field `{}` here", f.name.name),
                        self.label(f.name.span, "unknown field"),
                    );
                    d = match crate::typeck::suggest(&f.name.name, &names) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => d.with_help(format!("the fields are: {}", names.join(", "))),
                    };
                    self.report(d);
                    self.check_pattern(&f.pattern, &Type::Error);
                }
            }
        }
        if rest == FieldsRest::Exhaustive {
            let missing: Vec<&str> = declared
                .iter()
                .map(|(n, _)| n.as_str())
                .filter(|n| !fields.iter().any(|f| f.name.name == *n))
                .collect();
            if !missing.is_empty() {
                let d = Diagnostic::new(
                    Code::E0423,
                    format!(
                        "this pattern does not mention the field{} {}",
                        if missing.len() == 1 { "" } else { "s" },
                        missing
                            .iter()
                            .map(|m| format!("`{m}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    self.label(pat.span, "fields missing"),
                )
                .with_help("name the missing fields, or end the pattern with `..` to ignore them");
                self.report(d);
            }
        }
    }

    pub fn match_expr(&mut self, scrutinee: &Expr, arms: &[MatchArm]) -> Type {
        let scrut_ty = self.infer_expr(scrutinee);
        let result = self.infer.fresh();
        let mut first_arm_span = None;
        let mut pattern_errors = false;
        for arm in arms {
            let before = self.diags.len();
            self.check_pattern(&arm.pattern, &scrut_ty);
            pattern_errors |= self.diags.len() > before;
            if let Some(g) = &arm.guard {
                self.check_expr(g, &Type::Bool);
            }
            let t = self.infer_expr(&arm.body);
            if !self.infer.unify(&result, &t) {
                let (r, a) = (self.show(&result), self.show(&t));
                let mut d = Diagnostic::new(
                    Code::E0401,
                    format!("match arms have different types: `{r}` and `{a}`"),
                    self.label(arm.body.span, format!("this arm is `{a}`")),
                )
                .with_help(format!("make every arm produce `{r}`"));
                if let Some(span) = first_arm_span {
                    d = d.with_secondary(self.label(span, format!("the first arm is `{r}`")));
                }
                self.report(d);
            }
            first_arm_span.get_or_insert(arm.body.span);
        }
        // Exhaustiveness and reachability (skipped when the scrutinee's type
        // is unknown or already wrong: there is nothing sound to say).
        let ty = self.infer.zonk(&scrut_ty);
        if pattern_errors || matches!(ty, Type::Error | Type::Var(_)) {
            return result;
        }
        let space = Space {
            defs: self.defs,
            sigs: self.sigs,
        };
        let mut rows: Vec<Vec<Pat>> = Vec::new();
        let mut warnings = Vec::new();
        for arm in arms {
            let p = self.lower_pattern(&arm.pattern, &ty, &space);
            if space
                .useful(&rows, std::slice::from_ref(&p), std::slice::from_ref(&ty))
                .is_none()
            {
                let d = Diagnostic::new(
                    Code::W0401,
                    "unreachable match arm",
                    self.label(
                        arm.pattern.span,
                        "every value this matches is matched by an earlier arm",
                    ),
                )
                .with_help("delete this arm, or move it above the arm that already covers it");
                warnings.push(d);
            }
            if arm.guard.is_none() {
                rows.push(vec![p]);
            }
        }
        if let Some(w) = space.useful(&rows, &[Pat::Wild], std::slice::from_ref(&ty)) {
            let shown = w.first().map_or("_".to_string(), |p| space.show(p, &ty));
            let span = scrutinee.span;
            let d = Diagnostic::new(
                Code::E0411,
                format!("non-exhaustive match: `{shown}` is not covered"),
                self.label(span, format!("`{shown}` not covered")),
            )
            .with_note("arms with an `if` guard do not count: the guard may be false")
            .with_help(format!(
                "add an arm `{shown} => ...`, or a catch-all arm `_ => ...`"
            ));
            warnings.push(d);
        }
        for d in warnings {
            self.report(d);
        }
        result
    }

    /// E0411 for a `let` or `for` pattern that can fail to match.
    pub fn check_irrefutable(&mut self, pat: &Pattern, ty: &Type) {
        let ty = self.infer.zonk(ty);
        if matches!(ty, Type::Error | Type::Var(_)) {
            return;
        }
        let space = Space {
            defs: self.defs,
            sigs: self.sigs,
        };
        let p = self.lower_pattern(pat, &ty, &space);
        if let Some(w) = space.useful(&[vec![p]], &[Pat::Wild], std::slice::from_ref(&ty)) {
            let shown = w.first().map_or("_".to_string(), |p| space.show(p, &ty));
            let d = Diagnostic::new(
                Code::E0411,
                format!("refutable pattern: `{shown}` is not matched"),
                self.label(pat.span, format!("`{shown}` not covered")),
            )
            .with_help("a `let` or `for` pattern must match every value; use `match` to handle the other cases");
            self.report(d);
        }
    }

    fn lower_pattern(&self, pat: &Pattern, ty: &Type, space: &Space<'_>) -> Pat {
        let ctor_args = |c: Ctor, subs: &[&Pattern]| -> Pat {
            let tys = space.field_types(ty, &c);
            let args = subs
                .iter()
                .enumerate()
                .map(|(i, p)| self.lower_pattern(p, tys.get(i).unwrap_or(&Type::Error), space))
                .collect();
            Pat::Ctor(c, args)
        };
        match &pat.kind {
            PatternKind::Wildcard | PatternKind::Error => Pat::Wild,
            PatternKind::Binding(_) => match self.mres.res.get(&pat.id) {
                Some(Res::Variant { index, .. }) => Pat::Ctor(Ctor::Variant(*index), Vec::new()),
                _ => Pat::Wild,
            },
            PatternKind::Lit(lit) => match lit {
                Literal::Bool(true) => Pat::Ctor(Ctor::True, Vec::new()),
                Literal::Bool(false) => Pat::Ctor(Ctor::False, Vec::new()),
                Literal::Unit => Pat::Ctor(Ctor::Unit, Vec::new()),
                Literal::Int(n) => Pat::Ctor(Ctor::Int(*n), Vec::new()),
                Literal::String(s) => Pat::Ctor(Ctor::Str(s.clone()), Vec::new()),
            },
            PatternKind::Tuple(items) => {
                let subs: Vec<&Pattern> = items.iter().collect();
                ctor_args(Ctor::Tuple(items.len()), &subs)
            }
            PatternKind::List { items, rest } => {
                let elem = match ty {
                    Type::List(e) => (**e).clone(),
                    _ => Type::Error,
                };
                let mut tail = if rest.is_some() {
                    Pat::Wild
                } else {
                    Pat::Ctor(Ctor::Nil, Vec::new())
                };
                for item in items.iter().rev() {
                    tail = Pat::Ctor(
                        Ctor::Cons,
                        vec![self.lower_pattern(item, &elem, space), tail],
                    );
                }
                tail
            }
            PatternKind::None => Pat::Ctor(Ctor::None, Vec::new()),
            PatternKind::Some(inner) => ctor_args(Ctor::Some, &[inner]),
            PatternKind::Path(_) => match self.mres.res.get(&pat.id) {
                Some(Res::Variant { index, .. }) => Pat::Ctor(Ctor::Variant(*index), Vec::new()),
                _ => Pat::Wild,
            },
            PatternKind::Variant { args, .. } => match self.mres.res.get(&pat.id) {
                Some(Res::Variant { index, .. }) => {
                    let subs: Vec<&Pattern> = args.iter().collect();
                    ctor_args(Ctor::Variant(*index), &subs)
                }
                _ => Pat::Wild,
            },
            PatternKind::Struct { fields, .. } => {
                let (ctor, names): (Ctor, Vec<String>) = match (self.mres.res.get(&pat.id), ty) {
                    (Some(Res::Item(ItemDef::Struct(id))), _) => (
                        Ctor::Struct,
                        self.sigs.structs[id.0 as usize]
                            .fields
                            .iter()
                            .map(|f| f.name.clone())
                            .collect(),
                    ),
                    (Some(Res::Variant { enum_id, index }), _) => (
                        Ctor::Variant(*index),
                        self.sigs.enums[enum_id.0 as usize].variants[*index as usize]
                            .fields
                            .iter()
                            .map(|f| f.name.clone())
                            .collect(),
                    ),
                    _ => return Pat::Wild,
                };
                let tys = space.field_types(ty, &ctor);
                let args = names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| match fields.iter().find(|f| f.name.name == *n) {
                        Some(f) => self.lower_pattern(
                            &f.pattern,
                            tys.get(i).unwrap_or(&Type::Error),
                            space,
                        ),
                        None => Pat::Wild,
                    })
                    .collect();
                Pat::Ctor(ctor, args)
            }
        }
    }
}
