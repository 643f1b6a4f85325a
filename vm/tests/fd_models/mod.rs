//! Shared FD models for the FD tests and benchmarks: N-Queens and 9×9 Sudoku.
//!
//! Takes a size or a puzzle string and produces a store with the model posted plus the
//! variables to label; also checks Sudoku solutions.

#![allow(dead_code)]

use avm_vm::fd::{Comparison, Constraint, ConstraintStore, StepBudget, Tracing, VarId};

/// N-Queens: `q[i]` is the column (1..=n) of the queen in row `i`; one `AllDiff` for columns and
/// `q[i] != q[j] + (j - i)`, `q[i] != q[j] - (j - i)` for the diagonals.
pub fn queens(n: usize, tracing: Tracing) -> (ConstraintStore, Vec<VarId>) {
    let mut store = ConstraintStore::new(tracing);
    let mut budget = StepBudget::unlimited();
    let queens: Vec<VarId> = (0..n)
        .map(|_| store.new_var(1..=n as i64).expect("non-empty domain"))
        .collect();
    store
        .post(Constraint::all_diff(queens.iter().copied()), &mut budget)
        .expect("alldiff of fresh variables is consistent");
    for i in 0..n {
        for j in i + 1..n {
            let d = (j - i) as i64;
            for offset in [d, -d] {
                store
                    .post(
                        Constraint::compare(queens[i], Comparison::Neq, queens[j], offset),
                        &mut budget,
                    )
                    .expect("diagonal constraints alone never fail");
            }
        }
    }
    (store, queens)
}

/// Arto Inkala's 2012 puzzle, often called the hardest 9×9 Sudoku (row-major, `.` or `0` = empty).
pub const INKALA: &str =
    "8..........36......7..9.2...5...7.......457.....1...3...1....68..85...1..9....4..";

/// Its unique solution.
pub const INKALA_SOLUTION: &str =
    "812753649943682175675491283154237896369845721287169534521974368438526917796318452";

/// The clue in a puzzle character: `1`..`9`; `.` and `0` are empty cells.
fn clue(ch: char) -> Option<u32> {
    ch.to_digit(10).filter(|d| *d != 0)
}

/// A Sudoku: 81 variables 1..=9 (clues narrowed by `ValEq`), `AllDiff` per row, column, box.
pub fn sudoku(puzzle: &str, tracing: Tracing) -> (ConstraintStore, Vec<VarId>) {
    let mut store = ConstraintStore::new(tracing);
    let mut budget = StepBudget::unlimited();
    let cells: Vec<VarId> = (0..81)
        .map(|_| store.new_var(1..=9).expect("non-empty domain"))
        .collect();
    let mut groups: Vec<Vec<VarId>> = Vec::new();
    for k in 0..9 {
        groups.push((0..9).map(|c| cells[k * 9 + c]).collect());
        groups.push((0..9).map(|r| cells[r * 9 + k]).collect());
        let (r0, c0) = (k / 3 * 3, k % 3 * 3);
        groups.push(
            (0..9)
                .map(|i| cells[(r0 + i / 3) * 9 + c0 + i % 3])
                .collect(),
        );
    }
    for group in groups {
        store
            .post(Constraint::AllDiff(group), &mut budget)
            .expect("alldiff of fresh variables is consistent");
    }
    for (i, ch) in puzzle.chars().enumerate() {
        if let Some(digit) = clue(ch) {
            store
                .post(Constraint::val_eq(cells[i], i64::from(digit)), &mut budget)
                .expect("the puzzle's clues are consistent");
        }
    }
    (store, cells)
}

/// Whether `grid` (81 values) is a valid Sudoku solution that keeps the puzzle's clues.
pub fn is_sudoku_solution(puzzle: &str, grid: &[i64]) -> bool {
    let clues_kept = puzzle
        .chars()
        .zip(grid)
        .all(|(ch, v)| clue(ch).is_none_or(|d| i64::from(d) == *v));
    let group_ok = |cells: Vec<usize>| {
        let mut seen: Vec<i64> = cells.iter().map(|i| grid[*i]).collect();
        seen.sort_unstable();
        seen == (1..=9).collect::<Vec<i64>>()
    };
    clues_kept
        && grid.len() == 81
        && (0..9).all(|k| {
            let (r0, c0) = (k / 3 * 3, k % 3 * 3);
            group_ok((0..9).map(|c| k * 9 + c).collect())
                && group_ok((0..9).map(|r| r * 9 + k).collect())
                && group_ok((0..9).map(|i| (r0 + i / 3) * 9 + c0 + i % 3).collect())
        })
}

/// A grid as an 81-character string of digits.
pub fn grid_string(grid: &[i64]) -> String {
    grid.iter().map(|v| v.to_string()).collect()
}
