//! Message sequence charts of real runs: takes `examples/ping_pong/main.avm`, compiles it with
//! the library pipeline, runs it on both engines and renders the chart (`avm_compiler::msc`);
//! produces a snapshot of the chart, whose calls go from their caller's lane (the rally's
//! nested `on_message` calls go between `Ping` and `Pong`, not from `main`).

use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{NoSources, Stage, compile};
use avm_vm::itree::RunConfig;
use avm_vm::world::World;

fn ping_pong_source() -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/ping_pong/main.avm");
    std::fs::read_to_string(path).expect("examples/ping_pong/main.avm is readable")
}

#[test]
fn ping_pong_chart_draws_calls_from_their_callers() {
    let text = ping_pong_source();
    let out = compile(
        "main.avm",
        &text,
        &mut NoSources,
        Stage::Tape,
        &LowerOptions::default(),
    );
    let (Some(program), Some(tape)) = (out.itree.as_ref(), out.tape.as_ref()) else {
        panic!("ping_pong does not compile: {:?}", out.diagnostics);
    };
    let config = RunConfig::default();
    let itree = avm_vm::testing::run_itree(program, &config, &World::new);
    let tape = avm_vm::testing::run_tape(tape, &config, &World::new).expect("the Tape loads");
    assert!(itree.result.outcome.is_ok(), "{:?}", itree.result.outcome);
    let chart = avm_compiler::msc::render(&itree.result.trace);
    assert_eq!(
        chart,
        avm_compiler::msc::render(&tape.result.trace),
        "the engines draw different charts"
    );
    // The rally: Ping (o3) calls Pong (o1) and Pong answers by calling Ping, nested.
    assert!(chart.contains("    o3->>o1: ['on_message', MsgType::Pong, 1, '3, 5]\n"));
    assert!(chart.contains("    o1->>o3: ['on_message', MsgType::Ping, 2, '1, 5]\n"));
    insta::assert_snapshot!(chart);
}
