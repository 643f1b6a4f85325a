//! Benchmark: `avmc lsp` from a one-character edit (`didChange`) of a generated
//! 1,000-line and 10,000-line file to the `publishDiagnostics` that answers it, over the
//! real binary's stdio (goal: under 50 ms at 10,000 lines), and the round trip of a hover
//! and of a completion request on the 1,000-line file (each re-analyses the document with
//! the type checker). Run with `cargo bench -p avm-compiler --bench lsp`.

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

// Shares the generator with the other benchmarks; this one does not build the AST.
#[allow(dead_code)]
mod common;
#[path = "../tests/lsp_client/mod.rs"]
mod lsp_client;

fn open(lines: usize) -> (lsp_client::Session, String) {
    let text = common::generate(lines);
    assert!(text.lines().count() >= lines);
    let mut s = lsp_client::Session::start();
    s.request("initialize", json!({"capabilities": {}}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": lsp_client::URI, "languageId": "avm", "version": 1, "text": text}}),
    );
    s.diagnostics();
    (s, text)
}

fn did_change(c: &mut Criterion, lines: usize, name: &str) {
    let (mut s, text) = open(lines);
    // Alternate between the text and the text with one more space at its end.
    let edited = format!("{text} ");
    let mut version = 1;
    c.bench_function(name, |b| {
        b.iter(|| {
            version += 1;
            let next = if version % 2 == 0 { &edited } else { &text };
            s.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": lsp_client::URI, "version": version},
                       "contentChanges": [{"text": next}]}),
            );
            s.diagnostics()
        })
    });
    s.finish();
}

fn lsp_did_change(c: &mut Criterion) {
    did_change(c, 1_000, "lsp_did_change_to_diagnostics_1k_lines");
    did_change(c, common::LINES, "lsp_did_change_to_diagnostics_10k_lines");
}

fn lsp_requests(c: &mut Criterion) {
    let (mut s, text) = open(1_000);
    // A position in the middle of the file, on a name.
    let line = text.lines().count() / 2;
    let character = text
        .lines()
        .nth(line)
        .and_then(|l| l.find(|ch: char| ch.is_alphabetic()))
        .unwrap_or(0);
    let at = json!({"textDocument": {"uri": lsp_client::URI},
                    "position": {"line": line, "character": character}});
    c.bench_function("lsp_hover_1k_lines", |b| {
        b.iter(|| s.request("textDocument/hover", at.clone()))
    });
    c.bench_function("lsp_completion_1k_lines", |b| {
        b.iter(|| s.request("textDocument/completion", at.clone()))
    });
    s.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = lsp_did_change, lsp_requests
}
criterion_main!(benches);
