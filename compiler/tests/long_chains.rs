//! Long left-associative operator chains (`1 + 1 + … + 1` with thousands of operators) compile
//! and run on both engines on a 2 MiB thread in a debug build, with the value the nested chain
//! has; deep nesting and over-long chains are E0205 (not a stack overflow).

use avm_compiler::diagnostics::Code;
use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{NoSources, Stage, compile};
use avm_vm::itree::RunConfig;

#[path = "support/small_stack.rs"]
mod small_stack;
use small_stack::{on_small_stack, run_both};

/// The codes of the diagnostics of `src` up to type checking.
fn codes(src: String) -> Vec<Code> {
    on_small_stack(move || {
        let out = compile(
            "t.avm",
            &src,
            &mut NoSources,
            Stage::Typed,
            &LowerOptions::default(),
        );
        out.diagnostics.iter().map(|d| d.code).collect()
    })
}

#[test]
fn a_chain_of_ten_thousand_additions_runs_on_both_engines() {
    let src = format!("fn main() -> Int {{ 1{} }}", " + 1".repeat(10_000));
    assert_eq!(run_both(src), "10001");
}

#[test]
fn a_mixed_chain_keeps_left_to_right_order_and_precedence() {
    // `- 3 + 2 * 2` per step: each step subtracts 3 and adds 4, so +1 per step; a final
    // comparison and `&&` join the chain's value.
    let steps = 5_000;
    let src = format!(
        "fn main() -> Bool {{ 0{} == {steps} && true }}",
        " - 3 + 2 * 2".repeat(steps)
    );
    assert_eq!(run_both(src), "true");
    // Subtraction is not associative: a regrouped chain would give 100 - (1 - 1 - …).
    let src = format!("fn main() -> Int {{ 100{} }}", " - 1".repeat(9_000));
    assert_eq!(run_both(src), (100 - 9_000).to_string());
}

#[test]
fn a_long_concatenation_chain_and_a_short_circuit_chain_run() {
    let src = format!(
        "fn main() -> String {{ \"\"{} }}",
        " ++ \"ab\"".repeat(4_000)
    );
    assert_eq!(run_both(src), format!("\"{}\"", "ab".repeat(4_000)));
    // `false || … || true`: the last operand decides.
    let src = format!(
        "fn main() -> Bool {{ false{} || true }}",
        " || false".repeat(6_000)
    );
    assert_eq!(run_both(src), "true");
}

#[test]
fn a_chain_that_overflows_fails_where_the_nested_chain_does() {
    // i64::MAX - 1 + 1 + 1 overflows at the second `+ 1`, wherever the chain is cut.
    let src = format!(
        "fn main() -> Int {{ 9223372036854775806{} }}",
        " + 0".repeat(3_000) + " + 1 + 1" + &" - 1".repeat(3_000)
    );
    let err = on_small_stack(move || {
        let out = compile(
            "t.avm",
            &src,
            &mut NoSources,
            Stage::Tape,
            &LowerOptions::default(),
        );
        let itree = out.itree.expect("compiles");
        let mut world = avm_vm::world::World::new();
        avm_vm::itree::run(&itree, &mut world, &RunConfig::default())
            .outcome
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    let message = err.expect_err("the run overflows");
    assert!(message.contains("overflow"), "{message}");
}

#[test]
fn a_type_error_inside_a_long_chain_is_reported() {
    let src = format!(
        "fn main() -> Int {{ 1{} + true{} }}",
        " + 1".repeat(1_000),
        " + 1".repeat(1_000)
    );
    assert!(codes(src).contains(&Code::E0418));
}

#[test]
fn deep_nesting_and_overlong_chains_are_e0205_not_a_stack_overflow() {
    let parens = format!(
        "fn main() -> Int {{ {}1{} }}",
        "-(".repeat(10_000),
        ")".repeat(10_000)
    );
    assert_eq!(codes(parens), vec![Code::E0205]);
    let right = format!(
        "fn main() -> Int {{ {}1{} }}",
        "1 + (".repeat(10_000),
        ")".repeat(10_000)
    );
    assert_eq!(codes(right), vec![Code::E0205]);
    let chain = format!("fn main() -> Int {{ 1{} }}", " + 1".repeat(200_000));
    assert_eq!(codes(chain), vec![Code::E0205]);
}

#[test]
fn a_long_chain_prints_back_as_a_flat_chain_that_parses_to_the_same_tree() {
    use avm_compiler::syntax::parse;
    use avm_compiler::syntax::pretty::print_module;
    use avm_compiler::syntax::source_printer::module_to_source;
    use avm_compiler::syntax::span::FileId;
    let src = format!(
        "fn main() -> Bool {{ let x = 0{}\n x{} == 7 }}",
        " - 3 + 2 * 2".repeat(500),
        " + 1".repeat(400)
    );
    let ok = on_small_stack(move || {
        let module = parse(FileId(0), &src).module.expect("parses");
        let printed = module_to_source(&module);
        assert!(!printed.contains('$'), "hidden locals are not printed");
        let second = parse(FileId(0), &printed);
        assert!(second.diagnostics.is_empty(), "{:?}", second.diagnostics);
        let reparsed = second.module.expect("printed source parses");
        print_module(&module) == print_module(&reparsed) && module_to_source(&reparsed) == printed
    });
    assert!(ok, "the printed chain parses to the same tree");
}

#[test]
fn a_chain_past_the_old_limit_of_eighty_hidden_locals_runs() {
    // 50 000 operators: about 260 hidden locals, each a straight statement of the lowering.
    let src = format!("fn main() -> Int {{ 0{} }}", " + 2 - 1".repeat(25_000));
    assert_eq!(run_both(src), "25000");
}
