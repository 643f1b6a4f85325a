//! Counter call benchmark: one `call` of a counter object doing get-field, +1, set-field,
//! (input: the increment, an Int) measured inside a tail-recursive loop of 1,000 calls, 20 runs per iteration (throughput =
//! calls), trace off.

use avm_vm::ids::ObjectId;
use avm_vm::itree::builder::*;
use avm_vm::itree::{RunConfig, run};
use avm_vm::samples;
use avm_vm::trace::TraceMode;
use avm_vm::value::Val;
use avm_vm::world::World;
mod common;

use criterion::measurement::Measurement;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const CALLS: i64 = 1_000;
/// Runs per iteration, so one iteration lasts well over a scheduler tick (CPU-time resolution).
const RUNS: u64 = 20;

fn bench<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let mut world = World::new();
    let config = RunConfig {
        trace_mode: TraceMode::Off,
        ..RunConfig::default()
    };
    let setup = samples::create_counter();
    let counter = run(&setup, &mut world, &config)
        .outcome
        .expect("setup runs");
    assert_eq!(counter, Val::Object(ObjectId(0)));
    let go = |n: i64| call_fn("go", vec![int(n)]);
    let looped = samples::counter_loop(Some(&counter)).main(go(CALLS));
    let loop_only = samples::counter_loop(None).main(go(CALLS));
    let mut g = c.benchmark_group(group);
    g.sample_size(10);
    g.throughput(Throughput::Elements(CALLS as u64 * RUNS));
    for (name, program) in [
        ("call_get_add_set", &looped),
        ("loop_without_call", &loop_only),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                for _ in 0..RUNS {
                    let r = run(program, &mut world, &config);
                    assert!(r.outcome.is_ok());
                    black_box(r.steps);
                }
            })
        });
    }
    g.finish();
}

fn wall(c: &mut Criterion) {
    bench(c, "counter");
}

fn cpu(c: &mut Criterion<common::CpuTime>) {
    bench(c, "counter_cpu");
}

criterion_group!(wall_time, wall);
criterion_group! {
    name = cpu_time;
    config = Criterion::default().with_measurement(common::CpuTime);
    targets = cpu
}
criterion_main!(wall_time, cpu_time);
