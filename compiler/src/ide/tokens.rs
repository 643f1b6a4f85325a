//! Semantic tokens for the whole document.
//!
//! Takes an [`Analysis`] and the document's text; produces one [`SemanticToken`] per
//! keyword, name, string, number and comment, in source order and one line each, classified
//! like the tree-sitter highlight names of `editors/tree-sitter-avm/queries/highlights.scm`:
//! keywords, types (structs, enums, objects, built-in types, type parameters), functions,
//! methods, parameters, variables, fields (state fields too), enum variants, modules,
//! strings, numbers and comments (doc comments too). Names are classified by what name
//! resolution says they refer to; when the document does not parse, by the spelling of its
//! declarations.

use std::collections::HashMap;

use logos::Logos;

use crate::ide::analysis::Analysis;
use crate::ide::index::LineIndex;
use crate::ide::symbols::{DeclarationKind, declarations};
use crate::ide::walk::{self, Visitor};
use crate::resolve::{BinderKind, ItemDef, Res};
use crate::syntax::ast::*;
use crate::syntax::span::Span;
use crate::syntax::token::{KEYWORDS, Token};

/// What a semantic token is; the order is the legend's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Keyword,
    Type,
    Function,
    Method,
    Parameter,
    Variable,
    Property,
    EnumMember,
    String,
    Number,
    Comment,
    Namespace,
}

impl TokenKind {
    /// Every kind in legend order.
    pub const ALL: [TokenKind; 12] = [
        TokenKind::Keyword,
        TokenKind::Type,
        TokenKind::Function,
        TokenKind::Method,
        TokenKind::Parameter,
        TokenKind::Variable,
        TokenKind::Property,
        TokenKind::EnumMember,
        TokenKind::String,
        TokenKind::Number,
        TokenKind::Comment,
        TokenKind::Namespace,
    ];

    /// The LSP standard token type name.
    pub fn lsp_name(self) -> &'static str {
        match self {
            TokenKind::Keyword => "keyword",
            TokenKind::Type => "type",
            TokenKind::Function => "function",
            TokenKind::Method => "method",
            TokenKind::Parameter => "parameter",
            TokenKind::Variable => "variable",
            TokenKind::Property => "property",
            TokenKind::EnumMember => "enumMember",
            TokenKind::String => "string",
            TokenKind::Number => "number",
            TokenKind::Comment => "comment",
            TokenKind::Namespace => "namespace",
        }
    }

    /// The index in [`TokenKind::ALL`].
    pub fn index(self) -> u32 {
        TokenKind::ALL.iter().position(|k| *k == self).unwrap_or(0) as u32
    }
}

/// One token: a byte range on one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SemanticToken {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

/// Names classified from the syntax tree and name resolution, by start offset.
struct Names<'a> {
    a: &'a Analysis,
    kinds: HashMap<u32, TokenKind>,
}

impl Names<'_> {
    fn put(&mut self, span: Span, kind: TokenKind) {
        self.kinds.insert(span.start, kind);
    }

    /// A path whose last segment is `last` and whose other segments are qualifiers.
    fn path(&mut self, p: &Path, last: TokenKind) {
        let n = p.segments.len();
        for (i, s) in p.segments.iter().enumerate() {
            let kind = if i + 1 == n {
                last
            } else if n == 2 && last == TokenKind::EnumMember {
                TokenKind::Type
            } else {
                TokenKind::Namespace
            };
            self.put(s.span, kind);
        }
    }

    fn res_kind(&self, res: Option<&Res>) -> Option<TokenKind> {
        let typed = self.a.typed.as_ref()?;
        Some(match res? {
            Res::Local(binder) => {
                match typed.resolution.binder(crate::ide::analysis::ROOT, *binder) {
                    Some(b) if matches!(b.kind, BinderKind::Param | BinderKind::ClosureParam) => {
                        TokenKind::Parameter
                    }
                    _ => TokenKind::Variable,
                }
            }
            Res::StateField { .. } => TokenKind::Property,
            Res::Item(ItemDef::Fn(_)) | Res::Builtin(_) => TokenKind::Function,
            Res::Item(_) | Res::BuiltinType(_) | Res::Generic(_) => TokenKind::Type,
            Res::Variant { .. } => TokenKind::EnumMember,
            Res::Module(_) => TokenKind::Namespace,
        })
    }
}

