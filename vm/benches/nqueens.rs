//! Constraints in the VM: N-Queens 8 (all 92 solutions), N-Queens 30 (first solution,
//! first-fail variable choice through `reifyConstraints`) and Arto Inkala's Sudoku (first
//! solution), each as an ITree program that searches with the FD instructions, `label` under
//! nested transactions and `Term::Try` (programs in `tests/nqueens_programs`). Compare with
//! the engine-only figures of `benches/fd.rs` (`docs/fd.md`).
//!
//! Run: `cargo bench -p avm-vm --bench nqueens -- --warm-up-time 1 --measurement-time 3`.

#[path = "../tests/nqueens_programs/mod.rs"]
mod nqueens_programs;

use avm_vm::itree::{RunConfig, run};
use avm_vm::trace::TraceMode;
use avm_vm::value::Val;
use avm_vm::world::World;
use criterion::{Criterion, criterion_group, criterion_main};
use nqueens_programs::{Collect, INKALA, VarOrder, grid, queens, queens_with, sudoku};

fn config() -> RunConfig {
    RunConfig {
        trace_mode: TraceMode::Off,
        ..RunConfig::default()
    }
}

fn count(v: &Val) -> usize {
    match v {
        Val::List(items) => items.len(),
        Val::Tuple(parts) => count(&parts[0]),
        _ => 0,
    }
}

fn queens_8_all(c: &mut Criterion) {
    let program = queens(8, Collect::All);
    c.bench_function("vm_queens_8_all_solutions", |b| {
        b.iter(|| {
            let mut world = World::new();
            let r = run(&program, &mut world, &config());
            assert_eq!(r.outcome.as_ref().map(count), Ok(92));
        })
    });
}

fn queens_30_first(c: &mut Criterion) {
    let program = queens_with(30, Collect::First, VarOrder::FirstFail);
    c.bench_function("vm_queens_30_first_solution_first_fail", |b| {
        b.iter(|| {
            let mut world = World::new();
            let r = run(&program, &mut world, &config());
            assert_eq!(r.outcome.as_ref().map(count), Ok(1));
        })
    });
}

fn sudoku_inkala(c: &mut Criterion) {
    let program = sudoku(&grid(INKALA));
    c.bench_function("vm_sudoku_inkala_first_solution", |b| {
        b.iter(|| {
            let mut world = World::new();
            let r = run(&program, &mut world, &config());
            assert_eq!(r.outcome.as_ref().map(count), Ok(1));
        })
    });
}

criterion_group!(benches, queens_8_all, queens_30_first, sudoku_inkala);
criterion_main!(benches);
