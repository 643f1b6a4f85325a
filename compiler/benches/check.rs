//! Benchmark: parsing, name resolution and type checking of a generated
//! 10,000-line program. Goal: under 100 ms.
//! Run with `cargo bench -p avm-compiler --bench check`.

use std::hint::black_box;

use avm_compiler::resolve::{Program, resolve};
use avm_compiler::syntax::parse;
use avm_compiler::syntax::span::FileId;
use avm_compiler::typeck::check;
use criterion::{Criterion, criterion_group, criterion_main};

mod common;

fn check_all(src: &str) -> usize {
    let parsed = parse(FileId(0), src);
    let module = parsed.module.expect("the generated program parses");
    let outcome = check(&Program::single(module));
    outcome.diagnostics.len()
}

fn bench(c: &mut Criterion) {
    let (src, module) = common::benchmark_program();
    assert_eq!(
        check_all(&src),
        0,
        "the generated program must check cleanly"
    );
    let program = Program::single(module);
    let mut group = c.benchmark_group("front_end_10k_lines");
    group.sample_size(20);
    group.bench_function("parse_resolve_typeck", |b| {
        b.iter(|| black_box(check_all(black_box(&src))))
    });
    group.bench_function("resolve_only", |b| {
        b.iter(|| black_box(resolve(black_box(&program)).diagnostics.len()))
    });
    group.bench_function("resolve_and_typeck", |b| {
        b.iter(|| black_box(check(black_box(&program)).diagnostics.len()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
