//! The one place diagnostics are rendered: ariadne text and JSON.
//!
//! Takes [`Diagnostic`]s and the [`SourceMap`] they point into (or
//! [`PlainDiagnostic`]s, which point nowhere); produces a `String` (the
//! library does no IO). Spans are byte offsets, so ariadne is
//! configured with `IndexType::Byte`.

use std::ops::Range;

use ariadne::{Config, FnCache, IndexType, Label as AriadneLabel, Report, ReportKind, Source};
use serde::Serialize;

use crate::diagnostics::driver::PlainDiagnostic;
use crate::diagnostics::excerpt;
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

/// Renders one diagnostic as ariadne text. Only the lines its labels cover are quoted, each
/// cut to [`excerpt::LINE_WIDTH`] bytes around its label.
pub fn render(diag: &Diagnostic, map: &SourceMap, color: ColorChoice) -> String {
    let kind = match diag.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    // Per file the labels point into: its excerpt, and where each label falls in it.
    let labels: Vec<&Label> = std::iter::once(&diag.primary)
        .chain(&diag.secondary)
        .collect();
    let mut files: Vec<(String, excerpt::Excerpt)> = Vec::new();
    let mut spans: Vec<(String, Range<usize>)> = vec![(String::new(), 0..0); labels.len()];
    let mut done = vec![false; labels.len()];
    let mut primary_cut = false;
    for (i, label) in labels.iter().enumerate() {
        if done[i] {
            continue;
        }
        let file = label.file;
        let same: Vec<usize> = (i..labels.len())
            .filter(|j| labels[*j].file == file)
            .collect();
        let name = file_name(map, label);
        let ranges: Vec<Range<usize>> = same.iter().map(|j| clamp(map, labels[*j])).collect();
        let cut = match map.get(file) {
            Some(f) => excerpt::excerpt(f, &ranges),
            None => excerpt::Excerpt {
                text: String::new(),
                ranges: vec![0..0; ranges.len()],
                cut: vec![false; ranges.len()],
            },
        };
        for (k, j) in same.iter().enumerate() {
            spans[*j] = (name.clone(), cut.ranges[k].clone());
            done[*j] = true;
            if *j == 0 && cut.cut[k] {
                primary_cut = true;
            }
        }
        files.push((name, cut));
    }
    let config = Config::default()
        .with_index_type(IndexType::Byte)
        .with_color(color == ColorChoice::On);
    let mut builder = Report::build(kind, spans[0].clone())
        .with_config(config)
        .with_code(diag.code)
        .with_message(&diag.message);
    // The labels in the primary's file form one snippet only when they are added in line
    // order (ariadne starts a new snippet, headed with the primary's position, wherever the
    // line goes back); labels in other files follow, in their order.
    let mut same_file: Vec<usize> = (0..labels.len())
        .filter(|j| labels[*j].file == diag.primary.file)
        .collect();
    same_file.sort_by_key(|j| labels[*j].span.start);
    let others = (0..labels.len()).filter(|j| labels[*j].file != diag.primary.file);
    for (i, j) in same_file.into_iter().chain(others).enumerate() {
        let label = labels[j];
        let order = if label.file == diag.primary.file {
            0
        } else {
            i as i32
        };
        builder = builder.with_label(
            AriadneLabel::new(spans[j].clone())
                .with_message(&label.text)
                .with_order(order),
        );
    }
    for note in &diag.notes {
        builder = builder.with_note(note);
    }
    if primary_cut && let Some(f) = map.get(diag.primary.file) {
        let at = f.line_col(diag.primary.span.start);
        builder = builder.with_note(format!(
            "at line {}, column {}; the line is longer than {} bytes, so only part of it is shown",
            at.line,
            at.column,
            excerpt::LINE_WIDTH
        ));
    }
    if let Some(help) = &diag.help {
        builder = builder.with_help(help);
    }
    let report = builder.finish();
    let sources: std::collections::HashMap<String, Source<String>> = files
        .into_iter()
        .map(|(name, cut)| (name, Source::from(cut.text)))
        .collect();
    let cache = FnCache::new(
        (|id: &String| Err(format!("no source `{id}`"))) as fn(&String) -> Result<String, String>,
    )
    .with_sources(sources);
    let mut out = Vec::new();
    match report.write(cache, &mut out) {
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

/// The most diagnostics rendered for one file; the rest are counted in one closing note.
pub const MAX_PER_FILE: usize = 100;

/// The diagnostics to render — at most [`MAX_PER_FILE`] per file (by primary label), in order
/// — and, per file that had more, its name and how many were left out.
fn capped<'d>(
    diags: &'d [Diagnostic],
    map: &SourceMap,
) -> (Vec<&'d Diagnostic>, Vec<(String, usize)>) {
    let mut counts: Vec<(crate::syntax::span::FileId, usize)> = Vec::new();
    let mut shown = Vec::new();
    for d in diags {
        let file = d.primary.file;
        let n = match counts.iter_mut().find(|(f, _)| *f == file) {
            Some((_, n)) => n,
            None => {
                counts.push((file, 0));
                &mut counts.last_mut().expect("just pushed").1
            }
        };
        *n += 1;
        if *n <= MAX_PER_FILE {
            shown.push(d);
        }
    }
    let dropped = counts
        .into_iter()
        .filter(|(_, n)| *n > MAX_PER_FILE)
        .map(|(file, n)| {
            let name = map
                .get(file)
                .map_or_else(|| format!("<file {}>", file.0), |f| f.name.clone());
            (name, n - MAX_PER_FILE)
        })
        .collect();
    (shown, dropped)
}

/// The closing note for the diagnostics of `file` left out.
fn dropped_note(file: &str, count: usize) -> String {
    let what = if count == 1 {
        "diagnostic"
    } else {
        "diagnostics"
    };
    format!(
        "note: {count} more {what} in `{file}` not shown (the first {MAX_PER_FILE} are); fix these and check again"
    )
}

/// Renders several diagnostics, one after another: at most [`MAX_PER_FILE`] per file, then a
/// note saying how many more there were.
pub fn render_all(diags: &[Diagnostic], map: &SourceMap, color: ColorChoice) -> String {
    let (shown, dropped) = capped(diags, map);
    let mut out: String = shown.iter().map(|d| render(d, map, color)).collect();
    for (file, count) in dropped {
        out.push_str(&dropped_note(&file, count));
        out.push('\n');
    }
    out
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

/// The closing element for the diagnostics of a file left out.
#[derive(Serialize)]
struct JsonOmitted {
    code: Option<&'static str>,
    severity: &'static str,
    message: String,
    file: String,
    omitted: usize,
}

#[derive(Serialize)]
#[serde(untagged)]
enum JsonItem<'a> {
    Diagnostic(JsonDiagnostic<'a>),
    Omitted(JsonOmitted),
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

/// Renders diagnostics as a JSON array (for `--error-format json`): at most [`MAX_PER_FILE`]
/// per file; for a file with more, a closing element with `"severity": "note"`, no code, and
/// the count in `"omitted"`.
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
    let (shown, dropped) = capped(diags, map);
    let mut items: Vec<JsonItem<'_>> = shown
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
        .map(JsonItem::Diagnostic)
        .collect();
    for (file, count) in dropped {
        items.push(JsonItem::Omitted(JsonOmitted {
            code: None,
            severity: "note",
            message: dropped_note(&file, count),
            file,
            omitted: count,
        }));
    }
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
