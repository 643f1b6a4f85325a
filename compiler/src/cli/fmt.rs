//! `avmc fmt [--check] FILE…`: formats files in place, or checks that they are formatted.
//!
//! Takes file paths; reads each file, formats it with [`avm_compiler::fmt::format_source`],
//! and either rewrites it (when the text changed) or, with `--check`, prints a unified diff
//! of what would change. Produces exit 0 when every file is (now) formatted, 1 when a file
//! does not parse (its syntax errors are printed and it is left alone), cannot be read or
//! written, or, with `--check`, is not formatted.

use std::path::{Path, PathBuf};

use avm_compiler::diagnostics::driver::{DriverError, OutputKind};
use avm_compiler::fmt::{FormatError, format_source};
use avm_compiler::syntax::span::SourceMap;

use super::{EXIT_COMPILE, Output, read};

/// Whether `avmc fmt` rewrites files or only reports the ones that would change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FmtMode {
    Write,
    Check,
}

/// Runs `avmc fmt` over `files`; returns the exit status.
pub fn run(out: &Output, files: &[PathBuf], mode: FmtMode) -> u8 {
    let mut status = 0;
    for file in files {
        if !format_file(out, file, mode) {
            status = EXIT_COMPILE;
        }
    }
    status
}

/// Formats one file; false when it failed or, in check mode, is not formatted.
fn format_file(out: &Output, file: &Path, mode: FmtMode) -> bool {
    let Some(text) = read(out, file) else {
        return false;
    };
    let mut sources = SourceMap::new();
    let name = file.display().to_string();
    let id = sources.add(name.clone(), text.clone());
    let formatted = match format_source(id, &text) {
        Ok(f) => f,
        Err(FormatError::Syntax(diags)) => {
            out.print(&diags, &sources);
            return false;
        }
    };
    if formatted == text {
        return true;
    }
    match mode {
        FmtMode::Check => {
            print!("{}", diff(&name, &text, &formatted));
            false
        }
        FmtMode::Write => match std::fs::write(file, &formatted) {
            Ok(()) => true,
            Err(e) => {
                out.driver_error(&DriverError::Unwritable {
                    path: name,
                    kind: OutputKind::Formatted,
                    reason: e.to_string(),
                });
                false
            }
        },
    }
}

/// A unified diff from the file as it is to the file formatted.
fn diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, &format!("{name} (formatted)"))
        .to_string()
}
