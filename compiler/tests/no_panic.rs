//! No input panics: random and mutated sources go through the lexer, the
//! module parser, the REPL parser and both diagnostic renderers, and each run must end in an AST or
//! in error diagnostics, with every span inside the text.
//!
//! The number of generated cases defaults to 10,000 and can be raised with
//! `AVM_PROPTEST_CASES=100000`. A deterministic test also parses every prefix
//! of every full corpus program.

use avm_compiler::diagnostics::render::{ColorChoice, render_all, render_json};
use avm_compiler::syntax::pretty::print_module;
use avm_compiler::syntax::source_printer::module_to_source;
use avm_compiler::syntax::span::SourceMap;
use avm_compiler::syntax::{parse, parse_repl};
use proptest::prelude::*;

const PROGRAMS: &[&str] = &[
    include_str!("../../tests/corpus/parse/prog_counter.avm"),
    include_str!("../../tests/corpus/parse/prog_ping_pong.avm"),
    include_str!("../../tests/corpus/parse/prog_bank.avm"),
    include_str!("../../tests/corpus/parse/prog_battleship.avm"),
    include_str!("../../tests/corpus/parse/prog_nqueens.avm"),
    include_str!("../../tests/corpus/parse/prog_matchmaking.avm"),
    include_str!("../../tests/corpus/parse/prog_reflection.avm"),
    include_str!("../../tests/corpus/parse/prog_distribution.avm"),
];

const FRAGMENTS: &[&str] = &[
    "object",
    "state",
    "init",
    "fn",
    "pure",
    "unsafe",
    "struct",
    "enum",
    "import",
    "let",
    "var",
    "if",
    "else",
    "match",
    "while",
    "for",
    "in",
    "break",
    "continue",
    "return",
    "create",
    "by",
    "destroy",
    "try",
    "atomic",
    "abort",
    "reject",
    "update",
    "register",
    "self",
    "sender",
    "input",
    "true",
    "false",
    "none",
    "some",
    "teleport",
    "move",
    "to",
    "fetch",
    "transfer",
    "freeze",
    "post",
    "require",
    "as",
    "x",
    "Counter",
    "Int",
    "List",
    "_",
    "0",
    "42",
    "0xff",
    "0b2",
    "99999999999999999999",
    "9223372036854775808",
    "\"s\"",
    "\"\\q\"",
    "\"open",
    "+",
    "-",
    "*",
    "/",
    "%",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "&&",
    "||",
    "!",
    "++",
    "=",
    "+=",
    "-=",
    "*=",
    "->",
    "=>",
    ".",
    "..",
    "..=",
    ",",
    ":",
    "::",
    ";",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "|",
    "#",
    "$",
    "é",
    "\n",
    "\n",
    "\n",
    "//c\n",
    "/* c */",
    "/*",
    "*/",
    "///d\n",
];

fn check(src: &str) {
    check_with(src, Rendering::Both);
}

/// Whether `check_with` also renders the diagnostics (slow on huge lines).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rendering {
    Both,
    Skipped,
}

fn check_with(src: &str, rendering: Rendering) {
    let mut map = SourceMap::new();
    let file = map.add("fuzz.avm", src);
    let result = parse(file, src);
    assert!(
        result.module.is_some() || result.has_errors(),
        "no AST and no error for {src:?}"
    );
    for d in &result.diagnostics {
        for label in std::iter::once(&d.primary).chain(&d.secondary) {
            assert!(
                label.span.end as usize <= src.len(),
                "span outside text: {src:?}"
            );
        }
        assert!(
            d.help.is_some() || !d.is_error(),
            "error without help: {d:?}"
        );
    }
    // Whatever parses cleanly must survive printing back to source.
    if let (Some(module), true) = (&result.module, result.diagnostics.is_empty()) {
        let printed = module_to_source(module);
        let again = parse(file, &printed);
        assert!(
            again.diagnostics.is_empty(),
            "printed source fails: {printed:?}"
        );
        let reparsed = again.module.expect("printed source parses");
        assert_eq!(
            print_module(module),
            print_module(&reparsed),
            "round trip of {src:?}"
        );
    }
    let repl = parse_repl(file, src);
    assert!(
        repl.entries.is_some() || avm_compiler::diagnostics::has_errors(&repl.diagnostics),
        "REPL parse: no entries and no error for {src:?}"
    );
    if rendering == Rendering::Both {
        let _ = render_all(&result.diagnostics, &map, ColorChoice::Off);
        let _ = render_json(&result.diagnostics, &map);
    }
}

fn cases() -> u32 {
    std::env::var("AVM_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

fn cut(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn source() -> impl Strategy<Value = String> {
    let soup = prop::collection::vec(
        (
            prop::sample::select(FRAGMENTS),
            prop::sample::select(&[" ", "", "\n"][..]),
        ),
        0..80,
    )
    .prop_map(|parts| parts.into_iter().map(|(a, b)| format!("{a}{b}")).collect());
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
        any::<usize>(),
        prop::sample::select(FRAGMENTS),
    )
        .prop_map(|(p, at, frag)| {
            let at = cut(p, at);
            format!("{}{}{}", &p[..at], frag, &p[at..])
        });
    let bytes = prop::collection::vec(any::<u8>(), 0..200)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned());
    prop_oneof![soup, truncated, spliced, mutated, bytes]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_and_mutated_sources_never_panic(src in source()) {
        check(&src);
    }
}

#[test]
fn every_prefix_of_every_program_is_handled() {
    for program in PROGRAMS {
        for (at, _) in program.char_indices().step_by(7) {
            check(&program[..at]);
        }
    }
}

#[test]
fn full_programs_parse_without_diagnostics() {
    for program in PROGRAMS {
        let result = parse(avm_compiler::syntax::span::FileId(0), program);
        assert!(result.module.is_some());
        assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
    }
}

#[test]
fn absurdly_deep_nesting_is_an_error_not_a_stack_overflow() {
    let n = 20_000;
    let inputs = [
        format!("fn f() {{ {}1 }}", "-".repeat(n)),
        format!("fn f() {{ {}1 }}", "!".repeat(n)),
        format!("fn f() {{ 1{} }}", " + 1".repeat(n)),
        format!("fn f() {{ {}1{} }}", "(".repeat(n), ")".repeat(n)),
        format!("fn f() {{ {}1{} }}", "[".repeat(n), "]".repeat(n)),
        format!("fn f() {{ {}1{} }}", "{".repeat(n), "}".repeat(n)),
        format!("fn f() {{ {}1{} }}", "f(".repeat(n), ")".repeat(n)),
        format!("fn f() {{ x{} }}", ".y".repeat(n)),
        format!("fn f(x: {}Int{}) {{ }}", "List[".repeat(n), "]".repeat(n)),
        format!("fn f() {{ let {}x{} = 1 }}", "[".repeat(n), "]".repeat(n)),
        format!("fn f() {{ {}1 }}", "try ".repeat(n)),
        format!("fn f() {{ {} }}", "if x { ".repeat(n / 10)),
    ];
    for src in &inputs {
        check_with(src, Rendering::Skipped);
    }
    let deep = parse(avm_compiler::syntax::span::FileId(0), &inputs[0]);
    assert!(
        deep.diagnostics
            .iter()
            .any(|d| d.code == avm_compiler::diagnostics::Code::E0205)
    );
}
