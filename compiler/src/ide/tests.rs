//! Editor-intelligence unit tests: positions, lookup, hover, completion, diagnostics.

use super::*;
use crate::pipeline::NoSources;

const SRC: &str = "/// Adds one.\nfn inc(n: Int) -> Int { n + 1 }\n\nobject Counter {\n    state count: Int = 0\n    /// Bumps.\n    fn add(k: Int) -> Int {\n        let next = inc(count) + k\n        count = next\n        next\n    }\n}\n";

fn offset_of(needle: &str, nth: usize) -> usize {
    SRC.match_indices(needle).nth(nth).expect("needle").0
}

#[test]
fn positions_round_trip_with_utf16_columns() {
    let text = "let é = \"😀\"\nx";
    let index = LineIndex::new(text);
    let x = text.find('x').expect("x");
    assert_eq!(
        index.position(x),
        Position {
            line: 1,
            character: 0
        }
    );
    let quote = text.rfind('"').expect("quote");
    // `😀` is two UTF-16 units.
    assert_eq!(index.position(quote).character, 11);
    assert_eq!(index.offset(index.position(quote)), quote);
    assert_eq!(
        index.offset(Position {
            line: 9,
            character: 0
        }),
        text.len()
    );
    assert_eq!(index.position(10_000), index.position(text.len()));
}

#[test]
fn hover_shows_signature_and_doc() {
    let hover = hover_at(SRC, offset_of("inc(count)", 0)).expect("hover");
    assert!(hover.contains("fn inc(n: Int) -> Int"), "{hover}");
    assert!(hover.contains("Adds one."), "{hover}");
    let method = hover_at(SRC, offset_of("add", 0) + 1).expect("hover on a method");
    assert!(method.contains("Counter.fn add(k: Int) -> Int") && method.contains("Bumps."));
}

#[test]
fn definition_prefers_locals_in_scope() {
    let d = definition_at(SRC, offset_of("next", 2)).expect("definition");
    assert_eq!(d.kind, DeclarationKind::Local);
    assert_eq!(d.name_span.start as usize, offset_of("next", 0));
    let k = definition_at(SRC, offset_of("+ k", 0) + 2).expect("parameter");
    assert_eq!(k.kind, DeclarationKind::Parameter);
}

#[test]
fn references_skip_comments_and_strings() {
    let text = "fn f(x: Int) -> Int { x + x } // x\nfn g() -> String { \"x\" }";
    assert_eq!(references_at(text, text.find('x').expect("x")).len(), 3);
}

#[test]
fn completion_after_dot_lists_members() {
    let text = format!("{SRC}fn main() {{ let c = create Counter\n c. }}");
    let after_dot = text.rfind("c.").expect("dot") + 2;
    let labels: Vec<String> = completions_at(&text, after_dot)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(labels.contains(&"add".to_string()) && labels.contains(&"count".to_string()));
    assert!(!labels.contains(&"fn".to_string()));
    let top: Vec<String> = completions_at(&text, after_dot - 2)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(top.contains(&"inc".to_string()) && top.contains(&"while".to_string()));
}

#[test]
fn diagnostics_carry_code_range_and_help() {
    let text = "fn main() -> Int { undefined_name }";
    let diags = diagnostics("t.avm", text, &mut NoSources);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d.code, "E0301");
    assert_eq!(
        d.start.character as usize,
        text.find("undefined").expect("name")
    );
    assert!(d.message.contains("help:"), "{}", d.message);
    assert!(diagnostics("t.avm", SRC, &mut NoSources).is_empty());
}

#[test]
fn nothing_panics_on_broken_text() {
    let text = "fn f( { let = ; object O { fn";
    for offset in 0..=text.len() + 3 {
        let _ = hover_at(text, offset);
        let _ = definition_at(text, offset);
        let _ = references_at(text, offset);
        let _ = completions_at(text, offset);
    }
    let _ = diagnostics("t.avm", text, &mut NoSources);
}

/// A program that type-checks, for the checker-based features.
const TYPED: &str = "/// A point.\nstruct Point {\n    /// Across.\n    x: Int,\n    y: Int,\n}\n\n/// Adds one.\nfn inc(n: Int) -> Int { n + 1 }\n\nfn add3(a: Int, b: Int, c: Int) -> Int { a + b + c }\n\nobject Counter {\n    state count: Int = 0\n    /// Bumps.\n    fn add(k: Int) -> Int {\n        count = count + k\n        count\n    }\n}\n\nfn main() -> Int {\n    let c = create Counter\n    let p = Point { x: 1, y: 2 }\n    let xs = [p.x, inc(2)]\n    let total = c.add(add3(1, 2, 3))\n    total + len(xs)\n}\n";

