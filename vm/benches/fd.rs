//! FD engine benchmarks: N-Queens 8 (all solutions), N-Queens 30 (first solution, first-fail)
//! and Arto Inkala's Sudoku (propagation + search, all solutions i.e. proving uniqueness).
//!
//! Run: `cargo bench -p avm-vm --bench fd -- --warm-up-time 1 --measurement-time 3`.

#[path = "../tests/fd_models/mod.rs"]
mod fd_models;

use avm_vm::fd::{SearchControl, StepBudget, Tracing, VarSelection, solve_all, solve_first};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn queens_8_all(c: &mut Criterion) {
    c.bench_function("queens_8_all_solutions", |b| {
        b.iter(|| {
            let (mut store, vars) = fd_models::queens(8, Tracing::Off);
            let stats = solve_all(
                &mut store,
                &vars,
                VarSelection::InOrder,
                &mut StepBudget::unlimited(),
                |_| SearchControl::Continue,
            );
            assert_eq!(stats.map(|s| s.solutions), Ok(92));
        })
    });
}

fn queens_30_first(c: &mut Criterion) {
    c.bench_function("queens_30_first_solution_first_fail", |b| {
        b.iter(|| {
            let (mut store, vars) = fd_models::queens(30, Tracing::Off);
            let first = solve_first(
                &mut store,
                &vars,
                VarSelection::FirstFail,
                &mut StepBudget::unlimited(),
            );
            assert!(matches!(black_box(first), Ok(Some(_))));
        })
    });
}

fn sudoku_inkala(c: &mut Criterion) {
    c.bench_function("sudoku_inkala_all_solutions", |b| {
        b.iter(|| {
            let (mut store, cells) = fd_models::sudoku(fd_models::INKALA, Tracing::Off);
            let stats = solve_all(
                &mut store,
                &cells,
                VarSelection::FirstFail,
                &mut StepBudget::unlimited(),
                |_| SearchControl::Continue,
            );
            assert_eq!(stats.map(|s| s.solutions), Ok(1));
        })
    });
}

criterion_group!(benches, queens_8_all, queens_30_first, sudoku_inkala);
criterion_main!(benches);
