//! Completion from the type checker's results, and statement snippets.
//!
//! Takes the document's name, text, the cursor offset and a [`SourceLoader`]; produces the
//! completions: after `.`, the methods of the receiver's object (with their signatures),
//! the fields of a struct or reflection record, or the functions of an imported module,
//! found by checking the document with a placeholder name at the cursor (so the half-typed
//! `c.` parses) and reading the receiver's type; elsewhere the names in scope with their
//! checked types, the functions of imported modules, the keywords and the statement
//! snippets. Falls back to spelling ([`super::completions_at`]) when the receiver's type is
//! not known (the document does not parse or type-check there).

use crate::ide::analysis::{Analysis, ROOT, analyze};
use crate::ide::symbols::{self, DeclarationKind};
use crate::ide::walk::{self, Visitor};
use crate::ide::{Completion, CompletionKind, completions_at};
use crate::pipeline::SourceLoader;
use crate::resolve::{ImportTarget, Res};
use crate::syntax::ast::{Expr, ExprKind, NodeId};
use crate::typeck::{RefTarget, Type};

/// The name put at the cursor to complete after `.`.
const PLACEHOLDER: &str = "__avm_completion_here";

/// Whether the client accepts LSP snippet syntax (`${1:name}`) in completions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snippets {
    Supported,
    PlainText,
}

/// The statement snippets: label, what it is, body in LSP snippet syntax.
pub const SNIPPETS: &[(&str, &str, &str)] = &[
    (
        "fn",
        "function",
        "fn ${1:name}(${2:x}: ${3:Int}) -> ${4:Int} {\n    ${0:x}\n}",
    ),
    (
        "object",
        "object (behaviour) with a state field and a method",
        "object ${1:Name} {\n    state ${2:count}: ${3:Int} = ${4:0}\n\n    fn ${5:get}() -> ${3:Int} {\n        ${0:count}\n    }\n}",
    ),
    ("if", "if", "if ${1:condition} {\n    $0\n}"),
    (
        "ifelse",
        "if / else",
        "if ${1:condition} {\n    $2\n} else {\n    $0\n}",
    ),
    ("while", "while loop", "while ${1:condition} {\n    $0\n}"),
    ("for", "for loop", "for ${1:i} in ${2:0..n} {\n    $0\n}"),
    (
        "match",
        "match",
        "match ${1:value} {\n    ${2:some(x)} => ${3:x},\n    ${4:none} => ${0:0},\n}",
    ),
    ("atomic", "transaction", "atomic {\n    $0\n}"),
];

/// A snippet body without its placeholders: `${1:name}` becomes `name`, `$0` nothing.
pub fn plain_snippet(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(inner) = rest.strip_prefix('{') {
            let close = inner.find('}').unwrap_or(inner.len());
            let field = &inner[..close];
            out.push_str(field.split_once(':').map_or("", |(_, text)| text));
            rest = inner.get(close + 1..).unwrap_or("");
        } else {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        }
    }
    out.push_str(rest);
    out
}

/// One completion with how to insert it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub completion: Completion,
    /// The text to insert when it differs from the label.
    pub insert: Option<String>,
    /// Whether `insert` is in snippet syntax.
    pub snippet: bool,
}

fn item(label: String, kind: CompletionKind, detail: String) -> Item {
    Item {
        completion: Completion {
            label,
            kind,
            detail,
        },
        insert: None,
        snippet: false,
    }
}

/// The completions at `offset`.
pub fn completions(
    name: &str,
    text: &str,
    offset: usize,
    loader: &mut dyn SourceLoader,
    snippets: Snippets,
) -> Vec<Item> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let prefix_start = text[..offset]
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    if text[..prefix_start].ends_with('.') {
        let patched = format!("{}{PLACEHOLDER}{}", &text[..prefix_start], &text[offset..]);
        let a = analyze(name, &patched, loader);
        if let Some(items) = members(&a, prefix_start) {
            return items;
        }
        return completions_at(text, offset)
            .into_iter()
            .map(|c| item(c.label, c.kind, c.detail))
            .collect();
    }
    let a = analyze(name, text, loader);
    let mut out: Vec<Item> = completions_at(text, offset)
        .into_iter()
        .map(|c| item(c.label, c.kind, c.detail))
        .collect();
    typed_details(&a, text, &mut out);
    imported_functions(&a, &mut out);
    for (label, detail, body) in SNIPPETS {
        let (insert, snippet) = match snippets {
            Snippets::Supported => (body.to_string(), true),
            Snippets::PlainText => (plain_snippet(body), false),
        };
        out.push(Item {
            completion: Completion {
                label: (*label).to_string(),
                kind: CompletionKind::Snippet,
                detail: (*detail).to_string(),
            },
            insert: Some(insert),
            snippet,
        });
    }
    out
}