fn typed_offset(needle: &str, nth: usize) -> usize {
    TYPED.match_indices(needle).nth(nth).expect("needle").0
}

fn typed_hover_at(offset: usize) -> String {
    let a = analyze("t.avm", TYPED, &mut NoSources);
    assert_eq!(a.typing, Typing::Clean, "{:?}", a.diagnostics);
    hover(&a, TYPED, offset).expect("hover")
}

#[test]
fn hover_shows_checked_types_of_locals_and_fields() {
    // `xs` at its use in `len(xs)`: an inferred list type.
    let xs = typed_hover_at(typed_offset("xs)", 0));
    assert!(xs.contains("let xs: List[Int]"), "{xs}");
    // `p` at its binding.
    let p = typed_hover_at(typed_offset("let p", 0) + 4);
    assert!(p.contains("let p: Point"), "{p}");
    let field = typed_hover_at(typed_offset("p.x", 0) + 2);
    assert!(
        field.contains("Point.x: Int") && field.contains("Across."),
        "{field}"
    );
    let param = typed_hover_at(typed_offset("n + 1", 0));
    assert!(param.contains("n: Int"), "{param}");
}

#[test]
fn hover_on_a_method_call_uses_the_receivers_object() {
    let m = typed_hover_at(typed_offset("add(add3", 0) + 1);
    assert!(m.contains("Counter.fn add(k: Int) -> Int"), "{m}");
    assert!(m.contains("Bumps."), "{m}");
    let f = typed_hover_at(typed_offset("inc(2)", 0));
    assert!(
        f.contains("fn inc(n: Int) -> Int") && f.contains("Adds one."),
        "{f}"
    );
    let builtin = typed_hover_at(typed_offset("len(", 0));
    assert!(builtin.contains("len"), "{builtin}");
}

fn labels(items: &[complete::Item]) -> Vec<&str> {
    items.iter().map(|i| i.completion.label.as_str()).collect()
}

#[test]
fn completion_after_dot_follows_the_receivers_type() {
    // `c.` on an object reference: its methods with their signatures, not the struct fields.
    let text = TYPED.replace("    total + len(xs)\n", "    c.\n    total\n");
    let at = text.find("c.\n").expect("dot") + 2;
    let items = completions("t.avm", &text, at, &mut NoSources, Snippets::Supported);
    assert_eq!(labels(&items), vec!["add"], "{items:?}");
    assert_eq!(items[0].completion.detail, "Counter.fn add(k: Int) -> Int");
    // `p.` on a struct: its fields with their types.
    let text = TYPED.replace("    total + len(xs)\n", "    p.y\n");
    let at = text.find("p.y").expect("dot") + 2;
    let items = completions("t.avm", &text, at, &mut NoSources, Snippets::Supported);
    assert_eq!(labels(&items), vec!["x", "y"], "{items:?}");
    assert_eq!(items[1].completion.detail, "Point.y: Int");
}

#[test]
fn completion_shows_checked_types_of_locals_and_snippets() {
    let at = typed_offset("total + len", 0);
    let items = completions("t.avm", TYPED, at, &mut NoSources, Snippets::Supported);
    let xs = items
        .iter()
        .find(|i| i.completion.label == "xs")
        .expect("xs");
    assert_eq!(xs.completion.detail, "xs: List[Int]");
    let snippet = items
        .iter()
        .find(|i| i.completion.label == "while" && i.completion.kind == CompletionKind::Snippet)
        .expect("while snippet");
    assert_eq!(
        snippet.insert.as_deref(),
        Some("while ${1:condition} {\n    $0\n}")
    );
    assert!(snippet.snippet);
    let plain = completions("t.avm", TYPED, at, &mut NoSources, Snippets::PlainText);
    let fn_item = plain
        .iter()
        .find(|i| i.completion.label == "fn" && i.completion.kind == CompletionKind::Snippet)
        .expect("fn snippet");
    assert_eq!(
        fn_item.insert.as_deref(),
        Some("fn name(x: Int) -> Int {\n    x\n}")
    );
    assert!(!fn_item.snippet);
    for (label, _, body) in complete::SNIPPETS {
        let plain = complete::plain_snippet(body);
        assert!(!plain.contains('$'), "{label}: {plain}");
    }
}

#[test]
fn snippets_expand_to_code_that_parses() {
    for (label, _, body) in complete::SNIPPETS {
        let code = complete::plain_snippet(body);
        let program = if matches!(*label, "fn" | "object") {
            code
        } else {
            format!(
                "fn main() {{\n    let condition = true\n    let value = some(1)\n    let n = 2\n    {code}\n}}\n"
            )
        };
        let parsed = crate::syntax::parse(crate::syntax::span::FileId(0), &program);
        assert!(
            parsed.diagnostics.is_empty(),
            "{label}: {program}\n{:?}",
            parsed.diagnostics
        );
    }
}

