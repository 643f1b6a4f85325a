//! Editor intelligence for `avmc lsp`, IO-free: positions, diagnostics, symbols, hover,
//! go to definition, references, completion, signature help, semantic tokens, inlay hints.
//!
//! Takes a document's text (and a [`SourceLoader`] for its imports); produces plain data
//! with LSP-style positions (zero-based line, UTF-16 column), which `cli/lsp.rs` turns into
//! protocol messages. Hover, completion, signature help, semantic tokens and inlay hints
//! read the type checker's results ([`analysis`]); where the document does not parse or
//! type-check there, hover and completion fall back to looking names up by spelling among
//! the file's declarations (items, object members, struct fields, enum variants, `let`s and
//! parameters), as go to definition, references and rename always do.

pub mod analysis;
pub mod complete;
pub mod hints;
pub mod hover;
mod index;
mod locate;
pub mod signature;
mod symbols;
pub mod tokens;
mod walk;

pub use analysis::{Analysis, Typing, analyze};
pub use complete::{Snippets, completions};
pub use hints::{InlayHint, inlay_hints};
pub use index::{LineIndex, Position};
pub use signature::{SignatureHelp, signature_help};
pub use symbols::{Declaration, DeclarationKind, declarations, word_at};
pub use tokens::{SemanticToken, TokenKind, semantic_tokens};

use crate::diagnostics::{Diagnostic, Severity};
use crate::pipeline::SourceLoader;
use crate::syntax::span::Span;

/// A diagnostic in the document, with its range.
#[derive(Debug, Clone, PartialEq)]
pub struct DocDiagnostic {
    pub start: Position,
    pub end: Position,
    pub severity: Severity,
    pub code: String,
    /// The message, then the label, notes and `help:` lines.
    pub message: String,
}

/// Parses, resolves and type-checks the document as `avmc check` does; returns the
/// diagnostics that point into it.
pub fn diagnostics(name: &str, text: &str, loader: &mut dyn SourceLoader) -> Vec<DocDiagnostic> {
    analysis_diagnostics(&analyze(name, text, loader), text)
}

/// The diagnostics of an analysis that point into the document.
pub fn analysis_diagnostics(a: &Analysis, text: &str) -> Vec<DocDiagnostic> {
    let index = LineIndex::new(text);
    a.diagnostics
        .iter()
        .filter(|d| Some(d.primary.file) == a.root_file)
        .map(|d| to_doc_diagnostic(d, &index))
        .collect()
}

fn to_doc_diagnostic(d: &Diagnostic, index: &LineIndex) -> DocDiagnostic {
    let mut message = d.message.clone();
    if !d.primary.text.is_empty() {
        message.push_str(&format!("\n{}", d.primary.text));
    }
    for n in &d.notes {
        message.push_str(&format!("\nnote: {n}"));
    }
    if let Some(h) = &d.help {
        message.push_str(&format!("\nhelp: {h}"));
    }
    DocDiagnostic {
        start: index.position(d.primary.span.start as usize),
        end: index.position(d.primary.span.end as usize),
        severity: d.severity,
        code: d.code.as_str().to_string(),
        message,
    }
}

/// A range of the document.
pub fn range(index: &LineIndex, span: Span) -> (Position, Position) {
    (
        index.position(span.start as usize),
        index.position(span.end as usize),
    )
}

/// The declaration the name at `offset` refers to: the nearest declaration of that name
/// before the use inside the same function for a local, else the file's item or member.
pub fn definition_at(text: &str, offset: usize) -> Option<Declaration> {
    let (word, _) = word_at(text, offset)?;
    let decls = declarations(text);
    symbols::resolve(&decls, &word, offset).cloned()
}

/// Every occurrence of the name at `offset` as a whole word (declaration included),
/// outside comments and strings.
pub fn references_at(text: &str, offset: usize) -> Vec<Span> {
    let Some((word, _)) = word_at(text, offset) else {
        return Vec::new();
    };
    symbols::occurrences(text, &word)
}

/// Markdown for hovering the name at `offset`: from the type checker (the type of a local,
/// field or expression name, the signature of a function or method, with its doc comment);
/// where it has nothing, the spelling-based [`hover_at`].
pub fn hover(a: &Analysis, text: &str, offset: usize) -> Option<String> {
    hover::typed_hover(a, offset)
        .map(|h| h.markdown())
        .or_else(|| hover_at(text, offset))
}

/// Markdown for hovering the name at `offset` by spelling: the declaration's written
/// signature and doc comment.
pub fn hover_at(text: &str, offset: usize) -> Option<String> {
    let decl = definition_at(text, offset)?;
    let mut out = format!("```avm\n{}\n```", decl.signature);
    if let Some(doc) = &decl.doc {
        out.push_str("\n\n");
        out.push_str(doc.trim());
    }
    Some(out)
}

/// What kind of thing a completion inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    /// A statement form (`fn`, `object`, `if`, `while`, `for`, `match`, `atomic`).
    Snippet,
    Declaration(DeclarationKind),
}

/// One completion.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: String,
}

/// Completions at `offset`: after `.`, the methods and fields declared in the file; else
/// the keywords and the file's names (items, and locals declared before `offset`).
pub fn completions_at(text: &str, offset: usize) -> Vec<Completion> {
    let decls = declarations(text);
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let prefix_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let after_dot = before[..prefix_start].ends_with('.');
    let mut out: Vec<Completion> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for d in &decls {
        let member = matches!(d.kind, DeclarationKind::Method | DeclarationKind::Field);
        let visible = if after_dot {
            member
        } else {
            !member
                && d.kind != DeclarationKind::Variant
                && (d
                    .scope
                    .is_none_or(|s| s.start as usize <= offset && offset <= s.end as usize))
        };
        if visible && seen.insert(d.name.clone()) {
            out.push(Completion {
                label: d.name.clone(),
                kind: CompletionKind::Declaration(d.kind),
                detail: d.signature.clone(),
            });
        }
    }
    if !after_dot {
        for k in crate::syntax::token::KEYWORDS {
            out.push(Completion {
                label: (*k).to_string(),
                kind: CompletionKind::Keyword,
                detail: "keyword".into(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
