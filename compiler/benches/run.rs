//! Benchmark: `avmc run` end to end, in process. Takes the `.avm` programs in
//! `compiler/benches/programs/` and measures what `avmc run` does with them:
//! compile (parse, resolve, type check, lower to ITree and Tape) and run on a
//! fresh world with `avmc run`'s configuration (default limits, trace on,
//! the program's pure functions registered first).
//!
//! - `e2e_fib30`: `fib(30)` — compile + run on the Tape engine, and the run
//!   alone (the Tape program compiled once).
//! - `e2e_ping_pong_1m`: the 10^6-round nested ping-pong (1,000,001 nested
//!   object calls), the run alone on each engine; throughput is calls, so
//!   criterion prints the time per call.
//! - `e2e_list_pipeline`: map / filter / fold over 10^4 and 10^5 integers
//!   (`bench/e2e/list_pipeline_*.avm`), the run alone on each engine; throughput
//!   is list elements, so a linear pipeline shows the same time per element at
//!   both sizes.
//! - `e2e_string_concat`: `s = s ++ to_string(i)` for 10^5 i
//!   (`bench/e2e/string_concat.avm`), the run alone on each engine.
//!
//! Every group runs twice: `<group>` measures wall time, `<group>_cpu` the
//! benchmark thread's CPU time (`vm/benches/common/mod.rs`), which other
//! processes on a shared machine do not inflate.
//! Run with `cargo bench -p avm-compiler --bench run`; `scripts/bench-e2e`
//! adds the whole-process timings against Lua 5.4.

use std::hint::black_box;

use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{NoSources, Stage, compile};
use avm_vm::itree::{self, RunConfig, RunResult};
use avm_vm::tape;
use avm_vm::value::Val;
use avm_vm::world::World;
use criterion::measurement::Measurement;
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

#[path = "../../vm/benches/common/mod.rs"]
mod cpu_time;

const FIB: &str = include_str!("programs/fib.avm");
const PING_PONG: &str = include_str!("programs/ping_pong.avm");
const LIST_10K: &str = include_str!("../../bench/e2e/list_pipeline_10k.avm");
const LIST_100K: &str = include_str!("../../bench/e2e/list_pipeline_100k.avm");
const STRING_CONCAT: &str = include_str!("../../bench/e2e/string_concat.avm");

/// Object calls in one run of `PING_PONG`: rounds 0..=10^6.
const PING_PONG_CALLS: u64 = 1_000_001;

/// One program through the whole pipeline, as `avmc run` compiles it.
struct Compiled {
    itree: itree::Program,
    tape: tape::Program,
}

fn compile_program(name: &str, text: &str) -> Compiled {
    let options = LowerOptions {
        default_controller: Some("main".to_string()),
    };
    let outcome = compile(name, text, &mut NoSources, Stage::Tape, &options);
    assert!(
        !outcome.has_errors(),
        "{name} must compile: {:?}",
        outcome.diagnostics
    );
    match (outcome.itree, outcome.tape) {
        (Some(itree), Some(tape)) => Compiled { itree, tape },
        _ => panic!("{name}: the pipeline produced no ITree or Tape program"),
    }
}

/// Runs a compiled program on one engine.
type Runner = fn(&Compiled) -> RunResult;

/// Runs the Tape program as `avmc run --engine tape` does.
fn run_tape(program: &Compiled) -> RunResult {
    let mut world = World::new();
    for (name, function) in &program.itree.pure_registry {
        if world.pure.get(name).is_none() {
            let _ = world.pure.register(name.clone(), function.clone());
        }
    }
    let config = tape::interp::RunConfig::from(&RunConfig::default());
    match tape::interp::run_program(&program.tape, &mut world, &config) {
        Ok(r) => r,
        Err(e) => panic!("the compiled Tape program does not load: {e}"),
    }
}

/// Runs the ITree program as `avmc run --engine itree` does.
fn run_itree(program: &Compiled) -> RunResult {
    let mut world = World::new();
    itree::run(&program.itree, &mut world, &RunConfig::default())
}

/// `fib(30)`.
const FIB_30: i64 = 832_040;

fn fib<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let compiled = compile_program("fib.avm", FIB);
    assert_eq!(run_tape(&compiled).outcome, Ok(Val::Int(FIB_30)));
    let mut g = c.benchmark_group(group);
    // One iteration takes 0.1-2 s: ten samples of equal iteration counts, not criterion's
    // default linear ramp (55 iterations for ten samples).
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.bench_function("compile_and_run_tape", |b| {
        b.iter(|| {
            let program = compile_program("fib.avm", black_box(FIB));
            black_box(run_tape(&program).steps)
        })
    });
    g.bench_function("run_tape", |b| {
        b.iter(|| black_box(run_tape(black_box(&compiled)).steps))
    });
    g.finish();
}

fn ping_pong<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let compiled = compile_program("ping_pong.avm", PING_PONG);
    // (last counter, messages ping received, messages pong received)
    let expected = Ok(Val::tuple(vec![
        Val::Int(1_000_000),
        Val::Int(500_001),
        Val::Int(500_000),
    ]));
    let mut g = c.benchmark_group(group);
    // One iteration takes 0.1-2 s: ten samples of equal iteration counts, not criterion's
    // default linear ramp (55 iterations for ten samples).
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.throughput(Throughput::Elements(PING_PONG_CALLS));
    let engines: [(&str, Runner); 2] = [("tape", run_tape), ("itree", run_itree)];
    for (engine, run) in engines {
        assert_eq!(run(&compiled).outcome, expected, "{engine} engine");
        g.bench_with_input(BenchmarkId::new("run", engine), &compiled, |b, p| {
            b.iter(|| black_box(run(black_box(p)).steps))
        });
    }
    g.finish();
}

/// Runs each `(size, program, expected result)` on both engines in one group, throughput
/// `size` elements.
fn run_both<M: Measurement>(c: &mut Criterion<M>, group: &str, cases: &[(u64, &str, i64)]) {
    let mut g = c.benchmark_group(group);
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    for &(size, text, expected) in cases {
        let compiled = compile_program(group, text);
        g.throughput(Throughput::Elements(size));
        let engines: [(&str, Runner); 2] = [("tape", run_tape), ("itree", run_itree)];
        for (engine, run) in engines {
            assert_eq!(
                run(&compiled).outcome,
                Ok(Val::Int(expected)),
                "{engine} engine"
            );
            g.bench_with_input(BenchmarkId::new(engine, size), &compiled, |b, p| {
                b.iter(|| black_box(run(black_box(p)).steps))
            });
        }
    }
    g.finish();
}

fn lists<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let cases = [
        (10_000, LIST_10K, 33_336_666),
        (100_000, LIST_100K, 3_333_366_666),
    ];
    run_both(c, group, &cases);
}

fn strings<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    run_both(c, group, &[(100_000, STRING_CONCAT, 488_890)]);
}

fn wall(c: &mut Criterion) {
    fib(c, "e2e_fib30");
    ping_pong(c, "e2e_ping_pong_1m");
    lists(c, "e2e_list_pipeline");
    strings(c, "e2e_string_concat");
}

fn cpu(c: &mut Criterion<cpu_time::CpuTime>) {
    fib(c, "e2e_fib30_cpu");
    ping_pong(c, "e2e_ping_pong_1m_cpu");
    lists(c, "e2e_list_pipeline_cpu");
    strings(c, "e2e_string_concat_cpu");
}

criterion_group!(wall_time, wall);
criterion_group! {
    name = cpu_group;
    config = Criterion::default().with_measurement(cpu_time::CpuTime);
    targets = cpu
}
criterion_main!(wall_time, cpu_group);