impl<'m> Visitor<'m> for Names<'_> {
    fn item(&mut self, item: &'m Item) {
        match &item.kind {
            ItemKind::Import(i) => self.path(&i.path, TokenKind::Namespace),
            ItemKind::Struct(s) => {
                self.put(s.name.span, TokenKind::Type);
                s.generics
                    .iter()
                    .for_each(|g| self.put(g.span, TokenKind::Type));
                for f in &s.fields {
                    self.put(f.name.span, TokenKind::Property);
                }
            }
            ItemKind::Enum(e) => {
                self.put(e.name.span, TokenKind::Type);
                e.generics
                    .iter()
                    .for_each(|g| self.put(g.span, TokenKind::Type));
                for v in &e.variants {
                    self.put(v.name.span, TokenKind::EnumMember);
                    if let VariantFields::Struct(fs) = &v.fields {
                        fs.iter()
                            .for_each(|f| self.put(f.name.span, TokenKind::Property));
                    }
                }
            }
            ItemKind::Object(o) => self.put(o.name.span, TokenKind::Type),
            ItemKind::Fn(_) | ItemKind::Error => {}
        }
    }

    fn function(&mut self, f: &'m FnDef, object: Option<&'m ObjectDef>) {
        let kind = match object {
            Some(_) => TokenKind::Method,
            None => TokenKind::Function,
        };
        self.put(f.name.span, kind);
        f.generics
            .iter()
            .for_each(|g| self.put(g.span, TokenKind::Type));
    }

    fn param(&mut self, p: &'m Param) {
        self.put(p.name.span, TokenKind::Parameter);
    }

    fn closure_param(&mut self, p: &'m ClosureParam) {
        self.put(p.name.span, TokenKind::Parameter);
    }

    fn state(&mut self, s: &'m StateField, _object: &'m ObjectDef) {
        self.put(s.name.span, TokenKind::Property);
    }

    fn expr(&mut self, e: &'m Expr) {
        match &e.kind {
            ExprKind::Path(p) => {
                let kind = self
                    .res_kind(self.a.res(e.id))
                    .unwrap_or(TokenKind::Variable);
                self.path(p, kind);
            }
            ExprKind::MethodCall { method, .. } => self.put(method.span, TokenKind::Method),
            ExprKind::Field { field, .. } => self.put(field.span, TokenKind::Property),
            ExprKind::Struct { path, fields } => {
                self.path(path, TokenKind::Type);
                fields
                    .iter()
                    .for_each(|f| self.put(f.name.span, TokenKind::Property));
            }
            ExprKind::Create { object, .. } => self.path(object, TokenKind::Type),
            ExprKind::UpdatePure {
                target,
                replacement,
            } => {
                self.path(target, TokenKind::Function);
                self.path(replacement, TokenKind::Function);
            }
            ExprKind::RegisterPure {
                name,
                implementation,
            } => {
                self.path(name, TokenKind::Function);
                self.path(implementation, TokenKind::Function);
            }
            _ => {}
        }
    }

    fn pattern(&mut self, p: &'m Pattern) {
        match &p.kind {
            PatternKind::Binding(i) => {
                let kind = match self.a.res(p.id) {
                    Some(Res::Variant { .. }) => TokenKind::EnumMember,
                    _ => TokenKind::Variable,
                };
                self.put(i.span, kind);
            }
            PatternKind::List {
                rest: Some(ListRest {
                    binding: Some(b), ..
                }),
                ..
            } => self.put(b.span, TokenKind::Variable),
            PatternKind::Path(path) | PatternKind::Variant { path, .. } => {
                self.path(path, TokenKind::EnumMember)
            }
            PatternKind::Struct { path, fields, .. } => {
                let kind = match self.a.res(p.id) {
                    Some(Res::Variant { .. }) => TokenKind::EnumMember,
                    _ => TokenKind::Type,
                };
                self.path(path, kind);
                fields
                    .iter()
                    .for_each(|f| self.put(f.name.span, TokenKind::Property));
            }
            _ => {}
        }
    }

    fn ty(&mut self, t: &'m Type) {
        if let TypeKind::Named { path, .. } = &t.kind {
            self.path(path, TokenKind::Type);
        }
    }
}

