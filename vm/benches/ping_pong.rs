//! Nested PingPong benchmark: one run of `startPingPong n` is n nested calls; throughput is
//! rounds, so the figure is time per round at depth 10^3 and 10^6 (trace off).

use avm_vm::itree::{RunConfig, run};
use avm_vm::samples;
use avm_vm::trace::TraceMode;
use avm_vm::world::World;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let config = RunConfig {
        trace_mode: TraceMode::Off,
        ..RunConfig::default()
    };
    let mut g = c.benchmark_group("nested_ping_pong");
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

criterion_group!(benches, bench);
criterion_main!(benches);
