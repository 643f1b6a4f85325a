//! Benchmark: nested `atomic` recursion (issue 12). Takes
//! `fn f(n) = if n == 0 { 0 } else { atomic { 1 + f(n - 1) } }` compiled as `avmc run` compiles
//! it, and runs `f(depth)` at depths 10^3, 10^4 and 10^5 on each engine (default limits,
//! trace off). Throughput is levels, so criterion prints the time per level: a `beginTx` that
//! costs the same whatever the depth gives a flat figure (before restart points became lazy,
//! each level copied every live frame and the cost per level grew with the depth).
//!
//! `nested_atomic` measures wall time, `nested_atomic_cpu` the benchmark thread's CPU time
//! (`vm/benches/common/mod.rs`). Run with `cargo bench -p avm-compiler --bench nested_atomic`.

use std::hint::black_box;

use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{NoSources, Stage, compile};
use avm_vm::itree::{self, RunConfig};
use avm_vm::tape;
use avm_vm::trace::TraceMode;
use avm_vm::value::Val;
use avm_vm::world::World;
use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[path = "../../vm/benches/common/mod.rs"]
mod cpu_time;

/// The depths measured.
const DEPTHS: [i64; 3] = [1_000, 10_000, 100_000];

/// The program for one depth: (ITree, Tape).
fn program(depth: i64) -> (itree::Program, tape::Program) {
    let text = format!(
        "fn f(n: Int) -> Int {{ if n == 0 {{ 0 }} else {{ atomic {{ 1 + f(n - 1) }} }} }}\n\
         fn main() -> Int {{ f({depth}) }}\n"
    );
    let outcome = compile(
        "nested_atomic.avm",
        &text,
        &mut NoSources,
        Stage::Tape,
        &LowerOptions::default(),
    );
    assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
    match (outcome.itree, outcome.tape) {
        (Some(i), Some(t)) => (i, t),
        _ => panic!("the pipeline produced no program"),
    }
}

fn config() -> RunConfig {
    RunConfig {
        trace_mode: TraceMode::Off,
        ..RunConfig::default()
    }
}

fn bench<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let mut g = c.benchmark_group(group);
    g.sample_size(10);
    for depth in DEPTHS {
        let (itree_program, tape_program) = program(depth);
        let image = tape::interp::Image::load(&tape_program).expect("loads");
        let tape_config = tape::interp::RunConfig::from(&config());
        let levels = u64::try_from(depth).unwrap_or(0);
        g.throughput(Throughput::Elements(levels));
        g.bench_with_input(BenchmarkId::new("tape", depth), &depth, |b, &d| {
            b.iter(|| {
                let r = tape::interp::run(&image, &mut World::new(), &tape_config);
                assert_eq!(r.outcome, Ok(Val::Int(d)));
                black_box(r.steps)
            })
        });
        g.bench_with_input(BenchmarkId::new("itree", depth), &depth, |b, &d| {
            b.iter(|| {
                let r = itree::run(&itree_program, &mut World::new(), &config());
                assert_eq!(r.outcome, Ok(Val::Int(d)));
                black_box(r.steps)
            })
        });
    }
    g.finish();
}

fn wall(c: &mut Criterion) {
    bench(c, "nested_atomic");
}

fn cpu(c: &mut Criterion<cpu_time::CpuTime>) {
    bench(c, "nested_atomic_cpu");
}

criterion_group!(wall_time, wall);
criterion_group! {
    name = cpu_group;
    config = Criterion::default().with_measurement(cpu_time::CpuTime);
    targets = cpu
}
criterion_main!(wall_time, cpu_group);
