//! The declarations of a document and name lookup by spelling.
//!
//! Takes a document's text; produces every [`Declaration`] (items, object members, struct
//! fields, enum variants, parameters, `let`/`var`/`for` bindings) with the span of its name,
//! a one-line signature, its doc comment and, for locals, the span it is visible in.
//! Also finds the word under the cursor and a name's occurrences (from the lexer's tokens,
//! so comments and strings never match).

use crate::syntax::ast::*;
use crate::syntax::lexer::lex;
use crate::syntax::parse;
use crate::syntax::pretty::type_text;
use crate::syntax::source_printer::{fn_prefix, generics_text, params_text};
use crate::syntax::span::{FileId, Span};
use crate::syntax::token::Token;

/// What a declaration declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeclarationKind {
    Function,
    Struct,
    Enum,
    Object,
    Method,
    /// A struct field or an object's `state` field.
    Field,
    Variant,
    Parameter,
    Local,
    Import,
}

/// One declaration of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Declaration {
    pub name: String,
    pub kind: DeclarationKind,
    /// The span of the declared name.
    pub name_span: Span,
    /// The whole declaration (for document symbols).
    pub span: Span,
    pub signature: String,
    pub doc: Option<String>,
    /// The declaration this one belongs to (an object's members, a struct's fields, an
    /// enum's variants), by index in the list.
    pub parent: Option<usize>,
    /// Where a parameter or local is visible; `None` for the file's items and members.
    pub scope: Option<Span>,
}

/// The identifier at (or just before) `offset`, with its span.
pub fn word_at(text: &str, offset: usize) -> Option<(String, Span)> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(text.len(), |(i, _)| offset + i);
    let word = &text[start..end];
    if word.is_empty() || word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((word.to_string(), Span::new(start, end)))
}

/// The spans of the identifier tokens spelled `name`.
pub fn occurrences(text: &str, name: &str) -> Vec<Span> {
    lex(FileId(0), text)
        .tokens
        .iter()
        .filter(|(_, t, _)| matches!(t, Token::Ident(n) if *n == name))
        .map(|&(s, _, e)| Span::new(s, e))
        .collect()
}

/// The declaration `name` at `offset` means: the innermost local or parameter in scope
/// declared before `offset`, else an item or member of that name.
pub fn resolve<'d>(decls: &'d [Declaration], name: &str, offset: usize) -> Option<&'d Declaration> {
    let local = decls
        .iter()
        .filter(|d| d.name == name)
        .filter(|d| {
            d.scope
                .is_some_and(|s| d.name_span.start as usize <= offset && offset <= s.end as usize)
        })
        .max_by_key(|d| d.name_span.start);
    local.or_else(|| decls.iter().find(|d| d.name == name && d.scope.is_none()))
}

fn fn_signature(f: &FnDef) -> String {
    let ret = f
        .ret
        .as_ref()
        .map(|t| format!(" -> {}", type_text(t)))
        .unwrap_or_default();
    format!(
        "{} {}{}({}){ret}",
        fn_prefix(f.kind),
        f.name.name,
        generics_text(&f.generics),
        params_text(&f.params)
    )
}

struct Collector {
    out: Vec<Declaration>,
}

impl Collector {
    fn push(&mut self, d: Declaration) -> usize {
        self.out.push(d);
        self.out.len() - 1
    }

    fn item(&mut self, item: &Item) {
        match &item.kind {
            ItemKind::Import(i) => {
                if let Some(last) = i.path.segments.last() {
                    let path: Vec<&str> = i.path.segments.iter().map(|s| s.name.as_str()).collect();
                    self.push(decl(
                        &last.name,
                        DeclarationKind::Import,
                        last.span,
                        item.span,
                        format!("import {}", path.join(".")),
                        None,
                    ));
                }
            }
            ItemKind::Struct(s) => {
                let me = self.push(decl(
                    &s.name.name,
                    DeclarationKind::Struct,
                    s.name.span,
                    item.span,
                    format!("struct {}", s.name.name),
                    item.doc.clone(),
                ));
                for f in &s.fields {
                    let mut d = decl(
                        &f.name.name,
                        DeclarationKind::Field,
                        f.name.span,
                        f.span,
                        format!("{}.{}: {}", s.name.name, f.name.name, type_text(&f.ty)),
                        f.doc.clone(),
                    );
                    d.parent = Some(me);
                    self.push(d);
                }
            }
            ItemKind::Enum(e) => {
                let me = self.push(decl(
                    &e.name.name,
                    DeclarationKind::Enum,
                    e.name.span,
                    item.span,
                    format!("enum {}", e.name.name),
                    item.doc.clone(),
                ));
                for v in &e.variants {
                    let mut d = decl(
                        &v.name.name,
                        DeclarationKind::Variant,
                        v.name.span,
                        v.span,
                        format!("{}::{}", e.name.name, v.name.name),
                        v.doc.clone(),
                    );
                    d.parent = Some(me);
                    self.push(d);
                }
            }
            ItemKind::Object(o) => {
                let me = self.push(decl(
                    &o.name.name,
                    DeclarationKind::Object,
                    o.name.span,
                    item.span,
                    format!("object {}", o.name.name),
                    item.doc.clone(),
                ));
                for m in &o.members {
                    match m {
                        ObjectMember::State(s) => {
                            let mut d = decl(
                                &s.name.name,
                                DeclarationKind::Field,
                                s.name.span,
                                s.span,
                                format!("state {}: {}", s.name.name, type_text(&s.ty)),
                                s.doc.clone(),
                            );
                            d.parent = Some(me);
                            self.push(d);
                        }
                        ObjectMember::Init(i) => {
                            self.params(&i.params, i.span);
                            self.block(&i.body);
                        }
                        ObjectMember::Method(f) => {
                            let mut d = decl(
                                &f.name.name,
                                DeclarationKind::Method,
                                f.name.span,
                                f.span,
                                format!("{}.{}", o.name.name, fn_signature(f)),
                                f.doc.clone(),
                            );
                            d.parent = Some(me);
                            self.push(d);
                            self.params(&f.params, f.span);
                            self.block(&f.body);
                        }
                        ObjectMember::Error(_) => {}
                    }
                }
            }
            ItemKind::Fn(f) => {
                self.push(decl(
                    &f.name.name,
                    DeclarationKind::Function,
                    f.name.span,
                    item.span,
                    fn_signature(f),
                    item.doc.clone().or_else(|| f.doc.clone()),
                ));
                self.params(&f.params, f.span);
                self.block(&f.body);
            }
            ItemKind::Error => {}
        }
    }

