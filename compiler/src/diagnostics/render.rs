//! The one place diagnostics are rendered: ariadne text and JSON.
//!
//! Takes [`Diagnostic`]s and the [`SourceMap`] they point into (or
//! [`PlainDiagnostic`]s, which point nowhere); produces a `String` (the
//! library does no IO). Spans are byte offsets, so ariadne is
//! configured with `IndexType::Byte`.

use std::ops::Range;

use ariadne::{Config, IndexType, Label as AriadneLabel, Report, ReportKind, sources};
use serde::Serialize;

use crate::diagnostics::driver::PlainDiagnostic;
use crate::diagnostics::{Diagnostic, Label, Severity};
use crate::syntax::span::{LineCol, SourceMap, Span};

/// Whether rendered text carries ANSI colour codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Off,
    On,
}

fn file_name(map: &SourceMap, label: &Label) -> String {
    map.get(label.file)
        .map(|f| f.name.clone())
        .unwrap_or_else(|| format!("<file {}>", label.file.0))
}

fn clamp(map: &SourceMap, label: &Label) -> Range<usize> {
    let len = map.get(label.file).map(|f| f.text.len()).unwrap_or(0);
    let start = (label.span.start as usize).min(len);
    let end = (label.span.end as usize).clamp(start, len);
    start..end
}

/// Renders one diagnostic as ariadne text.
pub fn render(diag: &Diagnostic, map: &SourceMap, color: ColorChoice) -> String {
    let kind = match diag.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let primary_name = file_name(map, &diag.primary);
    let config = Config::default()
        .with_index_type(IndexType::Byte)
        .with_color(color == ColorChoice::On);
    let mut builder = Report::build(kind, (primary_name.clone(), clamp(map, &diag.primary)))
        .with_config(config)
        .with_code(diag.code)
        .with_message(&diag.message);
    // The labels in the primary's file form one snippet only when they are added in line
    // order (ariadne starts a new snippet, headed with the primary's position, wherever the
    // line goes back); labels in other files follow, in their order.
    let mut same_file: Vec<&Label> = std::iter::once(&diag.primary)
        .chain(
            diag.secondary
                .iter()
                .filter(|l| l.file == diag.primary.file),
        )
        .collect();
    same_file.sort_by_key(|l| l.span.start);
    let others = diag
        .secondary
        .iter()
        .filter(|l| l.file != diag.primary.file);
    for (i, label) in same_file.into_iter().chain(others).enumerate() {
        let order = if label.file == diag.primary.file {
            0
        } else {
            i as i32
        };
        builder = builder.with_label(
            AriadneLabel::new((file_name(map, label), clamp(map, label)))
                .with_message(&label.text)
                .with_order(order),
        );
    }
    for note in &diag.notes {
        builder = builder.with_note(note);
    }
    if let Some(help) = &diag.help {
        builder = builder.with_help(help);
    }
    let report = builder.finish();
    let mut files: Vec<(String, String)> = Vec::new();
    for label in std::iter::once(&diag.primary).chain(&diag.secondary) {
        let name = file_name(map, label);
        if !files.iter().any(|(n, _)| *n == name) {
            let text = map
                .get(label.file)
                .map(|f| f.text.clone())
                .unwrap_or_default();
            files.push((name, text));
        }
    }
    let mut out = Vec::new();
    match report.write(sources(files), &mut out) {
        Ok(()) => String::from_utf8_lossy(&out).into_owned(),
        // Writing into a Vec does not fail; fall back to the bare message anyway.
        Err(_) => format!(
            "{}[{}]: {}\n",
            severity_word(diag.severity),
            diag.code,
            diag.message
        ),
    }
}

/// Renders several diagnostics, one after another.
pub fn render_all(diags: &[Diagnostic], map: &SourceMap, color: ColorChoice) -> String {
    diags.iter().map(|d| render(d, map, color)).collect()
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

#[derive(Serialize)]
struct JsonLabel {
    file: String,
    span: Span,
    start: LineCol,
    end: LineCol,
    text: String,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    title: &'static str,
    severity: Severity,
    message: &'a str,
    primary: JsonLabel,
    secondary: Vec<JsonLabel>,
    notes: &'a [String],
    help: Option<&'a str>,
}

fn json_label(map: &SourceMap, label: &Label) -> JsonLabel {
    let pos = |offset| {
        map.get(label.file)
            .map(|f| f.line_col(offset))
            .unwrap_or(LineCol { line: 1, column: 1 })
    };
    JsonLabel {
        file: file_name(map, label),
        span: label.span,
        start: pos(label.span.start),
        end: pos(label.span.end),
        text: label.text.clone(),
    }
}

/// Renders diagnostics as a JSON array (for `--error-format json`).
pub fn render_json(diags: &[Diagnostic], map: &SourceMap) -> String {
    json_document(&json_items(diags, map))
}

/// A JSON array of the given elements (each one pretty-printed JSON text), formatted like
/// `serde_json::to_string_pretty`: how a driver prints one document for everything it
/// collected.
pub fn json_document(items: &[String]) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let body: Vec<String> = items
        .iter()
        .map(|item| {
            item.lines()
                .map(|line| format!("  {line}"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    format!("[\n{}\n]", body.join(",\n"))
}

/// The diagnostics as pretty-printed JSON objects, the elements of [`render_json`]'s array.
pub fn json_items(diags: &[Diagnostic], map: &SourceMap) -> Vec<String> {
    let items: Vec<JsonDiagnostic<'_>> = diags
        .iter()
        .map(|d| JsonDiagnostic {
            code: d.code.as_str(),
            title: d.code.title(),
            severity: d.severity,
            message: &d.message,
            primary: json_label(map, &d.primary),
            secondary: d.secondary.iter().map(|l| json_label(map, l)).collect(),
            notes: &d.notes,
            help: d.help.as_deref(),
        })
        .collect();
    // Serialising plain data with string keys cannot fail.
    items
        .iter()
        .filter_map(|item| serde_json::to_string_pretty(item).ok())
        .collect()
}

/// Renders a diagnostic without a source label: `error[CODE]: message` and an indented
/// `help:` line.
pub fn render_plain(diag: &PlainDiagnostic) -> String {
    let mut s = match diag.code {
        Some(code) => format!("error[{code}]: {}\n", diag.message),
        None => format!("error: {}\n", diag.message),
    };
    if let Some(help) = &diag.help {
        s.push_str(&format!("  help: {help}\n"));
    }
    s
}

/// Renders a diagnostic without a source label as a one-element JSON array (for
/// `--error-format json`): code, title, severity, message and help.
pub fn render_plain_json(diag: &PlainDiagnostic) -> String {
    serde_json::Value::Array(vec![plain_json_value(diag)]).to_string()
}

/// A diagnostic without a source label as pretty-printed JSON (an element for
/// [`json_document`]).
pub fn plain_json_item(diag: &PlainDiagnostic) -> String {
    serde_json::to_string_pretty(&plain_json_value(diag)).unwrap_or_else(|_| "{}".into())
}

/// A diagnostic without a source label as one JSON value (the element of
/// [`render_plain_json`]'s array).
fn plain_json_value(diag: &PlainDiagnostic) -> serde_json::Value {
    serde_json::json!({
        "code": diag.code.map(|c| c.as_str()),
        "title": diag.code.map(|c| c.title()),
        "severity": "error",
        "message": diag.message,
        "help": diag.help,
    })
}
