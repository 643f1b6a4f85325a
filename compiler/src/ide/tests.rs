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
