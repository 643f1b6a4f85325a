//! Benchmark: `avmc lsp` from a one-character edit (`didChange`) of a generated
//! 10,000-line file to the `publishDiagnostics` that answers it, over the real binary's
//! stdio. Goal: under 50 ms. Run with `cargo bench -p avm-compiler --bench lsp`.

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

// Shares the generator with the other benchmarks; this one does not build the AST.
#[allow(dead_code)]
mod common;
#[path = "../tests/lsp_client/mod.rs"]
mod lsp_client;

fn lsp_did_change(c: &mut Criterion) {
    let text = common::generate(common::LINES);
    assert!(text.lines().count() >= common::LINES);
    let mut s = lsp_client::Session::start();
    s.request("initialize", json!({"capabilities": {}}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": lsp_client::URI, "languageId": "avm", "version": 1, "text": text}}),
    );
    s.diagnostics();
    // Alternate between the text and the text with one more space at its end.
    let edited = format!("{text} ");
    let mut version = 1;
    c.bench_function("lsp_did_change_to_diagnostics_10k_lines", |b| {
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

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = lsp_did_change
}
criterion_main!(benches);
