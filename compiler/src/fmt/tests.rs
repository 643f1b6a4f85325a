//! Formatter unit tests: layout rules, comments, parentheses, idempotence.

use super::{FormatError, format_source};
use crate::syntax::parse;
use crate::syntax::pretty::print_module;
use crate::syntax::span::FileId;

fn fmt(src: &str) -> String {
    let out = format_source(FileId(0), src).expect("formats");
    let again = format_source(FileId(0), &out).expect("formatted text parses");
    assert_eq!(again, out, "formatting is idempotent");
    let tree = |s: &str| print_module(&parse(FileId(0), s).module.expect("parses"));
    assert_eq!(tree(&out), tree(src), "formatting keeps the program");
    out
}

#[test]
fn canonical_layout_of_a_function() {
    let src = "fn  f(x:Int)->Int{let y=x+1;if y>2{y}else{0}}";
    assert_eq!(
        fmt(src),
        "fn f(x: Int) -> Int {\n    let y = x + 1\n    if y > 2 { y } else { 0 }\n}\n"
    );
}

#[test]
fn parentheses_only_where_needed() {
    let src = "fn f(a: Int, b: Int) -> Int { ((a + b)) * (a - (b - 1)) + (-a) }";
    assert_eq!(
        fmt(src),
        "fn f(a: Int, b: Int) -> Int { (a + b) * (a - (b - 1)) + -a }\n"
    );
}

#[test]
fn struct_literals_in_conditions_keep_their_parentheses() {
    let src =
        "struct P { x: Int }\nfn f(p: P) -> Bool { if p == (P { x: 1 }) { true } else { false } }";
    let out = fmt(src);
    assert!(out.contains("if p == (P { x: 1 }) {"), "{out}");
}

#[test]
fn comments_stay_in_place() {
    let src = "// head\n\n/// Doc.\nfn f() -> Int { // opens\n    // before\n    let x = 1 // after x\n\n    /* block */\n    x\n    // at the end\n}\n// tail\n";
    let out = fmt(src);
    assert_eq!(
        out,
        "// head\n\n/// Doc.\nfn f() -> Int {\n    // opens\n    // before\n    let x = 1 // after x\n\n    /* block */\n    x\n    // at the end\n}\n// tail\n"
    );
}

#[test]
fn literals_keep_their_spelling() {
    let out = fmt("fn f() -> String { let n = 0xff\n \"a\\u{41}\" }");
    assert!(
        out.contains("0xff") && out.contains("\"a\\u{41}\""),
        "{out}"
    );
}

#[test]
fn match_arms_one_a_line() {
    let src = "enum E { A, B(Int) }\nfn f(e: E) -> Int { match e { E::A => 0, E::B(n) if n > 0 => { n }, E::B(_) => 1 } }";
    assert_eq!(
        fmt(src),
        "enum E {\n    A,\n    B(Int),\n}\nfn f(e: E) -> Int {\n    match e {\n        E::A => 0,\n        E::B(n) if n > 0 => { n },\n        E::B(_) => 1,\n    }\n}\n"
    );
}

#[test]
fn files_with_syntax_errors_are_refused() {
    match format_source(FileId(0), "fn f( {") {
        Err(FormatError::Syntax(d)) => assert!(!d.is_empty()),
        Ok(text) => panic!("formatted a broken file: {text}"),
    }
}

#[test]
fn stray_doc_comments_become_plain_comments() {
    let out = fmt("fn f() -> Int {\n    /// not a doc\n    1\n}\n");
    assert!(out.contains("    // not a doc\n"), "{out}");
}
