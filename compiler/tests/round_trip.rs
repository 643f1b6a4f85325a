//! Round trip: every valid corpus program, printed back as source by
//! `module_to_source`, parses again to the same tree (compared through the
//! span- and id-free tree printer), and printing is idempotent.

use avm_compiler::syntax::parse;
use avm_compiler::syntax::pretty::print_module;
use avm_compiler::syntax::source_printer::module_to_source;
use avm_compiler::syntax::span::FileId;

#[test]
fn valid_corpus_programs_round_trip() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/parse");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus directory exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name.starts_with("ok_") || name.starts_with("prog_")) && name.ends_with(".avm")
        })
        .collect();
    entries.sort();
    assert!(entries.len() > 40);
    for path in entries {
        let text = std::fs::read_to_string(&path).expect("readable");
        let first = parse(FileId(0), &text);
        let module = first.module.expect("valid corpus file parses");
        let printed = module_to_source(&module);
        let second = parse(FileId(0), &printed);
        assert!(
            second.diagnostics.is_empty(),
            "{}: printed source has diagnostics {:?}\n{printed}",
            path.display(),
            second.diagnostics
        );
        let reparsed = second.module.expect("printed source parses");
        assert_eq!(
            print_module(&module),
            print_module(&reparsed),
            "{}: tree changed\n{printed}",
            path.display()
        );
        assert_eq!(
            printed,
            module_to_source(&reparsed),
            "{}: not idempotent",
            path.display()
        );
    }
}

#[test]
fn printed_counter_program() {
    let src = include_str!("../../tests/corpus/parse/prog_counter.avm");
    let module = parse(FileId(0), src).module.expect("parses");
    insta::assert_snapshot!(module_to_source(&module));
}

/// Found by the 100,000-case property run: a parameterless closure as a
/// block's last statement printed as a line starting with `||`, which the
/// separator rule joins to the previous line.
#[test]
fn parameterless_closure_statement_round_trips() {
    let src = "fn work() -> Int { jobs += 1; || jobs }";
    let module = parse(FileId(0), src).module.expect("parses");
    let printed = module_to_source(&module);
    let reparsed = parse(FileId(0), &printed)
        .module
        .expect("printed source parses");
    assert_eq!(print_module(&module), print_module(&reparsed), "{printed}");
}
