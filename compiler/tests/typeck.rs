//! Type checking: rendered diagnostics of every `tests/corpus/typeck`
//! error and warning case (source and output in one snapshot, colour off),
//! and tests of the typed program's side tables.

use std::collections::BTreeMap;

use avm_compiler::diagnostics::render::{ColorChoice, render_all};
use avm_compiler::resolve::{Builtin, ModuleIdx};
use avm_compiler::syntax::ast::{ExprKind, FnKind, ItemKind, StmtKind};
use avm_compiler::syntax::span::SourceMap;
use avm_compiler::typeck::{CallInfo, CheckOutcome, RefTarget, Type, check_source};

fn check_text(name: &str, text: &str) -> (CheckOutcome, SourceMap) {
    let mut map = SourceMap::new();
    let outcome = check_source(&mut map, name, text, BTreeMap::new());
    (outcome, map)
}

#[test]
fn typeck_error_cases_render_stably() {
    insta::glob!("../../tests/corpus/typeck", "{err,warn}_*.avm", |path| {
        let text = std::fs::read_to_string(path).expect("corpus file is readable");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (outcome, map) = check_text(&name, &text);
        let rendered = render_all(&outcome.diagnostics, &map, ColorChoice::Off);
        insta::assert_snapshot!(format!(
            "--- source ---\n{text}--- diagnostics ---\n{rendered}"
        ));
    });
}

#[test]
fn every_error_has_a_help_line() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus");
    for stage in ["resolve", "typeck"] {
        for entry in std::fs::read_dir(dir.join(stage)).expect("corpus dir exists") {
            let path = entry.expect("dir entry").path();
            let text = std::fs::read_to_string(&path).expect("readable");
            let (outcome, _) = check_text("t.avm", &text);
            for d in &outcome.diagnostics {
                assert!(
                    d.help.is_some(),
                    "{}: {} has no help",
                    path.display(),
                    d.code
                );
                assert!(
                    !d.primary.text.is_empty(),
                    "{}: {} has an empty label",
                    path.display(),
                    d.code
                );
            }
        }
    }
}

const COUNTER: &str = "object Counter {
    state count: Int = 0
    fn add(n: Int) -> Int {
        count = count + n
        count
    }
}
pure fn gcd(a: Int, b: Int) -> Int { if b == 0 { a } else { gcd(b, a % b) } }
fn main() -> Int {
    let c = create Counter
    let r = try c.add(5)
    let xs = [1, 2]
    print(len(xs))
    gcd(4, 6)
}
";

#[test]
fn typed_program_records_types_and_calls() {
    let mut map = SourceMap::new();
    let module_text = COUNTER;
    let outcome = check_source(&mut map, "counter.avm", module_text, BTreeMap::new());
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let typed = outcome.typed;
    // Re-parse to walk the same AST (node ids are deterministic).
    let parsed = avm_compiler::syntax::parse(avm_compiler::syntax::span::FileId(0), module_text);
    let module = parsed.module.expect("parses");
    let ItemKind::Fn(main) = &module.items[2].kind else {
        panic!("third item is main");
    };
    let m = ModuleIdx(0);
    let lets: Vec<_> = main
        .body
        .stmts
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::Let { pattern, init, .. } => Some((pattern, init)),
            _ => None,
        })
        .collect();
    let object = avm_compiler::resolve::ObjectDefId(0);
    // let c = create Counter
    assert_eq!(
        typed.type_of(m, lets[0].0.id),
        Some(&Type::Ref(RefTarget::Object(object)))
    );
    assert_eq!(
        typed.call(m, lets[0].1.id),
        Some(&CallInfo::Create { object })
    );
    // let r = try c.add(5): Option[Int], and the inner call is method 0 of Counter.
    assert_eq!(
        typed.type_of(m, lets[1].0.id),
        Some(&Type::option(Type::Int))
    );
    let ExprKind::Try(inner) = &lets[1].1.kind else {
        panic!("try");
    };
    assert_eq!(
        typed.call(m, inner.id),
        Some(&CallInfo::Method { object, method: 0 })
    );
    // let xs = [1, 2]
    assert_eq!(typed.type_of(m, lets[2].0.id), Some(&Type::list(Type::Int)));
    // print(len(xs)) is a builtin call; gcd(4, 6) is a pure call.
    let StmtKind::Expr(print) = &main.body.stmts[3].kind else {
        panic!("print statement");
    };
    assert_eq!(
        typed.call(m, print.id),
        Some(&CallInfo::Builtin(Builtin::Print))
    );
    let tail = main.body.tail.as_ref().expect("tail");
    assert!(matches!(
        typed.call(m, tail.id),
        Some(CallInfo::Fn {
            kind: FnKind::Pure,
            ..
        })
    ));
    assert_eq!(typed.type_of(m, tail.id), Some(&Type::Int));
}

#[test]
fn into_result_keeps_warnings_out_of_the_error_path() {
    let text = "fn f(n: Int) -> Int { match n { _ => 0, 1 => 2 } }\n";
    let (outcome, _) = check_text("w.avm", text);
    assert!(!outcome.has_errors());
    assert_eq!(outcome.diagnostics.len(), 1);
    assert!(outcome.into_result().is_ok());
    let (outcome, _) = check_text("e.avm", "fn f() -> Int { true }\n");
    assert!(outcome.into_result().is_err());
}

#[test]
fn unsolved_expression_types_default_to_unit() {
    let (outcome, _) = check_text("u.avm", "fn main() { print(none) }\n");
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let has_var = outcome.typed.modules[0].types.values().any(Type::has_vars);
    assert!(!has_var);
}

/// Issue 12: `let x1 = (x0, x0)` … doubles a type's written-out size each line. Types share
/// their parts, so 60 such lines check with a type of 60 distinct parts (written out it would
/// have 2^61 nodes), and a diagnostic shows it cut to a bounded length.
#[test]
fn doubling_tuples_share_their_types() {
    let mut src = String::from("fn main() -> Int {\n  let x0 = 1\n");
    for i in 1..=60 {
        src.push_str(&format!("  let x{i} = (x{}, x{})\n", i - 1, i - 1));
    }
    let ok = format!("{src}  0\n}}\n");
    let (outcome, _) = check_text("t.avm", &ok);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let types = &outcome.typed.modules[0].types;
    let largest = types.values().map(Type::distinct_parts).max().unwrap_or(0);
    assert_eq!(largest, 60, "the type of x60 has one shared part per line");
    let bad = format!("{src}  x60\n}}\n");
    let (outcome, map) = check_text("t.avm", &bad);
    let rendered = render_all(&outcome.diagnostics, &map, ColorChoice::Off);
    assert!(
        rendered.contains("E0401") && rendered.contains('…'),
        "{rendered}"
    );
    assert!(rendered.len() < 2_000, "{} bytes", rendered.len());
}