    fn params(&mut self, ps: &[Param], scope: Span) {
        for p in ps {
            let mut d = decl(
                &p.name.name,
                DeclarationKind::Parameter,
                p.name.span,
                p.span,
                format!("{}: {}", p.name.name, type_text(&p.ty)),
                None,
            );
            d.scope = Some(scope);
            self.push(d);
        }
    }

    fn bindings(&mut self, pat: &Pattern, intro: &str, ty: Option<&Type>, scope: Span) {
        let mut names = Vec::new();
        pattern_names(pat, &mut names);
        for ident in names {
            let ty = ty
                .map(|t| format!(": {}", type_text(t)))
                .unwrap_or_default();
            let mut d = decl(
                &ident.name,
                DeclarationKind::Local,
                ident.span,
                ident.span,
                format!("{intro} {}{ty}", ident.name),
                None,
            );
            d.scope = Some(scope);
            self.push(d);
        }
    }

    fn block(&mut self, b: &Block) {
        for s in &b.stmts {
            match &s.kind {
                StmtKind::Let {
                    mutability,
                    pattern,
                    ty,
                    init,
                } => {
                    self.expr(init);
                    let scope = Span {
                        start: s.span.start,
                        end: b.span.end,
                    };
                    self.bindings(pattern, mutability.keyword(), ty.as_ref(), scope);
                }
                StmtKind::Assign { target, value, .. } => {
                    self.expr(target);
                    self.expr(value);
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
                    self.bindings(pattern, "for", None, s.span);
                    self.block(body);
                }
                StmtKind::Expr(e) => self.expr(e),
                StmtKind::Error => {}
            }
        }
        if let Some(t) = &b.tail {
            self.expr(t);
        }
    }

    /// Finds the blocks, match arms and closures inside an expression.
    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Block(b) | ExprKind::Unsafe(b) => self.block(b),
            ExprKind::Atomic { body, .. } => self.block(body),
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
                    self.bindings(&arm.pattern, "match binding", None, arm.span);
                    self.expr(&arm.body);
                }
            }
            ExprKind::Closure { params, body } => {
                for p in params {
                    let ty =
                        p.ty.as_ref()
                            .map(|t| format!(": {}", type_text(t)))
                            .unwrap_or_default();
                    let mut d = decl(
                        &p.name.name,
                        DeclarationKind::Parameter,
                        p.name.span,
                        p.span,
                        format!("{}{ty}", p.name.name),
                        None,
                    );
                    d.scope = Some(e.span);
                    self.push(d);
                }
                self.expr(body);
            }
            ExprKind::Call { callee, args } => {
                self.expr(callee);
                args.iter().for_each(|a| self.expr(a));
            }
            ExprKind::MethodCall { receiver, args, .. } => {
                self.expr(receiver);
                args.iter().for_each(|a| self.expr(a));
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::List(es) | ExprKind::Tuple(es) => es.iter().for_each(|a| self.expr(a)),
            ExprKind::Try(x) | ExprKind::Some(x) | ExprKind::Return(Some(x)) => self.expr(x),
            _ => {}
        }
    }
}

fn pattern_names<'p>(pat: &'p Pattern, out: &mut Vec<&'p Ident>) {
    match &pat.kind {
        PatternKind::Binding(i) => out.push(i),
        PatternKind::Tuple(ps) | PatternKind::Variant { args: ps, .. } => {
            ps.iter().for_each(|p| pattern_names(p, out))
        }
        PatternKind::List { items, rest } => {
            items.iter().for_each(|p| pattern_names(p, out));
            if let Some(ListRest {
                binding: Some(b), ..
            }) = rest
            {
                out.push(b);
            }
        }
        PatternKind::Some(p) => pattern_names(p, out),
        PatternKind::Struct { fields, .. } => {
            fields.iter().for_each(|f| pattern_names(&f.pattern, out))
        }
        _ => {}
    }
}

fn decl(
    name: &str,
    kind: DeclarationKind,
    name_span: Span,
    span: Span,
    signature: String,
    doc: Option<String>,
) -> Declaration {
    Declaration {
        name: name.to_string(),
        kind,
        name_span,
        span,
        signature,
        doc,
        parent: None,
        scope: None,
    }
}

/// Every declaration of the document (what parses of it; syntax errors are skipped).
pub fn declarations(text: &str) -> Vec<Declaration> {
    let parsed = parse(FileId(0), text);
    let mut c = Collector { out: Vec::new() };
    if let Some(m) = &parsed.module {
        for item in &m.items {
            c.item(item);
        }
    }
    c.out
}
