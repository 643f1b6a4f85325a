//! The resolver's walk over one module.
//!
//! Takes the [`DefTable`] and one parsed module; produces that module's
//! [`ModuleResolution`] and pushes diagnostics for unknown names (E0301),
//! names bound twice in one pattern (E0302), `self`/`sender`/`input` outside
//! a method (E0304), assignment to an immutable binding (E0305), unknown
//! types (E0306) and unknown variants (E0307).

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::resolve::defs::{
    DefTable, EnumId, ImportTarget, ItemDef, ModuleIdx, ObjectDefId, VariantShape,
};
use crate::resolve::prelude::BUILTIN_TYPES;
use crate::resolve::suggest::closest;
use crate::resolve::{Binder, BinderKind, ModuleResolution, Res};
use crate::syntax::ast::*;
use crate::syntax::span::{FileId, Span};

/// Whether the code being resolved runs as an object's `init` or method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MemberContext {
    Outside,
    InsideMethod,
}

pub(super) struct Walker<'a> {
    pub(super) defs: &'a DefTable,
    pub(super) module: ModuleIdx,
    pub(super) file: FileId,
    pub(super) scopes: super::scopes::Scopes,
    pub(super) generics: Vec<String>,
    pub(super) object: Option<ObjectDefId>,
    pub(super) context: MemberContext,
    pub(super) out: ModuleResolution,
    pub(super) diags: &'a mut Vec<Diagnostic>,
}

pub fn resolve_module(
    defs: &DefTable,
    module: ModuleIdx,
    ast: &Module,
    diags: &mut Vec<Diagnostic>,
) -> ModuleResolution {
    let mut walker = Walker {
        defs,
        module,
        file: ast.file,
        scopes: super::scopes::Scopes::default(),
        generics: Vec::new(),
        object: None,
        context: MemberContext::Outside,
        out: ModuleResolution::default(),
        diags,
    };
    let mut object_index = defs
        .objects
        .iter()
        .enumerate()
        .filter(|(_, o)| o.loc.module == module)
        .map(|(i, _)| ObjectDefId(i as u32));
    for item in &ast.items {
        match &item.kind {
            ItemKind::Import(_) | ItemKind::Error => {}
            ItemKind::Struct(s) => {
                walker.generics = names(&s.generics);
                for f in &s.fields {
                    walker.ty(&f.ty);
                }
            }
            ItemKind::Enum(e) => {
                walker.generics = names(&e.generics);
                for v in &e.variants {
                    match &v.fields {
                        VariantFields::Unit => {}
                        VariantFields::Tuple(tys) => tys.iter().for_each(|t| walker.ty(t)),
                        VariantFields::Struct(fs) => fs.iter().for_each(|f| walker.ty(&f.ty)),
                    }
                }
            }
            ItemKind::Fn(f) => {
                walker.object = None;
                walker.context = MemberContext::Outside;
                walker.function(f);
            }
            ItemKind::Object(o) => {
                // Objects are numbered in source order, so the n-th object
                // item of this module is the n-th object id of this module.
                let id = object_index.next();
                walker.generics.clear();
                for member in &o.members {
                    match member {
                        ObjectMember::State(field) => {
                            walker.object = None;
                            walker.context = MemberContext::Outside;
                            walker.ty(&field.ty);
                            walker.expr(&field.init);
                        }
                        ObjectMember::Init(init) => {
                            walker.object = id;
                            walker.context = MemberContext::InsideMethod;
                            walker.scopes.push(Vec::new());
                            for p in &init.params {
                                walker.param(p);
                            }
                            walker.block(&init.body);
                            walker.scopes.pop();
                        }
                        ObjectMember::Method(m) => {
                            walker.object = id;
                            walker.context = MemberContext::InsideMethod;
                            walker.function(m);
                        }
                        ObjectMember::Error(_) => {}
                    }
                }
                walker.object = None;
                walker.context = MemberContext::Outside;
            }
        }
    }
    walker.out
}

fn names(idents: &[Ident]) -> Vec<String> {
    idents.iter().map(|i| i.name.clone()).collect()
}

