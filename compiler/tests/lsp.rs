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

const TYPED: &str = "/// Adds one.\nfn inc(n: Int) -> Int { n + 1 }\n\nobject Counter {\n    state count: Int = 0\n    /// Bumps.\n    fn add(k: Int) -> Int {\n        count = count + k\n        count\n    }\n}\n\nfn main() -> Int {\n    let c = create Counter\n    let xs = [inc(1), 2]\n    c.add(len(xs))\n}\n";

fn open(s: &mut Session, text: &str, version: i32) {
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "avm", "version": version, "text": text}}),
    );
    s.diagnostics();
}

/// Hover, completion, signature help, semantic tokens and inlay hints from the type
/// checker, over the wire; snippets only when the client says it supports them.
#[test]
fn typed_features_over_the_wire() {
    let mut s = Session::start();
    let init = s.request(
        "initialize",
        json!({"capabilities": {"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}}}),
    );
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["inlayHintProvider"], json!(true), "{caps}");
    assert_eq!(
        caps["semanticTokensProvider"]["full"],
        json!(true),
        "{caps}"
    );
    let legend: Vec<&str> = caps["semanticTokensProvider"]["legend"]["tokenTypes"]
        .as_array()
        .expect("legend")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    open(&mut s, TYPED, 1);

    // `xs` in `len(xs)` (line 15): the inferred type.
    let hover = s.request("textDocument/hover", at(15, 15));
    let value = hover["result"]["contents"]["value"]
        .as_str()
        .expect("hover text");
    assert!(value.contains("let xs: List[Int]"), "{value}");
    // `add` in `c.add(` (line 15): the method of the receiver's object with its doc.
    let hover = s.request("textDocument/hover", at(15, 7));
    let value = hover["result"]["contents"]["value"]
        .as_str()
        .expect("hover text");
    assert!(
        value.contains("Counter.fn add(k: Int) -> Int") && value.contains("Bumps."),
        "{value}"
    );

    // Signature help inside `inc(1)` (line 14): one parameter, the first active.
    let help = s.request("textDocument/signatureHelp", at(14, 18));
    assert_eq!(help["result"]["activeParameter"], json!(0), "{help}");
    let sig = &help["result"]["signatures"][0];
    assert_eq!(sig["label"], json!("fn inc(n: Int) -> Int"), "{help}");
    assert_eq!(sig["parameters"][0]["label"], json!([7, 13]), "{help}");
    assert_eq!(sig["documentation"]["value"], json!("Adds one."), "{help}");

    // Snippets in snippet syntax.
    let completion = s.request("textDocument/completion", at(15, 4));
    let items = completion["result"].as_array().expect("items");
    let snippet = items
        .iter()
        .find(|i| i["label"] == "match" && i["kind"] == json!(15))
        .expect("match snippet");
    assert_eq!(snippet["insertTextFormat"], json!(2), "{snippet}");
    assert!(
        snippet["insertText"]
            .as_str()
            .is_some_and(|t| t.contains("${1:value}"))
    );

    // Completion after `c.`: the methods of `Counter`.
    let dotted = TYPED.replace("    c.add(len(xs))\n", "    c.\n    0\n");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": dotted}]}),
    );
    s.diagnostics();
    let completion = s.request("textDocument/completion", at(15, 6));
    let items = completion["result"].as_array().expect("items");
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(labels, vec!["add"], "{completion}");
    assert_eq!(items[0]["detail"], json!("Counter.fn add(k: Int) -> Int"));
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": TYPED}]}),
    );
    s.diagnostics();

    // Inlay hints for `let c` and `let xs`.
    let hints = s.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 20, "character": 0}}}),
    );
    insta::assert_snapshot!("inlay_hints", pretty(&hints["result"]));

    // Semantic tokens: decode and check a few.
    let tokens = s.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": URI}}),
    );
    let data: Vec<u64> = tokens["result"]["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    let (mut line, mut col) = (0u64, 0u64);
    let mut decoded = Vec::new();
    for chunk in data.chunks(5) {
        line += chunk[0];
        col = if chunk[0] == 0 {
            col + chunk[1]
        } else {
            chunk[1]
        };
        let text = TYPED.lines().nth(line as usize).expect("line");
        let word = &text[col as usize..(col + chunk[2]) as usize];
        decoded.push((word.to_string(), legend[chunk[3] as usize]));
    }
    for wanted in [
        ("/// Adds one.", "comment"),
        ("fn", "keyword"),
        ("inc", "function"),
        ("n", "parameter"),
        ("Int", "type"),
        ("Counter", "type"),
        ("count", "property"),
        ("add", "method"),
        ("xs", "variable"),
        ("1", "number"),
    ] {
        assert!(
            decoded.iter().any(|(w, k)| (w.as_str(), *k) == wanted),
            "{wanted:?} missing from {decoded:?}"
        );
    }
    s.finish();

    // A client without snippet support gets plain text.
    let mut s = Session::start();
    s.request("initialize", json!({"capabilities": {}}));
    open(&mut s, TYPED, 1);
    let completion = s.request("textDocument/completion", at(15, 4));
    let items = completion["result"].as_array().expect("items");
    let snippet = items
        .iter()
        .find(|i| i["label"] == "match" && i["kind"] == json!(15))
        .expect("match snippet");
    assert_eq!(snippet["insertTextFormat"], json!(1), "{snippet}");
    assert!(
        snippet["insertText"]
            .as_str()
            .is_some_and(|t| !t.contains('$'))
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
            for method in ["textDocument/hover", "textDocument/definition", "textDocument/completion", "textDocument/signatureHelp"] {
                let reply = s.request(method, at(line, col));
                prop_assert!(reply.get("error").is_none(), "{method}: {reply}");
            }
            let fmt = s.request("textDocument/formatting",
                json!({"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}}));
            prop_assert!(fmt.get("error").is_none(), "{fmt}");
            let symbols = s.request("textDocument/documentSymbol", json!({"textDocument": {"uri": URI}}));
            prop_assert!(symbols.get("error").is_none(), "{symbols}");
            let tokens = s.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": URI}}));
            prop_assert!(tokens.get("error").is_none(), "{tokens}");
            let hints = s.request("textDocument/inlayHint", json!({"textDocument": {"uri": URI},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 400, "character": 0}}}));
            prop_assert!(hints.get("error").is_none(), "{hints}");
        }
        s.finish();
    }
}
