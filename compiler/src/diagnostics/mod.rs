//! Diagnostics: the [`Diagnostic`] type, the code registry ([`codes`]) with
//! its explanation pages, and rendering ([`render`]: ariadne text and JSON).

pub mod codes;
pub mod diagnostic;
pub mod render;

pub use codes::{Code, CodeInfo, REGISTRY, Stage};
pub use diagnostic::{Diagnostic, Label, Severity, has_errors};
