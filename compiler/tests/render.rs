//! Snapshot tests of diagnostic rendering: ariadne text (colour off) with
//! byte offsets on non-ASCII lines, secondary labels, notes and help; and JSON.

use avm_compiler::diagnostics::render::{ColorChoice, render, render_json};
use avm_compiler::diagnostics::{Code, Diagnostic, Label};
use avm_compiler::syntax::span::{SourceMap, Span};

fn sample() -> (SourceMap, Diagnostic) {
    let mut map = SourceMap::new();
    let src = "fn main() {\n    let café = \"naïve\" $ 1\n}\n";
    let file = map.add("sample.avm", src);
    let dollar = src.find('$').expect("sample has a dollar");
    let brace = src.find('{').expect("sample has a brace");
    let diag = Diagnostic::new(
        Code::E0101,
        "unknown character `$`",
        Label::new(
            file,
            Span::new(dollar, dollar + 1),
            "no token starts with this character",
        ),
    )
    .with_secondary(Label::new(
        file,
        Span::new(brace, brace + 1),
        "inside this block",
    ))
    .with_note("the lexer skips the character and continues")
    .with_help("remove it");
    (map, diag)
}

#[test]
fn ariadne_text_points_at_the_right_column_after_non_ascii() {
    let (map, diag) = sample();
    insta::assert_snapshot!(render(&diag, &map, ColorChoice::Off));
}

#[test]
fn colour_can_be_switched_on() {
    let (map, diag) = sample();
    assert!(render(&diag, &map, ColorChoice::On).contains('\u{1b}'));
    assert!(!render(&diag, &map, ColorChoice::Off).contains('\u{1b}'));
}

#[test]
fn json_output() {
    let (map, diag) = sample();
    insta::assert_snapshot!(render_json(&[diag], &map));
}
