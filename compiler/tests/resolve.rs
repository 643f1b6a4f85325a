//! Name resolution: rendered diagnostics of every `tests/corpus/resolve`
//! error case (source and output in one snapshot, colour off), plus
//! multi-module and side-table tests.

use std::collections::BTreeMap;

use avm_compiler::diagnostics::Code;
use avm_compiler::diagnostics::render::{ColorChoice, render_all};
use avm_compiler::resolve::{self, ItemDef, Program, Res};
use avm_compiler::syntax::ast::{ExprKind, ItemKind, StmtKind};
use avm_compiler::syntax::parse;
use avm_compiler::syntax::span::SourceMap;
use avm_compiler::typeck::check_source;

fn resolve_text(name: &str, text: &str) -> String {
    let mut map = SourceMap::new();
    let file = map.add(name, text);
    let parsed = parse(file, text);
    let mut diags = parsed.diagnostics;
    if let Some(module) = parsed.module {
        diags.extend(resolve::resolve(&Program::single(module)).diagnostics);
    }
    render_all(&diags, &map, ColorChoice::Off)
}

#[test]
fn resolve_error_cases_render_stably() {
    insta::glob!("../../tests/corpus/resolve", "{err,warn}_*.avm", |path| {
        let text = std::fs::read_to_string(path).expect("corpus file is readable");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let rendered = resolve_text(&name, &text);
        insta::assert_snapshot!(format!(
            "--- source ---\n{text}--- diagnostics ---\n{rendered}"
        ));
    });
}

#[test]
fn imported_module_items_are_visible_unqualified_and_qualified() {
    let mut modules = BTreeMap::new();
    modules.insert(
        "shapes.point".to_string(),
        "struct Point { x: Int, y: Int }\npure fn origin() -> Point { Point { x: 0, y: 0 } }\n"
            .to_string(),
    );
    let root = "import shapes.point\nfn main() -> Int {\n    let p = origin()\n    let q = point::origin()\n    let r: point::Point = Point { x: 1, y: 2 }\n    p.x + q.y + r.x\n}\n";
    let mut map = SourceMap::new();
    let outcome = check_source(&mut map, "main.avm", root, modules);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    assert_eq!(outcome.typed.modules.len(), 2);
}

#[test]
fn missing_user_module_is_reported_at_the_import() {
    let mut map = SourceMap::new();
    let outcome = check_source(
        &mut map,
        "main.avm",
        "import geometry\nfn main() {}\n",
        BTreeMap::new(),
    );
    let codes: Vec<Code> = outcome.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::E0303]);
    assert_eq!(outcome.diagnostics[0].primary.span.start, 7);
}

#[test]
fn import_cycles_terminate() {
    let mut modules = BTreeMap::new();
    modules.insert(
        "a".to_string(),
        "import b\npure fn fa() -> Int { fb() }\n".to_string(),
    );
    modules.insert(
        "b".to_string(),
        "import a\npure fn fb() -> Int { 1 }\n".to_string(),
    );
    let mut map = SourceMap::new();
    let outcome = check_source(
        &mut map,
        "main.avm",
        "import a\nfn main() -> Int { fa() }\n",
        modules,
    );
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    assert_eq!(outcome.typed.modules.len(), 3);
}

#[test]
fn side_table_maps_uses_to_definitions() {
    let text = "object C { state n: Int = 0\n fn get() -> Int { n } }\nfn f(k: Int) -> Int { let m = k; m + len([]) }\n";
    let parsed = parse(avm_compiler::syntax::span::FileId(0), text);
    let module = parsed.module.expect("parses");
    let program = Program::single(module);
    let resolution = resolve::resolve(&program);
    assert!(
        resolution.diagnostics.is_empty(),
        "{:?}",
        resolution.diagnostics
    );
    let table = &resolution.modules[0];
    // `n` inside `get` is state field 0 of object 0.
    let ItemKind::Object(obj) = &program.modules[0].module.items[0].kind else {
        panic!("first item is the object");
    };
    let avm_compiler::syntax::ast::ObjectMember::Method(get) = &obj.members[1] else {
        panic!("second member is the method");
    };
    let tail = get.body.tail.as_ref().expect("method has a tail");
    assert!(matches!(
        table.res.get(&tail.id),
        Some(Res::StateField { index: 0, .. })
    ));
    // In `f`, `m` refers to the `let` binder and `len` to the prelude.
    let ItemKind::Fn(f) = &program.modules[0].module.items[1].kind else {
        panic!("second item is the function");
    };
    let StmtKind::Let { pattern, .. } = &f.body.stmts[0].kind else {
        panic!("first statement is a let");
    };
    let tail = f.body.tail.as_ref().expect("function has a tail");
    let ExprKind::Binary { lhs, rhs, .. } = &tail.kind else {
        panic!("tail is a sum");
    };
    assert_eq!(table.res.get(&lhs.id), Some(&Res::Local(pattern.id)));
    let ExprKind::Call { callee, .. } = &rhs.kind else {
        panic!("rhs is a call");
    };
    assert_eq!(
        table.res.get(&callee.id),
        Some(&Res::Builtin(resolve::Builtin::Len))
    );
    assert!(matches!(
        resolution.defs.modules[0].items.get("C"),
        Some(ItemDef::Object(_))
    ));
}
