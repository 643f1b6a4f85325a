//! Diagnostics: the [`Diagnostic`] type, the code registry ([`codes`]) with
//! its explanation pages, runtime failures as diagnostics ([`runtime`]), the
//! driver's file errors ([`driver`], diagnostics without a source label), and
//! rendering ([`render`]: ariadne text and JSON, quoting bounded [`excerpt`]s).

pub mod codes;
pub mod diagnostic;
pub mod driver;
pub mod excerpt;
pub mod render;
pub mod runtime;

pub use codes::{Code, CodeInfo, REGISTRY, Stage};
pub use diagnostic::{Diagnostic, Label, Severity, has_errors};
