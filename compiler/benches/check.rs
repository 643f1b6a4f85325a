//! Benchmark: parsing, name resolution and type checking of a generated
//! 10,000-line program. Goal: under 100 ms. Also 10,000 lines of doubling tuples
//! (`let x1 = (x0, x0)` …, issue 12): types share their parts, so this stays linear
//! (goal: under 1 s; the written-out type of the last line has 2^10001 nodes).
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
    let tuples = doubling_tuples(10_000);
    assert_eq!(check_all(&tuples), 0, "the tuple program checks cleanly");
    let mut group = c.benchmark_group("front_end_doubling_tuples");
    group.sample_size(10);
    group.bench_function("10k_lines", |b| {
        b.iter(|| black_box(check_all(black_box(&tuples))))
    });
    group.finish();
}

/// `let x1 = (x0, x0)` … `let x<n> = (x<n-1>, x<n-1>)` in one function.
fn doubling_tuples(n: usize) -> String {
    let mut s = String::from("fn main() -> Int {\n  let x0 = 1\n");
    for i in 1..=n {
        s.push_str(&format!("  let x{i} = (x{}, x{})\n", i - 1, i - 1));
    }
    s.push_str("  0\n}\n");
    s
}

criterion_group!(benches, bench);
criterion_main!(benches);