#[test]
fn signature_help_marks_the_active_parameter() {
    let at = typed_offset("3))", 0);
    let h = signature_help("t.avm", TYPED, at, &mut NoSources).expect("help");
    assert_eq!(h.label, "fn add3(a: Int, b: Int, c: Int) -> Int");
    assert_eq!(h.active, 2);
    assert_eq!(&h.label[h.params[2].0..h.params[2].1], "c: Int");
    // Inside the method call, before its argument: the method's signature.
    let h = signature_help("t.avm", TYPED, typed_offset("add3(1", 0), &mut NoSources)
        .expect("method help");
    assert_eq!(h.label, "Counter.fn add(k: Int) -> Int");
    assert_eq!(h.doc.as_deref().map(str::trim), Some("Bumps."));
    // A call still being typed: no `)` yet.
    let text = TYPED.replace("    total + len(xs)\n", "    inc(\n");
    let at = text.find("inc(\n").expect("call") + 4;
    let h = signature_help("t.avm", &text, at, &mut NoSources).expect("open call");
    assert_eq!((h.label.as_str(), h.active), ("fn inc(n: Int) -> Int", 0));
}

#[test]
fn semantic_tokens_classify_by_resolution() {
    let a = analyze("t.avm", TYPED, &mut NoSources);
    let tokens = semantic_tokens(&a, TYPED);
    let kind_at = |needle: &str, nth: usize| {
        let at = typed_offset(needle, nth);
        tokens
            .iter()
            .find(|t| t.start == at)
            .map(|t| t.kind)
            .unwrap_or_else(|| panic!("no token at {needle}"))
    };
    assert_eq!(kind_at("/// A point.", 0), TokenKind::Comment);
    assert_eq!(kind_at("struct", 0), TokenKind::Keyword);
    assert_eq!(kind_at("Point", 0), TokenKind::Type);
    assert_eq!(kind_at("x: Int", 0), TokenKind::Property);
    assert_eq!(kind_at("Int", 0), TokenKind::Type);
    assert_eq!(kind_at("inc(n", 0), TokenKind::Function);
    assert_eq!(kind_at("n + 1", 0), TokenKind::Parameter);
    assert_eq!(kind_at("count + k", 0), TokenKind::Property);
    assert_eq!(kind_at("add(k", 0), TokenKind::Method);
    assert_eq!(kind_at("add(add3", 0), TokenKind::Method);
    assert_eq!(kind_at("xs = ", 0), TokenKind::Variable);
    assert_eq!(kind_at("1, y: 2", 0), TokenKind::Number);
    assert_eq!(kind_at("len(", 0), TokenKind::Function);
    // One line each, in order.
    assert!(tokens.windows(2).all(|w| w[0].end <= w[1].start));
    let comments = "fn f() { } // trailing\n/* block\n   two lines */";
    let a = analyze("t.avm", comments, &mut NoSources);
    let tokens = semantic_tokens(&a, comments);
    let texts: Vec<&str> = tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Comment)
        .map(|t| &comments[t.start..t.end])
        .collect();
    assert_eq!(texts, vec!["// trailing", "/* block", "   two lines */"]);
    let encoded = tokens::encode(comments, &tokens);
    assert_eq!(encoded[0], [0, 0, 2, TokenKind::Keyword.index(), 0]);
}

#[test]
fn inlay_hints_show_inferred_let_types() {
    let a = analyze("t.avm", TYPED, &mut NoSources);
    let hints = inlay_hints(&a);
    let at = |needle: &str| {
        let end = typed_offset(needle, 0) + needle.len();
        hints
            .iter()
            .find(|h| h.offset == end)
            .map(|h| h.label.clone())
    };
    assert_eq!(at("let c").as_deref(), Some(": Ref[Counter]"));
    assert_eq!(at("let xs").as_deref(), Some(": List[Int]"));
    assert_eq!(at("let total").as_deref(), Some(": Int"));
    assert_eq!(hints.len(), 4, "{hints:?}");
}

#[test]
fn typed_features_do_not_panic_on_broken_text() {
    let text = "fn f( { let = ; object O { fn c.( inc(";
    for offset in 0..=text.len() + 3 {
        let a = analyze("t.avm", text, &mut NoSources);
        let _ = hover(&a, text, offset);
        let _ = completions("t.avm", text, offset, &mut NoSources, Snippets::Supported);
        let _ = signature_help("t.avm", text, offset, &mut NoSources);
        let _ = semantic_tokens(&a, text);
        let _ = inlay_hints(&a);
    }
}
