//! The one [`Diagnostic`] type every compiler stage reports with.
//!
//! Takes a [`Code`] from the registry, spans and words; produces plain data.
//! Rendering (ariadne text, JSON) lives in [`crate::diagnostics::render`].

use serde::Serialize;

use crate::diagnostics::codes::Code;
use crate::syntax::span::{FileId, Span};

/// How bad a diagnostic is. Fixed per code by the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A span in a file with a short text shown next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub text: String,
}

impl Label {
    pub fn new(file: FileId, span: Span, text: impl Into<String>) -> Label {
        Label {
            file,
            span,
            text: text.into(),
        }
    }
}

/// One message for the user: what is wrong, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic whose severity comes from the code's registry entry.
    pub fn new(code: Code, message: impl Into<String>, primary: Label) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            primary,
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    pub fn with_secondary(mut self, label: Label) -> Diagnostic {
        self.secondary.push(label);
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when any diagnostic in the list is an error (not only warnings).
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}
