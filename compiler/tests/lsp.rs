//! `avmc lsp` driven over stdio by a small client: a whole session with snapshot-tested
//! replies, and a no-panic property test over random edits of the examples.
//!
//! Takes the real `avmc` binary; sends framed JSON-RPC messages (initialize, didOpen,
//! didChange, hover, definition, references, rename, completion, documentSymbol,
//! formatting, shutdown, exit) and reads the replies and notifications. Every read is
//! bounded in time; the server is killed by its pid if it does not exit.

use proptest::prelude::*;
use serde_json::{Value, json};

use lsp_client::{Session, URI};

mod lsp_client;

fn at(line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}})
}

const BROKEN: &str = "/// Adds one.\nfn inc(n: Int) -> Int { n + 1 }\n\nfn main() -> Int {\n    let x = inc(41)\n    x + y\n}\n";
const FIXED: &str = "/// Adds one.\nfn inc(n: Int) -> Int { n + 1 }\n\nfn main() -> Int {\n    let x   = inc(41)\n    x + x\n}\n";

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("json")
}

#[test]
fn a_whole_session() {
    let mut s = Session::start();
    let init = s.request("initialize", json!({"capabilities": {}}));
    insta::assert_snapshot!("initialize", pretty(&init["result"]));
    s.notify("initialized", json!({}));

    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "avm", "version": 1, "text": BROKEN}}),
    );
    insta::assert_snapshot!("diagnostics_on_open", pretty(&s.diagnostics()));

    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": FIXED}]}),
    );
    let fixed = s.diagnostics();
    assert_eq!(fixed["diagnostics"], json!([]), "{fixed}");

    // `inc` in `inc(41)` (line 4).
    insta::assert_snapshot!(
        "hover",
        pretty(&s.request("textDocument/hover", at(4, 14))["result"])
    );
    insta::assert_snapshot!(
        "definition",
        pretty(&s.request("textDocument/definition", at(4, 14))["result"])
    );
    // `x` in `x + x` (line 5).
    let mut refs = at(5, 4);
    refs["context"] = json!({"includeDeclaration": true});
    insta::assert_snapshot!(
        "references",
        pretty(&s.request("textDocument/references", refs)["result"])
    );
    let mut rename = at(5, 4);
    rename["newName"] = json!("answer");
    insta::assert_snapshot!(
        "rename",
        pretty(&s.request("textDocument/rename", rename)["result"])
    );
    let mut clash = at(5, 4);
    clash["newName"] = json!("inc");
    let refused = s.request("textDocument/rename", clash);
    assert!(
        refused["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("already declared")),
        "{refused}"
    );

    let completion = s.request("textDocument/completion", at(5, 4));
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .expect("completion items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    for wanted in ["inc", "main", "x", "let", "match"] {
        assert!(labels.contains(&wanted), "{wanted} missing from {labels:?}");
    }
    insta::assert_snapshot!(
        "symbols",
        pretty(
            &s.request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": URI}})
            )["result"]
        )
    );
    insta::assert_snapshot!(
        "formatting",
        pretty(&s.request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}})
        )["result"])
    );
    s.finish();
}

fn example_texts() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut out: Vec<String> = std::fs::read_dir(root)
        .expect("examples")
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read_to_string(e.path().join("main.avm")).ok())
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    /// Random deletions and insertions into an example, each followed by requests at
    /// random places: the server answers every one (no crash, no hang).
    #[test]
    fn random_edits_never_crash_the_server(
        file in 0usize..100,
        edits in proptest::collection::vec((any::<u16>(), 0usize..12, "[a-z{}().;:=\" \n]{0,6}"), 1..6),
    ) {
        let texts = example_texts();
        let mut text = texts[file % texts.len()].clone();
        let mut s = Session::start();
        s.request("initialize", json!({"capabilities": {}}));
        s.notify("textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "avm", "version": 1, "text": text}}));
        s.diagnostics();
        for (version, (at_pos, del, ins)) in edits.into_iter().enumerate() {
            let mut start = at_pos as usize % (text.len() + 1);
            while !text.is_char_boundary(start) { start -= 1; }
            let mut end = (start + del).min(text.len());
            while !text.is_char_boundary(end) { end -= 1; }
            text.replace_range(start..end, &ins);
            s.notify("textDocument/didChange", json!({
                "textDocument": {"uri": URI, "version": version + 2},
                "contentChanges": [{"text": text}]}));
            s.diagnostics();
            let line = (at_pos % 40) as u32;
            let col = (at_pos % 30) as u32;
            for method in ["textDocument/hover", "textDocument/definition", "textDocument/completion"] {
                let reply = s.request(method, at(line, col));
                prop_assert!(reply.get("error").is_none(), "{method}: {reply}");
            }
            let fmt = s.request("textDocument/formatting",
                json!({"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}}));
            prop_assert!(fmt.get("error").is_none(), "{fmt}");
            let symbols = s.request("textDocument/documentSymbol", json!({"textDocument": {"uri": URI}}));
            prop_assert!(symbols.get("error").is_none(), "{symbols}");
        }
        s.finish();
    }
}