impl Walker<'_> {
    pub(super) fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// `x = 5` with no `x` in scope: the generic "declare it with `let`" help of E0301 would
    /// lead to E0305 (a `let` cannot be assigned), so it says `var` instead.
    fn assigned_unknown_help(&mut self, target: &Expr, before: usize) {
        let ExprKind::Path(path) = &target.kind else {
            return;
        };
        let [ident] = path.segments.as_slice() else {
            return;
        };
        for d in &mut self.diags[before..] {
            let generic = d
                .help
                .as_deref()
                .is_some_and(|h| h.starts_with("declare `"));
            if d.code == Code::E0301 && d.primary.span == ident.span && generic {
                d.help = Some(format!(
                    "declare it first with `var {} = ...` (`var`, since it is assigned later), or check the spelling",
                    ident.name
                ));
            }
        }
    }

    fn function(&mut self, f: &FnDef) {
        self.generics = names(&f.generics);
        self.scopes.push(Vec::new());
        for p in &f.params {
            self.param(p);
        }
        if let Some(ret) = &f.ret {
            self.ty(ret);
        }
        self.block(&f.body);
        self.scopes.pop();
    }

    fn param(&mut self, p: &Param) {
        self.ty(&p.ty);
        let mut seen = Vec::new();
        for scope in self.scopes.iter() {
            seen.extend(
                scope
                    .iter()
                    .map(|(n, id)| (n.clone(), self.binder_span(*id))),
            );
        }
        self.declare(
            &p.name,
            p.id,
            Mutability::Immutable,
            BinderKind::Param,
            &mut seen,
        );
    }

    fn binder_span(&self, id: NodeId) -> Span {
        self.out
            .binders
            .get(&id)
            .map(|b| b.span)
            .unwrap_or_default()
    }

    /// Declares a local in the innermost scope; `seen` holds the names bound
    /// so far by the same pattern or parameter list (a repeat is an error).
    fn declare(
        &mut self,
        name: &Ident,
        id: NodeId,
        mutability: Mutability,
        kind: BinderKind,
        seen: &mut Vec<(String, Span)>,
    ) {
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name.name) {
            let d = Diagnostic::new(
                Code::E0302,
                format!("`{}` is bound more than once here", name.name),
                Label::new(self.file, name.span, "bound again here"),
            )
            .with_secondary(Label::new(self.file, *first, "first bound here"))
            .with_help(format!("rename one of the two `{}`", name.name));
            self.error(d);
            return;
        }
        seen.push((name.name.clone(), name.span));
        self.out.binders.insert(
            id,
            Binder {
                name: name.name.clone(),
                span: name.span,
                mutability,
                kind,
            },
        );
        self.scopes.bind(name.name.clone(), id);
    }

    // ---- types ----------------------------------------------------------

    fn ty(&mut self, ty: &Type) {
        match &ty.kind {
            TypeKind::Named { path, args } => {
                for a in args {
                    self.ty(a);
                }
                let res = match path.segments.as_slice() {
                    [name] => {
                        if let Some(i) = self.generics.iter().position(|g| *g == name.name) {
                            Some(Res::Generic(i as u32))
                        } else if let Some((n, _)) =
                            BUILTIN_TYPES.iter().find(|(n, _)| *n == name.name)
                        {
                            Some(Res::BuiltinType(n))
                        } else {
                            self.lookup_item(&name.name)
                                .filter(|d| !matches!(d, ItemDef::Fn(_)))
                                .map(Res::Item)
                        }
                    }
                    [module, name] => match self.lookup_import(&module.name) {
                        Some(ImportTarget::Module(idx)) => self.defs.modules[idx.0 as usize]
                            .items
                            .get(&name.name)
                            .filter(|d| !matches!(d, ItemDef::Fn(_)))
                            .map(|d| Res::Item(*d)),
                        _ => None,
                    },
                    _ => None,
                };
                match res {
                    Some(res) => {
                        self.out.res.insert(ty.id, res);
                    }
                    None => {
                        let name = path
                            .segments
                            .last()
                            .map(|s| s.name.clone())
                            .unwrap_or_default();
                        let candidates = self.type_candidates();
                        let mut d = Diagnostic::new(
                            Code::E0306,
                            format!("cannot find type `{name}`"),
                            Label::new(self.file, path.span, "unknown type"),
                        );
                        d = match closest(&name, candidates.iter().map(String::as_str)) {
                            Some(s) => d.with_help(format!("did you mean `{s}`?")),
                            None => d.with_help(format!(
                                "declare it (`struct {name} {{ ... }}`) or use a built-in type such as `Int` or `List[T]`"
                            )),
                        };
                        self.error(d);
                    }
                }
            }
            TypeKind::Tuple(items) => items.iter().for_each(|t| self.ty(t)),
            TypeKind::Fn { params, ret, .. } => {
                params.iter().for_each(|t| self.ty(t));
                self.ty(ret);
            }
            TypeKind::Error => {}
        }
    }

    // ---- statements and expressions ------------------------------------

    fn block(&mut self, block: &Block) {
        self.scopes.push(Vec::new());
        for stmt in &block.stmts {
            self.stmt(stmt);
        }
        if let Some(tail) = &block.tail {
            self.expr(tail);
        }
        self.scopes.pop();
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match &stmt.kind {
            StmtKind::Let {
                mutability,
                pattern,
                ty,
                init,
            } => {
                self.expr(init);
                if let Some(ty) = ty {
                    self.ty(ty);
                }
                self.pattern(pattern, *mutability, BinderKind::Let, &mut Vec::new());
            }
            StmtKind::Assign { target, value, .. } => {
                let before = self.diags.len();
                self.expr(target);
                self.assigned_unknown_help(target, before);
                self.expr(value);
                self.check_assignable(target);
            }
            StmtKind::While { cond, body } => {
                self.expr(cond);
                self.block(body);
            }
            StmtKind::For {
                pattern,
                iter,
                body,
            } => {
                self.expr(iter);
                self.scopes.push(Vec::new());
                self.pattern(
                    pattern,
                    Mutability::Immutable,
                    BinderKind::Pattern,
                    &mut Vec::new(),
                );
                self.block(body);
                self.scopes.pop();
            }
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Error => {}
        }
    }

    /// E0305: the root of an assignment target must be a `var` or a state field.
    fn check_assignable(&mut self, target: &Expr) {
        let mut root = target;
        while let ExprKind::Field { base, .. }
        | ExprKind::Index { base, .. }
        | ExprKind::TupleIndex { base, .. } = &root.kind
        {
            root = base;
        }
        let ExprKind::Path(path) = &root.kind else {
            return;
        };
        let name = path
            .segments
            .last()
            .map(|s| s.name.clone())
            .unwrap_or_default();
        match self.out.res.get(&root.id).cloned() {
            Some(Res::Local(binder)) => {
                let Some(b) = self.out.binders.get(&binder).cloned() else {
                    return;
                };
                if b.mutability == Mutability::Mutable {
                    return;
                }
                let (why, help) = match b.kind {
                    BinderKind::Param => (
                        "parameters cannot be assigned to",
                        format!("copy it into a mutable local first: `var {name} = {name}`"),
                    ),
                    BinderKind::Let => (
                        "it was declared with `let`",
                        format!("declare it with `var` to make it mutable: `var {name} = ...`"),
                    ),
                    BinderKind::ClosureParam | BinderKind::Pattern => (
                        "pattern bindings cannot be assigned to",
                        format!("copy it into a mutable local first: `var {name} = {name}`"),
                    ),
                };
                let d = Diagnostic::new(
                    Code::E0305,
                    format!("cannot assign twice to immutable `{name}`"),
                    Label::new(
                        self.file,
                        root.span,
                        format!("`{name}` is immutable: {why}"),
                    ),
                )
                .with_secondary(Label::new(self.file, b.span, "declared here"))
                .with_help(help);
                self.error(d);
            }
            Some(Res::Item(_))
            | Some(Res::Variant { .. })
            | Some(Res::Builtin(_))
            | Some(Res::Module(_)) => {
                let d = Diagnostic::new(
                    Code::E0305,
                    format!("cannot assign to `{name}`: it is not a variable"),
                    Label::new(self.file, root.span, "not a variable"),
                )
                .with_help(format!(
                    "assign to a local declared with `var`, or a state field, not to `{name}`"
                ));
                self.error(d);
            }
            _ => {}
        }
    }

    fn expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Lit(_) | ExprKind::None | ExprKind::Abort | ExprKind::Reject => {}
            ExprKind::Break | ExprKind::Continue | ExprKind::Error => {}
            ExprKind::Path(path) => {
                if let Some(res) = self.value_path(path) {
                    self.out.res.insert(expr.id, res);
                }
            }
            ExprKind::Context(value) => {
                if self.context == MemberContext::Outside {
                    let word = match value {
                        ContextValue::SelfRef => "self",
                        ContextValue::Sender => "sender",
                        ContextValue::Input => "input",
                    };
                    let d = Diagnostic::new(
                        Code::E0304,
                        format!("`{word}` is only available inside an object's methods"),
                        Label::new(self.file, expr.span, "used outside a method"),
                    )
                    .with_help(format!(
                        "move this code into a method of an object, or pass the value in as a parameter instead of `{word}`"
                    ));
                    self.error(d);
                }
            }
            ExprKind::Some(e)
            | ExprKind::Destroy(e)
            | ExprKind::Try(e)
            | ExprKind::Teleport(e)
            | ExprKind::Fetch(e)
            | ExprKind::Freeze(e)
            | ExprKind::Post(e)
            | ExprKind::Require(e) => self.expr(e),
            ExprKind::Call { callee, args } => {
                self.expr(callee);
                args.iter().for_each(|a| self.expr(a));
            }
            ExprKind::MethodCall {
                receiver,
                method,
                args,
            } => {
                let module = match &receiver.kind {
                    ExprKind::Path(p) if p.segments.len() == 1 => {
                        let name = &p.segments[0].name;
                        let shadowed = self.lookup_local(name).is_some()
                            || (self.context == MemberContext::InsideMethod
                                && self.lookup_field(name).is_some())
                            || self.lookup_item(name).is_some();
                        if shadowed {
                            None
                        } else {
                            self.lookup_import(name)
                        }
                    }
                    _ => None,
                };
                match module {
                    Some(target) => {
                        self.out
                            .res
                            .insert(receiver.id, Res::Module(target.clone()));
                        if let Some(res) = self.module_member(&target, method) {
                            self.out.module_calls.insert(expr.id, res);
                        }
                    }
                    None => self.expr(receiver),
                }
                args.iter().for_each(|a| self.expr(a));
            }
            ExprKind::Field { base, .. } | ExprKind::TupleIndex { base, .. } => self.expr(base),
            ExprKind::Index { base, index } => {
                self.expr(base);
                self.expr(index);
            }
            ExprKind::Unary { operand, .. } => self.expr(operand),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::Range { start, end, .. } => {
                self.expr(start);
                self.expr(end);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().for_each(|e| self.expr(e))
            }
            ExprKind::Struct { path, fields } => {
                if let Some(res) = self.struct_path(path) {
                    self.out.res.insert(expr.id, res);
                }
                fields.iter().for_each(|f| self.expr(&f.value));
            }
            ExprKind::Block(b) | ExprKind::Unsafe(b) => self.block(b),
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                self.expr(cond);
                self.block(then_branch);
                if let Some(e) = else_branch {
                    self.expr(e);
                }
            }
            ExprKind::Match { scrutinee, arms } => {
                self.expr(scrutinee);
                for arm in arms {
                    self.scopes.push(Vec::new());
                    self.pattern(
                        &arm.pattern,
                        Mutability::Immutable,
                        BinderKind::Pattern,
                        &mut Vec::new(),
                    );
                    if let Some(g) = &arm.guard {
                        self.expr(g);
                    }
                    self.expr(&arm.body);
                    self.scopes.pop();
                }
            }
            ExprKind::Closure { params, body } => {
                self.scopes.push(Vec::new());
                let mut seen = Vec::new();
                for p in params {
                    if let Some(t) = &p.ty {
                        self.ty(t);
                    }
                    self.declare(
                        &p.name,
                        p.id,
                        Mutability::Immutable,
                        BinderKind::ClosureParam,
                        &mut seen,
                    );
                }
                self.expr(body);
                self.scopes.pop();
            }
            ExprKind::Create {
                object,
                args,
                controller,
            } => {
                let res = match object.segments.as_slice() {
                    [name] => match self.lookup_item(&name.name) {
                        Some(def) => Some(Res::Item(def)),
                        None => {
                            let candidates: Vec<String> =
                                self.defs.objects.iter().map(|o| o.name.clone()).collect();
                            self.unknown(name, "an object", candidates);
                            None
                        }
                    },
                    _ => self.value_path(object),
                };
                if let Some(res) = res {
                    self.out.res.insert(expr.id, res);
                }
                if let Some(args) = args {
                    args.iter().for_each(|a| self.expr(a));
                }
                if let Some(c) = controller {
                    self.expr(c);
                }
            }
            ExprKind::Atomic { controller, body } => {
                if let Some(c) = controller {
                    self.expr(c);
                }
                self.block(body);
            }
            ExprKind::UpdatePure {
                target,
                replacement,
            } => {
                let a = self.value_path(target);
                let b = self.value_path(replacement);
                if let (Some(a), Some(b)) = (a, b) {
                    self.out.pure_fn_pairs.insert(expr.id, (a, b));
                }
            }
            ExprKind::RegisterPure { implementation, .. } => {
                // The registered name is new (a registry entry), so only the
                // implementation is looked up.
                if let Some(res) = self.value_path(implementation) {
                    self.out.registered_impls.insert(expr.id, res);
                }
            }
            ExprKind::Move { object, machine } => {
                self.expr(object);
                self.expr(machine);
            }
            ExprKind::Transfer { object, controller } => {
                self.expr(object);
                self.expr(controller);
            }
            ExprKind::Cast { expr: inner, ty } => {
                self.expr(inner);
                self.ty(ty);
            }
            ExprKind::Return(e) => {
                if let Some(e) = e {
                    self.expr(e);
                }
            }
        }
    }

    fn pattern(
        &mut self,
        pat: &Pattern,
        mutability: Mutability,
        kind: BinderKind,
        seen: &mut Vec<(String, Span)>,
    ) {
        match &pat.kind {
            PatternKind::Wildcard
            | PatternKind::Lit(_)
            | PatternKind::None
            | PatternKind::Error => {}
            PatternKind::Binding(ident) => {
                // A capitalised name that is a unit variant matches the variant.
                if ident.name.starts_with(|c: char| c.is_ascii_uppercase()) {
                    let variants: Vec<(EnumId, u32)> = self
                        .lookup_variants(&ident.name)
                        .into_iter()
                        .filter(|(e, v)| {
                            self.defs.enum_decl(*e).variants[*v as usize].shape
                                == VariantShape::Unit
                        })
                        .collect();
                    match variants.as_slice() {
                        [(enum_id, index)] => {
                            self.out.res.insert(
                                pat.id,
                                Res::Variant {
                                    enum_id: *enum_id,
                                    index: *index,
                                },
                            );
                            return;
                        }
                        [] => {}
                        _ => {
                            self.ambiguous_variant(ident, &variants);
                            return;
                        }
                    }
                }
                self.declare(ident, pat.id, mutability, kind, seen);
            }
            PatternKind::Tuple(items) => items
                .iter()
                .for_each(|p| self.pattern(p, mutability, kind, seen)),
            PatternKind::List { items, rest } => {
                items
                    .iter()
                    .for_each(|p| self.pattern(p, mutability, kind, seen));
                if let Some(ListRest {
                    binding: Some(name),
                    ..
                }) = rest
                {
                    self.declare(name, pat.id, mutability, kind, seen);
                }
            }
            PatternKind::Some(inner) => self.pattern(inner, mutability, kind, seen),
            PatternKind::Path(path) => {
                if let Some(res) = self.variant_path(path) {
                    self.out.res.insert(pat.id, res);
                }
            }
            PatternKind::Variant { path, args } => {
                if let Some(res) = self.variant_path(path) {
                    self.out.res.insert(pat.id, res);
                }
                args.iter()
                    .for_each(|p| self.pattern(p, mutability, kind, seen));
            }
            PatternKind::Struct { path, fields, .. } => {
                if let Some(res) = self.struct_path(path) {
                    self.out.res.insert(pat.id, res);
                }
                fields
                    .iter()
                    .for_each(|f| self.pattern(&f.pattern, mutability, kind, seen));
            }
        }
    }
}
