//! Counter call benchmark: one `call` of a counter object doing get-field, +1, set-field,
//! (input: the increment, an Int) measured inside a tail-recursive loop of 1,000 calls (throughput = calls), trace off.

use avm_vm::ids::ObjectId;
use avm_vm::itree::builder::*;
use avm_vm::itree::term::Instr;
use avm_vm::itree::{RunConfig, run};
use avm_vm::samples;
use avm_vm::trace::TraceMode;
use avm_vm::value::Val;
use avm_vm::world::World;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const CALLS: i64 = 1_000;

fn bench(c: &mut Criterion) {
    let mut world = World::new();
    let config = RunConfig {
        trace_mode: TraceMode::Off,
        ..RunConfig::default()
    };
    let setup = samples::counter_program(
        Block::new()
            .instr(
                "c",
                Instr::CreateObj {
                    behaviour: name("Counter"),
                    controller: none(),
                },
            )
            .effect(Instr::Call(var("c"), string("init")))
            .ret(var("c")),
    );
    let counter = run(&setup, &mut world, &config)
        .outcome
        .expect("setup runs");
    assert_eq!(counter, Val::Object(ObjectId(0)));
    let looped = avm_vm::itree::builder::ProgramBuilder::new()
        .behaviour("Counter", samples::increment_behaviour())
        .function(
            "go",
            &["n"],
            if_(
                eq(var("n"), int(0)),
                ret(unit()),
                Block::new()
                    .effect(Instr::Call(lit(counter.clone()), int(1)))
                    .then(call_fn("go", vec![sub(var("n"), int(1))])),
            ),
        )
        .main(call_fn("go", vec![int(CALLS)]));
    let mut g = c.benchmark_group("counter");
    g.throughput(Throughput::Elements(CALLS as u64));
    g.bench_function("call_get_add_set", |b| {
        b.iter(|| {
            let r = run(&looped, &mut world, &config);
            assert!(r.outcome.is_ok());
            black_box(r.steps)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
