//! Transaction benchmark: begin + one state write + commit through the shared semantics
//! (`isa::tx`, `isa::introspect`), with 10^3 and 10^5 objects in the store, trace off;
//! 50,000 transactions per iteration (throughput = transactions).

use avm_vm::exec::Execution;
use avm_vm::ids::{MachineId, ObjectId};
use avm_vm::isa;
use avm_vm::meta::ObjectMeta;
use avm_vm::trace::TraceMode;
use avm_vm::value::Val;
use avm_vm::world::World;
mod common;

use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::rc::Rc;

/// Transactions per iteration, so one iteration lasts well over a scheduler tick.
const TXS: u64 = 50_000;

fn world_with(n: u64) -> World {
    let mut w = World::new();
    let beh: Rc<str> = Rc::from("Counter");
    for i in 0..n {
        let id = ObjectId(i);
        w.store.insert_object(
            id,
            beh.clone(),
            ObjectMeta::new(id, MachineId::new("m0"), None),
        );
        w.store.set_state(id, vec![Val::Int(0)]);
    }
    w.clock = n;
    w
}

fn bench<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let mut g = c.benchmark_group(group);
    g.sample_size(10);
    g.throughput(Throughput::Elements(TXS));
    for n in [1_000u64, 100_000] {
        let mut world = world_with(n);
        let mut exec = Execution::new(
            MachineId::new("m0"),
            ObjectId(n / 2),
            Val::Unit,
            TraceMode::Off,
        );
        let mut k = 0i64;
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                for _ in 0..TXS {
                    k += 1;
                    let t = isa::tx::begin(&mut exec, &mut world, None).expect("begin");
                    isa::introspect::set_field(&mut exec, &mut world, 0, Val::Int(k))
                        .expect("write");
                    black_box(isa::tx::commit(&mut exec, &mut world, t).expect("commit"));
                }
            })
        });
    }
    g.finish();
}

fn wall(c: &mut Criterion) {
    bench(c, "tx_begin_write_commit");
}

fn cpu(c: &mut Criterion<common::CpuTime>) {
    bench(c, "tx_begin_write_commit_cpu");
}

criterion_group!(wall_time, wall);
criterion_group! {
    name = cpu_time;
    config = Criterion::default().with_measurement(common::CpuTime);
    targets = cpu
}
criterion_main!(wall_time, cpu_time);