/// Finds the member access whose name starts at `at`.
struct MemberAt<'m> {
    at: usize,
    found: Option<&'m Expr>,
}

impl<'m> Visitor<'m> for MemberAt<'m> {
    fn expr(&mut self, e: &'m Expr) {
        let name = match &e.kind {
            ExprKind::Field { field, .. } => field.span,
            ExprKind::MethodCall { method, .. } => method.span,
            _ => return,
        };
        if name.start as usize == self.at {
            self.found = Some(e);
        }
    }
}

/// The members of the receiver before the `.` whose name starts at `at`.
fn members(a: &Analysis, at: usize) -> Option<Vec<Item>> {
    let (typed, module) = a.typed_root()?;
    let mut finder = MemberAt { at, found: None };
    walk::module(module, &mut finder);
    let e = finder.found?;
    let receiver: &Expr = match &e.kind {
        ExprKind::Field { base, .. } => base,
        ExprKind::MethodCall { receiver, .. } => receiver,
        _ => return None,
    };
    let defs = &typed.resolution.defs;
    let sigs = &typed.signatures;
    let member = |label: &str, kind: DeclarationKind, detail: String| {
        item(label.to_string(), CompletionKind::Declaration(kind), detail)
    };
    if let Some(Res::Module(target)) = a.res(receiver.id) {
        let ImportTarget::Module(m) = target else {
            return None;
        };
        let fns = defs
            .fns
            .iter()
            .zip(&sigs.fns)
            .filter(|(d, _)| d.loc.module == *m)
            .map(|(d, s)| member(&d.name, DeclarationKind::Function, a.fn_sig_text(s)))
            .collect();
        return Some(fns);
    }
    let items = match typed.type_of(ROOT, receiver.id)? {
        Type::Ref(RefTarget::Object(o)) => {
            let name = &defs.object(*o).name;
            sigs.objects
                .get(o.0 as usize)?
                .methods
                .iter()
                .map(|s| {
                    let detail = format!("{name}.{}", a.fn_sig_text(s));
                    member(&s.name, DeclarationKind::Method, detail)
                })
                .collect()
        }
        Type::Struct(id, args) => {
            let name = &defs.struct_decl(*id).name;
            sigs.structs
                .get(id.0 as usize)?
                .fields
                .iter()
                .map(|f| {
                    let ty = f.ty.instantiate(args).display(defs, &[]);
                    member(
                        &f.name,
                        DeclarationKind::Field,
                        format!("{name}.{}: {ty}", f.name),
                    )
                })
                .collect()
        }
        Type::Record(r) => r
            .fields()
            .into_iter()
            .map(|(f, ty)| {
                let detail = format!("{}.{f}: {}", r.name(), ty.display(defs, &[]));
                member(f, DeclarationKind::Field, detail)
            })
            .collect(),
        _ => return None,
    };
    Some(items)
}

/// Replaces the written signature of locals and parameters by their checked types.
fn typed_details(a: &Analysis, text: &str, items: &mut [Item]) {
    let Some(typed) = &a.typed else {
        return;
    };
    let Some(binders) = typed.resolution.modules.first() else {
        return;
    };
    let decls = symbols::declarations(text);
    for it in items.iter_mut() {
        let CompletionKind::Declaration(DeclarationKind::Local | DeclarationKind::Parameter) =
            it.completion.kind
        else {
            continue;
        };
        let binder: Option<NodeId> = decls
            .iter()
            .filter(|d| d.name == it.completion.label && d.scope.is_some())
            .find_map(|d| {
                binders
                    .binders
                    .iter()
                    .find(|(_, b)| b.span == d.name_span)
                    .map(|(id, _)| *id)
            });
        if let Some(ty) = binder.and_then(|id| a.type_text(id, &[])) {
            it.completion.detail = format!("{}: {ty}", it.completion.label);
        }
    }
}

/// The functions of imported user modules (visible unqualified).
fn imported_functions(a: &Analysis, items: &mut Vec<Item>) {
    let Some(typed) = &a.typed else {
        return;
    };
    let defs = &typed.resolution.defs;
    for (d, s) in defs.fns.iter().zip(&typed.signatures.fns) {
        if d.loc.module != ROOT && !items.iter().any(|i| i.completion.label == d.name) {
            items.push(item(
                d.name.clone(),
                CompletionKind::Declaration(DeclarationKind::Function),
                a.fn_sig_text(s),
            ));
        }
    }
}
