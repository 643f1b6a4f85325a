//! No input panics through every stage: mutated, truncated and spliced
//! programs go through parsing, name resolution and type checking (and the
//! renderer); each run must end in a typed program or in error
//! diagnostics, every error with a help line and every span inside its file.
//! Also: the deepest nesting the parser accepts type-checks without
//! overflowing the stack of a test thread.
//!
//! Cases default to 100,000 (about 45 s in a debug build; `AVM_PROPTEST_CASES` changes them).

use std::collections::BTreeMap;

use avm_compiler::diagnostics::render::{ColorChoice, render_all};
use avm_compiler::syntax::span::SourceMap;
use avm_compiler::typeck::check_source;
use proptest::prelude::*;

const PROGRAMS: &[&str] = &[
    include_str!("../../tests/corpus/typeck/ok_counter.avm"),
    include_str!("../../tests/corpus/typeck/ok_ping_pong.avm"),
    include_str!("../../tests/corpus/typeck/ok_transactions.avm"),
    include_str!("../../tests/corpus/typeck/ok_closures_and_prelude.avm"),
    include_str!("../../tests/corpus/typeck/ok_enum_with_all_variant_shapes.avm"),
    include_str!("../../tests/corpus/typeck/ok_generic_enum.avm"),
    include_str!("../../tests/corpus/typeck/ok_fd_constraints.avm"),
    include_str!("../../tests/corpus/typeck/ok_reflection_in_unsafe.avm"),
    include_str!("../../tests/corpus/typeck/ok_match_over_bool_tuple_list_option.avm"),
    include_str!("../../tests/corpus/typeck/ok_battleship_board.avm"),
    include_str!("../../tests/corpus/typeck/ok_cast_from_any.avm"),
    include_str!("../../tests/corpus/typeck/ok_objects_destroy_machines_controllers.avm"),
];

const FRAGMENTS: &[&str] = &[
    "x",
    "n",
    "c",
    "self",
    "sender",
    "input",
    "none",
    "some(",
    "Counter",
    "Int",
    "List[",
    "Ref[",
    "Any]",
    "Option[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "[",
    "0",
    "1",
    "\"s\"",
    "true",
    "+",
    "==",
    "++",
    "&&",
    ".",
    "..",
    ",",
    ":",
    "::",
    "=>",
    "=",
    "|x|",
    "let ",
    "var ",
    "fn ",
    "pure ",
    "unsafe ",
    "match ",
    "if ",
    "else ",
    "for ",
    "in ",
    "while ",
    "break",
    "continue",
    "return ",
    "abort",
    "reject",
    "try ",
    "atomic ",
    "create ",
    "destroy ",
    "as ",
    "post ",
    "require ",
    "_",
    "\n",
    ";",
    "len(",
    "map(",
    "print(",
    "fd_vars(",
    "reflect(",
    "Sunk(",
    "Shot::",
    "Cell::Empty",
];

fn run(src: &str) {
    let mut map = SourceMap::new();
    let outcome = check_source(&mut map, "fuzz.avm", src, BTreeMap::new());
    for d in &outcome.diagnostics {
        for label in std::iter::once(&d.primary).chain(&d.secondary) {
            let len = map.get(label.file).map_or(0, |f| f.text.len());
            assert!(
                label.span.end as usize <= len,
                "span outside text: {src:?}\n{d:?}"
            );
        }
        assert!(
            d.help.is_some() || !d.is_error(),
            "error without help: {d:?}"
        );
    }
    let _ = render_all(&outcome.diagnostics, &map, ColorChoice::Off);
}

fn cut(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn source() -> impl Strategy<Value = String> {
    let truncated = (prop::sample::select(PROGRAMS), any::<usize>())
        .prop_map(|(p, at)| p[..cut(p, at)].to_string());
    let spliced = (
        prop::sample::select(PROGRAMS),
        any::<usize>(),
        prop::sample::select(PROGRAMS),
        any::<usize>(),
    )
        .prop_map(|(a, i, b, j)| format!("{}{}", &a[..cut(a, i)], &b[cut(b, j)..]));
    let mutated = (
        prop::sample::select(PROGRAMS),
        prop::collection::vec((any::<usize>(), prop::sample::select(FRAGMENTS)), 1..4),
    )
        .prop_map(|(p, edits)| {
            let mut text = p.to_string();
            for (at, frag) in edits {
                let at = cut(&text, at);
                text.insert_str(at, frag);
            }
            text
        });
    let deleted =
        (prop::sample::select(PROGRAMS), any::<usize>(), 1usize..40).prop_map(|(p, at, n)| {
            let start = cut(p, at);
            let end = cut(p, (start + n).min(p.len()));
            let end = end.max(start);
            format!("{}{}", &p[..start], &p[end..])
        });
    prop_oneof![truncated, spliced, mutated, deleted]
}

fn cases() -> u32 {
    std::env::var("AVM_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn no_stage_panics(src in source()) {
        run(&src);
    }
}

#[test]
fn every_corpus_program_checks_without_panicking() {
    for p in PROGRAMS {
        run(p);
    }
}

#[test]
fn deepest_accepted_nesting_does_not_overflow() {
    // 250 nested blocks, parentheses, lists and matches: below the parser's
    // limit of 256, so all of it reaches the type checker.
    let depth = 240;
    let blocks = format!(
        "fn a() -> Int {{ {}1{} }}\n",
        "{ ".repeat(depth),
        " }".repeat(depth)
    );
    let parens = format!(
        "fn b() -> Int {{ {}1{} }}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let lists = format!(
        "fn c() {{ let x = {}1{} }}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let sums = format!("fn d() -> Int {{ 1{} }}\n", " + 1".repeat(depth));
    let ifs = format!(
        "fn e() -> Int {{ {}1{} }}\n",
        "if true { ".repeat(depth / 2),
        " } else { 0 }".repeat(depth / 2)
    );
    for src in [blocks, parens, lists, sums, ifs] {
        run(&src);
    }
}
