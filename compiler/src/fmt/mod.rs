//! The source formatter behind `avmc fmt` and the language server's formatting.
//!
//! Takes one file's text; produces the same program in the one canonical layout
//! ([`format_source`]), or the file's syntax errors when it does not parse (a
//! file with syntax errors is never rewritten). The layout is driven by the
//! AST (no keyword lists): four-space indentation, one statement, member,
//! field, variant and match arm a line, `{ e }` kept on one line when a block
//! is only a short value, operators spaced, parentheses only where precedence
//! or the grammar needs them, `import a.b` with dots. Comments (found by
//! [`comments`]) stay where they were relative to the statements, items,
//! members and arms around them; at most one blank line is kept between two of
//! those. Expressions are not wrapped at a line width: a long expression stays
//! on one line. Formatting is idempotent and does not change the parsed
//! program (both are property-tested over the corpus and the examples).

pub mod comments;
mod expr;
mod layout;

use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::parse;
use crate::syntax::span::FileId;

/// Why a file was not formatted.
#[derive(Debug, Clone, PartialEq)]
pub enum FormatError {
    /// The file does not parse; these are its lexical and syntax errors.
    Syntax(Vec<Diagnostic>),
}

/// Formats one file. `file` is the id its diagnostics point into.
pub fn format_source(file: FileId, src: &str) -> Result<String, FormatError> {
    let parsed = parse(file, src);
    let module = match parsed.module {
        Some(m) if !parsed.has_errors() => m,
        _ => return Err(FormatError::Syntax(parsed.diagnostics)),
    };
    // Doc comments that document nothing (W0101) are printed as plain comments,
    // so that they cannot start documenting whatever follows them in the new layout.
    let stray_docs: Vec<(usize, usize)> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::W0101)
        .map(|d| (d.primary.span.start as usize, d.primary.span.end as usize))
        .collect();
    Ok(layout::Printer::new(src, comments::scan(src), stray_docs).module(&module))
}

#[cfg(test)]
mod tests;
