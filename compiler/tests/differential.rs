//! Differential tests: every ITree program is lowered to Tape and run on both interpreters
//! against fresh worlds; outcome (value or error), trace, final context, store, pure registry
//! and clock must agree (`avm_vm::testing::assert_same_run_in`). Hand-written samples cover
//! every construct; a proptest generator covers random well-formed programs (arithmetic with
//! overflow and division by zero, comparisons, let/if/match, lists/tuples/options, bounded
//! recursion, an object whose behaviour reads and writes state fields, create/call, nested
//! begin/commit/abort, print). `AVM_DIFF_CASES` raises the proptest case count.

mod lower_tape_samples;

use avm_compiler::tape::lower;
use avm_vm::itree::{Program, RunConfig, RunResult};
use avm_vm::testing::assert_same_run_in;
use avm_vm::world::World;
use lower_tape_samples as samples;

/// A fresh world with the program's initial pure registry installed (the Tape program does not
/// carry it; the ITree interpreter installs the same entries only when absent, so both engines
/// start from the same registry).
fn world_for(p: &Program) -> World {
    let mut w = World::new();
    for (name, function) in &p.pure_registry {
        // A duplicate name in the program's own list keeps the first entry, as Interp::new does.
        let _ = w.pure.register(name.clone(), function.clone());
    }
    w
}

/// Lowers `p` and asserts both interpreters agree; returns the (shared) result.
fn same_run(label: &str, p: &Program) -> RunResult {
    let tape = lower(p).unwrap_or_else(|e| panic!("{label}: {e}"));
    let make_world = || world_for(p);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert_same_run_in(p, &tape, &RunConfig::default(), &make_world)
    }));
    match result {
        Ok(r) => r,
        Err(e) => {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "panic".to_owned());
            panic!(
                "{label}: {msg}\n--- tape ---\n{}",
                avm_vm::tape::text::print_program(&tape)
            );
        }
    }
}

#[test]
fn every_sample_runs_the_same_on_both_interpreters() {
    for (label, p) in samples::all() {
        same_run(&label, &p);
    }
}

#[test]
fn sample_results_are_the_expected_ones() {
    let show = |p: &Program| match same_run("sample", p).outcome {
        Ok(v) => v.to_string(),
        Err(e) => format!("error: {e}"),
    };
    assert_eq!(show(&samples::counter()), "12");
    assert_eq!(show(&samples::fib(10)), "(55, 500500)");
    assert_eq!(
        show(&samples::list_match()),
        r#"["10", "empty", "one: 7", "starts negative", "starts with one", "other"]"#
    );
    assert_eq!(show(&samples::nested_transactions()), "101");
    insta::assert_snapshot!(
        "introspection_and_placement",
        show(&samples::introspection_and_placement())
    );
    insta::assert_snapshot!("data_and_builtins", show(&samples::data_and_builtins()));
    insta::assert_snapshot!(
        "pure_registry_and_scry",
        show(&samples::pure_registry_and_scry())
    );
    let failures: Vec<String> = (0..samples::FAILING)
        .map(|i| show(&samples::failing(i)))
        .collect();
    insta::assert_snapshot!(failures.join("\n"));
}

#[test]
fn call_depth_limits_and_tail_calls_agree() {
    use avm_vm::itree::builder::*;
    use avm_vm::itree::{Limits, Program};
    let count = if_(
        eq(var("n"), int(0)),
        ret(int(0)),
        Block::new()
            .bind("r", call_fn("count", vec![sub(var("n"), int(1))]))
            .ret(add(var("r"), int(1))),
    );
    let looping = if_(
        eq(var("n"), int(0)),
        ret(var("acc")),
        call_fn("loop", vec![sub(var("n"), int(1)), add(var("acc"), int(2))]),
    );
    let program = |main| -> Program {
        ProgramBuilder::new()
            .function("count", &["n"], count.clone())
            .function("loop", &["n", "acc"], looping.clone())
            .main(main)
    };
    let config = RunConfig {
        limits: Limits {
            max_call_depth: 50,
            ..Limits::default()
        },
        ..RunConfig::default()
    };
    let run = |p: &Program| {
        let tape = lower(p).expect("lowers");
        assert_same_run_in(p, &tape, &config, &|| world_for(p))
            .outcome
            .map(|v| v.to_string())
            .map_err(|e| e.to_string())
    };
    assert_eq!(
        run(&program(call_fn("count", vec![int(40)]))),
        Ok("40".into())
    );
    assert!(run(&program(call_fn("count", vec![int(100)]))).is_err());
    assert_eq!(
        run(&program(call_fn("loop", vec![int(10_000), int(0)]))),
        Ok("20000".into())
    );
}
