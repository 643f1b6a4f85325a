//! Nested PingPong benchmark: one run of `startPingPong n` is n nested calls; throughput is
//! rounds, so the figure is time per round at depths 10^3, 10^4, 10^5 and 10^6 (trace off).

use avm_vm::itree::{RunConfig, run};
use avm_vm::samples;
use avm_vm::trace::TraceMode;
use avm_vm::world::World;
mod common;

use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn bench<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let config = RunConfig {
        trace_mode: TraceMode::Off,
        ..RunConfig::default()
    };
    let mut g = c.benchmark_group(group);
    g.sample_size(10);
    // Runs per iteration keep one iteration well over a scheduler tick at the small depth.
    for (depth, runs) in [(1_000i64, 20u64), (10_000, 2), (100_000, 1), (1_000_000, 1)] {
        let program = samples::start_ping_pong(depth);
        g.throughput(Throughput::Elements(depth as u64 * runs));
        g.bench_with_input(BenchmarkId::from_parameter(depth), &depth, |b, _| {
            b.iter(|| {
                for _ in 0..runs {
                    let mut world = World::new();
                    let r = run(&program, &mut world, &config);
                    assert!(r.outcome.is_ok());
                    black_box(r.steps);
                }
            })
        });
    }
    g.finish();
}

fn wall(c: &mut Criterion) {
    bench(c, "nested_ping_pong");
}

fn cpu(c: &mut Criterion<common::CpuTime>) {
    bench(c, "nested_ping_pong_cpu");
}

criterion_group!(wall_time, wall);
criterion_group! {
    name = cpu_time;
    config = Criterion::default().with_measurement(common::CpuTime);
    targets = cpu
}
criterion_main!(wall_time, cpu_time);
