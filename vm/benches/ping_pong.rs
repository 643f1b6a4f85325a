//! Nested PingPong benchmark: one run of `startPingPong n` is n nested calls; throughput is
//! rounds, so the figure is time per round at depth 10^3 and 10^6 (trace off).

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
    for depth in [1_000i64, 1_000_000] {
        let program = samples::start_ping_pong(depth);
        g.throughput(Throughput::Elements(depth as u64));
        g.bench_with_input(BenchmarkId::from_parameter(depth), &depth, |b, _| {
            b.iter(|| {
                let mut world = World::new();
                black_box(run(&program, &mut world, &config).outcome.is_ok())
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
