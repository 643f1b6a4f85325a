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
use crate::resolve::prelude::{ALL_BUILTINS, BUILTIN_TYPES, Builtin, STD_MODULES};
use crate::resolve::suggest::closest;
use crate::resolve::{Binder, BinderKind, ModuleResolution, Res};
use crate::syntax::ast::*;
use crate::syntax::span::{FileId, Span};

/// Whether the code being resolved runs as an object's `init` or method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MemberContext {
    Outside,
    InsideMethod,
}

struct Walker<'a> {
    defs: &'a DefTable,
    module: ModuleIdx,
    file: FileId,
    scopes: Vec<Vec<(String, NodeId)>>,
    generics: Vec<String>,
    object: Option<ObjectDefId>,
    context: MemberContext,
    out: ModuleResolution,
    diags: &'a mut Vec<Diagnostic>,
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
        scopes: Vec::new(),
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
    fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
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
        for scope in &self.scopes {
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
        if let Some(scope) = self.scopes.last_mut() {
            scope.push((name.name.clone(), id));
        }
    }

    // ---- lookups -------------------------------------------------------

    fn lookup_local(&self, name: &str) -> Option<NodeId> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|s| s.iter().rev())
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }

    fn lookup_field(&self, name: &str) -> Option<Res> {
        let object = self.object?;
        let decl = self.defs.object(object);
        let index = decl.fields.iter().position(|f| f.name == name)?;
        Some(Res::StateField { object, index })
    }

    /// Modules whose items are visible unqualified here: this one and the
    /// program modules it imports.
    fn visible_modules(&self) -> Vec<ModuleIdx> {
        let mut out = vec![self.module];
        for target in self.defs.modules[self.module.0 as usize].imports.values() {
            if let ImportTarget::Module(idx) = target
                && !out.contains(idx)
            {
                out.push(*idx);
            }
        }
        out
    }

    fn lookup_item(&self, name: &str) -> Option<ItemDef> {
        self.visible_modules()
            .into_iter()
            .find_map(|m| self.defs.modules[m.0 as usize].items.get(name).copied())
    }

    /// An imported module by its last path segment; the std modules are
    /// implicitly available by their short name (`fd.solve(qs)`), like the
    /// prelude.
    fn lookup_import(&self, name: &str) -> Option<ImportTarget> {
        if let Some(target) = self.defs.modules[self.module.0 as usize].imports.get(name) {
            return Some(target.clone());
        }
        STD_MODULES
            .iter()
            .find(|m| m.strip_prefix("std.") == Some(name))
            .map(|m| ImportTarget::Std((*m).to_string()))
    }

    fn lookup_variants(&self, name: &str) -> Vec<(EnumId, u32)> {
        let visible = self.visible_modules();
        let mut out = Vec::new();
        for (i, e) in self.defs.enums.iter().enumerate() {
            if !visible.contains(&e.loc.module) {
                continue;
            }
            if let Some(v) = e.variants.iter().position(|v| v.name == name) {
                out.push((EnumId(i as u32), v as u32));
            }
        }
        out
    }

    fn value_candidates(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .scopes
            .iter()
            .flat_map(|s| s.iter().map(|(n, _)| n.clone()))
            .collect();
        if let Some(object) = self.object {
            out.extend(
                self.defs
                    .object(object)
                    .fields
                    .iter()
                    .map(|f| f.name.clone()),
            );
        }
        for m in self.visible_modules() {
            for (name, def) in &self.defs.modules[m.0 as usize].items {
                if matches!(def, ItemDef::Fn(_)) {
                    out.push(name.clone());
                }
            }
        }
        for e in &self.defs.enums {
            out.extend(e.variants.iter().map(|v| v.name.clone()));
        }
        out.extend(
            ALL_BUILTINS
                .iter()
                .filter(|b| b.module().is_empty())
                .map(|b| b.name().to_string()),
        );
        out
    }

    fn unknown(&mut self, ident: &Ident, what: &str, candidates: Vec<String>) {
        let mut d = Diagnostic::new(
            Code::E0301,
            format!("cannot find {what} `{}` in this scope", ident.name),
            Label::new(self.file, ident.span, "not found in this scope"),
        );
        d = match closest(&ident.name, candidates.iter().map(String::as_str)) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!(
                "declare `{}` first (`let {} = ...`), or check the spelling",
                ident.name, ident.name
            )),
        };
        self.error(d);
    }

    fn ambiguous_variant(&mut self, ident: &Ident, found: &[(EnumId, u32)]) {
        let enums: Vec<String> = found
            .iter()
            .map(|(e, _)| format!("`{}::{}`", self.defs.enum_decl(*e).name, ident.name))
            .collect();
        let d = Diagnostic::new(
            Code::E0301,
            format!("`{}` is a variant of several enums", ident.name),
            Label::new(self.file, ident.span, "ambiguous variant"),
        )
        .with_help(format!(
            "write the enum's name in front: {}",
            enums.join(" or ")
        ));
        self.error(d);
    }

    /// `Enum::Variant`: the variant, or an E0307 diagnostic.
    fn variant_of(&mut self, enum_id: EnumId, variant: &Ident) -> Option<Res> {
        let decl = self.defs.enum_decl(enum_id);
        if let Some(index) = decl.variants.iter().position(|v| v.name == variant.name) {
            return Some(Res::Variant {
                enum_id,
                index: index as u32,
            });
        }
        let mut d = Diagnostic::new(
            Code::E0307,
            format!("enum `{}` has no variant `{}`", decl.name, variant.name),
            Label::new(self.file, variant.span, "no such variant"),
        )
        .with_secondary(Label::new(
            decl.file,
            decl.name_span,
            "the enum is declared here",
        ));
        let names: Vec<&str> = decl.variants.iter().map(|v| v.name.as_str()).collect();
        d = match closest(&variant.name, names.iter().copied()) {
            Some(s) => d.with_help(format!("did you mean `{}::{s}`?", decl.name)),
            None => d.with_help(format!(
                "the variants of `{}` are: {}",
                decl.name,
                names.join(", ")
            )),
        };
        self.error(d);
        None
    }

    /// `module::name`: an item of an imported module.
    fn module_member(&mut self, target: &ImportTarget, name: &Ident) -> Option<Res> {
        match target {
            ImportTarget::Std(path) => {
                if let Some(b) =
                    Builtin::in_module(path, &name.name).or_else(|| Builtin::prelude(&name.name))
                {
                    return Some(Res::Builtin(b));
                }
                let candidates: Vec<String> = ALL_BUILTINS
                    .iter()
                    .filter(|b| b.module() == path || b.module().is_empty())
                    .map(|b| b.name().to_string())
                    .collect();
                self.unknown(name, &format!("function in `{path}`"), candidates);
                None
            }
            ImportTarget::Module(idx) => {
                let scope = &self.defs.modules[idx.0 as usize];
                if let Some(def) = scope.items.get(&name.name) {
                    return Some(Res::Item(*def));
                }
                let candidates: Vec<String> = scope.items.keys().cloned().collect();
                self.unknown(name, "item in that module", candidates);
                None
            }
        }
    }

    fn value_path(&mut self, path: &Path) -> Option<Res> {
        match path.segments.as_slice() {
            [name] => {
                if let Some(id) = self.lookup_local(&name.name) {
                    return Some(Res::Local(id));
                }
                if self.context == MemberContext::InsideMethod
                    && let Some(res) = self.lookup_field(&name.name)
                {
                    return Some(res);
                }
                if let Some(def) = self.lookup_item(&name.name) {
                    return Some(Res::Item(def));
                }
                let variants = self.lookup_variants(&name.name);
                match variants.as_slice() {
                    [(enum_id, index)] => {
                        return Some(Res::Variant {
                            enum_id: *enum_id,
                            index: *index,
                        });
                    }
                    [] => {}
                    _ => {
                        self.ambiguous_variant(name, &variants);
                        return None;
                    }
                }
                if let Some(target) = self.lookup_import(&name.name) {
                    return Some(Res::Module(target));
                }
                if let Some(b) = Builtin::prelude(&name.name) {
                    return Some(Res::Builtin(b));
                }
                let candidates = self.value_candidates();
                let what = if self.object.is_some() {
                    "a variable, state field or function"
                } else {
                    "a variable or function"
                };
                self.unknown(name, what, candidates);
                None
            }
            [first, second] => self.qualified(first, second),
            _ => {
                let d = Diagnostic::new(
                    Code::E0301,
                    "paths have at most two segments",
                    Label::new(self.file, path.span, "too many `::` segments"),
                )
                .with_help("write `Enum::Variant` or `module::item`");
                self.error(d);
                None
            }
        }
    }

    fn qualified(&mut self, first: &Ident, second: &Ident) -> Option<Res> {
        if let Some(ItemDef::Enum(e)) = self.lookup_item(&first.name) {
            return self.variant_of(e, second);
        }
        if let Some(target) = self.lookup_import(&first.name) {
            return self.module_member(&target, second);
        }
        let mut candidates: Vec<String> = Vec::new();
        for m in self.visible_modules() {
            for (name, def) in &self.defs.modules[m.0 as usize].items {
                if matches!(def, ItemDef::Enum(_)) {
                    candidates.push(name.clone());
                }
            }
        }
        candidates.extend(
            self.defs.modules[self.module.0 as usize]
                .imports
                .keys()
                .cloned(),
        );
        self.unknown(first, "an enum or module", candidates);
        None
    }

    /// The path of a struct literal or struct pattern: a struct or a
    /// struct-shaped variant.
    fn struct_path(&mut self, path: &Path) -> Option<Res> {
        match path.segments.as_slice() {
            [name] => {
                if let Some(def @ ItemDef::Struct(_)) = self.lookup_item(&name.name) {
                    return Some(Res::Item(def));
                }
                let variants = self.lookup_variants(&name.name);
                match variants.as_slice() {
                    [(enum_id, index)] => Some(Res::Variant {
                        enum_id: *enum_id,
                        index: *index,
                    }),
                    [] => {
                        let candidates = self.type_candidates();
                        self.unknown(name, "a struct", candidates);
                        None
                    }
                    _ => {
                        self.ambiguous_variant(name, &variants);
                        None
                    }
                }
            }
            _ => self.value_path(path),
        }
    }

    /// The path of a variant pattern (`Sunk(n)`, `Shot::Sunk(n)`, `Cell::Empty`).
    fn variant_path(&mut self, path: &Path) -> Option<Res> {
        match path.segments.as_slice() {
            [name] => {
                let variants = self.lookup_variants(&name.name);
                match variants.as_slice() {
                    [(enum_id, index)] => Some(Res::Variant {
                        enum_id: *enum_id,
                        index: *index,
                    }),
                    [] => {
                        let candidates: Vec<String> = self
                            .defs
                            .enums
                            .iter()
                            .flat_map(|e| e.variants.iter().map(|v| v.name.clone()))
                            .collect();
                        self.unknown(name, "a variant", candidates);
                        None
                    }
                    _ => {
                        self.ambiguous_variant(name, &variants);
                        None
                    }
                }
            }
            _ => self.value_path(path),
        }
    }

    fn type_candidates(&self) -> Vec<String> {
        let mut out: Vec<String> = self.generics.clone();
        out.extend(BUILTIN_TYPES.iter().map(|(n, _)| n.to_string()));
        for m in self.visible_modules() {
            for (name, def) in &self.defs.modules[m.0 as usize].items {
                if !matches!(def, ItemDef::Fn(_)) {
                    out.push(name.clone());
                }
            }
        }
        out
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
                self.expr(target);
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
