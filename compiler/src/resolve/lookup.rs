//! The resolver's lookups: what a name means at a point of the walk.
//!
//! Takes a name or path and the walker's current scopes; produces a
//! [`Res`] or reports unknown names (E0301) and unknown variants (E0307),
//! with "did you mean" suggestions.

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::resolve::Res;
use crate::resolve::defs::{EnumId, ImportTarget, ItemDef, ModuleIdx};
use crate::resolve::prelude::{ALL_BUILTINS, BUILTIN_TYPES, Builtin, STD_MODULES};
use crate::resolve::suggest::closest;
use crate::resolve::walk::{MemberContext, Walker};
use crate::syntax::ast::{Ident, NodeId, Path};

impl Walker<'_> {
    pub(super) fn lookup_local(&self, name: &str) -> Option<NodeId> {
        self.scopes.lookup(name)
    }

    pub(super) fn lookup_field(&self, name: &str) -> Option<Res> {
        let object = self.object?;
        let decl = self.defs.object(object);
        let index = decl.fields.iter().position(|f| f.name == name)?;
        Some(Res::StateField { object, index })
    }

    /// Modules whose items are visible unqualified here: this one and the
    /// program modules it imports.
    pub(super) fn visible_modules(&self) -> Vec<ModuleIdx> {
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

    pub(super) fn lookup_item(&self, name: &str) -> Option<ItemDef> {
        self.visible_modules()
            .into_iter()
            .find_map(|m| self.defs.modules[m.0 as usize].items.get(name).copied())
    }

    /// An imported module by its last path segment; the std modules
    /// without a source file (which re-export the prelude) are implicitly
    /// available by their short name, like the prelude.
    pub(super) fn lookup_import(&self, name: &str) -> Option<ImportTarget> {
        if let Some(target) = self.defs.modules[self.module.0 as usize].imports.get(name) {
            return Some(target.clone());
        }
        STD_MODULES
            .iter()
            .find(|m| m.strip_prefix("std.") == Some(name))
            .map(|m| ImportTarget::Std((*m).to_string()))
    }

    pub(super) fn lookup_variants(&self, name: &str) -> Vec<(EnumId, u32)> {
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

    pub(super) fn value_candidates(&self) -> Vec<String> {
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
        out.extend(ALL_BUILTINS.iter().map(|b| b.name().to_string()));
        out
    }

    pub(super) fn unknown(&mut self, ident: &Ident, what: &str, candidates: Vec<String>) {
        let mut d = Diagnostic::new(
            Code::E0301,
            format!("cannot find {what} `{}` in this scope", ident.name),
            Label::new(self.file, ident.span, "not found in this scope"),
        );
        let std_module = crate::resolve::stdlib::STD_SOURCES
            .iter()
            .map(|(path, _, _)| *path)
            .find(|path| path.strip_prefix("std.") == Some(ident.name.as_str()));
        d = match (
            std_module,
            closest(&ident.name, candidates.iter().map(String::as_str)),
        ) {
            (Some(path), _) => d.with_help(format!("add `import {path}` at the top of the file")),
            (None, Some(s)) => d.with_help(format!("did you mean `{s}`?")),
            (None, None) => d.with_help(format!(
                "declare `{}` first (`let {} = ...`), or check the spelling",
                ident.name, ident.name
            )),
        };
        self.error(d);
    }

    pub(super) fn ambiguous_variant(&mut self, ident: &Ident, found: &[(EnumId, u32)]) {
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
    pub(super) fn variant_of(&mut self, enum_id: EnumId, variant: &Ident) -> Option<Res> {
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
    pub(super) fn module_member(&mut self, target: &ImportTarget, name: &Ident) -> Option<Res> {
        match target {
            ImportTarget::Std(path) => {
                if let Some(b) = Builtin::prelude(&name.name) {
                    return Some(Res::Builtin(b));
                }
                let candidates: Vec<String> =
                    ALL_BUILTINS.iter().map(|b| b.name().to_string()).collect();
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

    pub(super) fn value_path(&mut self, path: &Path) -> Option<Res> {
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

    pub(super) fn qualified(&mut self, first: &Ident, second: &Ident) -> Option<Res> {
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
    pub(super) fn struct_path(&mut self, path: &Path) -> Option<Res> {
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
    pub(super) fn variant_path(&mut self, path: &Path) -> Option<Res> {
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

    pub(super) fn type_candidates(&self) -> Vec<String> {
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
}