/// The kind of a name by the spelling of the document's declarations.
fn spelled(kind: DeclarationKind) -> TokenKind {
    match kind {
        DeclarationKind::Function => TokenKind::Function,
        DeclarationKind::Struct | DeclarationKind::Enum | DeclarationKind::Object => {
            TokenKind::Type
        }
        DeclarationKind::Method => TokenKind::Method,
        DeclarationKind::Field => TokenKind::Property,
        DeclarationKind::Variant => TokenKind::EnumMember,
        DeclarationKind::Parameter => TokenKind::Parameter,
        DeclarationKind::Local => TokenKind::Variable,
        DeclarationKind::Import => TokenKind::Namespace,
    }
}

/// Splits `start..end` at line ends so that no token spans two lines.
fn push_lines(text: &str, start: usize, end: usize, kind: TokenKind, out: &mut Vec<SemanticToken>) {
    let mut from = start;
    for (i, _) in text[start..end].match_indices('\n') {
        let to = start + i;
        let to = if text[..to].ends_with('\r') {
            to - 1
        } else {
            to
        };
        if to > from {
            out.push(SemanticToken {
                start: from,
                end: to,
                kind,
            });
        }
        from = start + i + 1;
    }
    if end > from {
        out.push(SemanticToken {
            start: from,
            end,
            kind,
        });
    }
}

/// The comments (`// …` and nested `/* … */`, both skipped by the lexer) in a gap between
/// two tokens.
fn gap_comments(text: &str, from: usize, to: usize, out: &mut Vec<SemanticToken>) {
    let gap = &text.as_bytes()[..to];
    let mut i = from;
    while i < to {
        if gap[i..].starts_with(b"//") {
            let end = text[i..to].find('\n').map_or(to, |j| i + j);
            push_lines(text, i, end, TokenKind::Comment, out);
            i = end;
        } else if gap[i..].starts_with(b"/*") {
            let mut depth = 0usize;
            let mut j = i;
            while j < to {
                if gap[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if gap[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            let end = j.min(to);
            push_lines(text, i, end, TokenKind::Comment, out);
            i = end;
        } else {
            i += 1;
        }
    }
}

/// The semantic tokens of the document, in source order.
pub fn semantic_tokens(a: &Analysis, text: &str) -> Vec<SemanticToken> {
    let mut names = Names {
        a,
        kinds: HashMap::new(),
    };
    match a.root() {
        Some(m) => walk::module(m, &mut names),
        None => {
            for d in declarations(text) {
                names.put(d.name_span, spelled(d.kind));
            }
        }
    }
    let mut out = Vec::new();
    let mut last_end = 0;
    for (tok, range) in Token::lexer(text).spanned() {
        gap_comments(text, last_end, range.start, &mut out);
        last_end = range.end;
        let slice = &text[range.clone()];
        let kind = match tok {
            Ok(Token::DocComment(_)) => Some(TokenKind::Comment),
            Ok(Token::Number(_)) => Some(TokenKind::Number),
            Ok(Token::RawStr(_)) | Ok(Token::UnterminatedStr(_)) => Some(TokenKind::String),
            Ok(Token::Ident(_)) => Some(
                names
                    .kinds
                    .get(&(range.start as u32))
                    .copied()
                    .unwrap_or(TokenKind::Variable),
            ),
            Ok(_) if KEYWORDS.contains(&slice) => Some(TokenKind::Keyword),
            _ => None,
        };
        if let Some(kind) = kind {
            push_lines(text, range.start, range.end, kind, &mut out);
        }
    }
    gap_comments(text, last_end, text.len(), &mut out);
    out
}

/// The tokens as LSP's relative encoding: per token, the line delta, the start delta (UTF-16,
/// from the previous token's start when on the same line), the length (UTF-16), the kind's
/// legend index and no modifiers.
pub fn encode(text: &str, tokens: &[SemanticToken]) -> Vec<[u32; 5]> {
    let index = LineIndex::new(text);
    let mut out = Vec::with_capacity(tokens.len());
    let (mut line, mut col) = (0u32, 0u32);
    for t in tokens {
        let p = index.position(t.start);
        let length: usize = text[t.start..t.end].chars().map(char::len_utf16).sum();
        let delta_line = p.line - line;
        let delta_start = if delta_line == 0 {
            p.character - col
        } else {
            p.character
        };
        out.push([delta_line, delta_start, length as u32, t.kind.index(), 0]);
        line = p.line;
        col = p.character;
    }
    out
}
