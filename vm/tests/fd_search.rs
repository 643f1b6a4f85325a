//! Search-level ground truth: N-Queens (examples.md §3) and a hard Sudoku.

mod fd_models;

use avm_vm::fd::{SearchControl, StepBudget, Tracing, VarSelection, solve_all, solve_first};
use fd_models::{INKALA, INKALA_SOLUTION, grid_string, is_sudoku_solution, queens, sudoku};

fn all_queens(n: usize) -> Vec<Vec<i64>> {
    let (mut store, vars) = queens(n, Tracing::Off);
    let mut found = Vec::new();
    solve_all(
        &mut store,
        &vars,
        VarSelection::InOrder,
        &mut StepBudget::unlimited(),
        |s| {
            found.push(s.to_vec());
            SearchControl::Continue
        },
    )
    .expect("search within an unlimited budget");
    found
}

#[test]
fn queens_4_first_and_all_solutions() {
    let (mut store, vars) = queens(4, Tracing::Off);
    let first = solve_first(
        &mut store,
        &vars,
        VarSelection::InOrder,
        &mut StepBudget::unlimited(),
    );
    assert_eq!(first, Ok(Some(vec![2, 4, 1, 3])));
    assert_eq!(all_queens(4), vec![vec![2, 4, 1, 3], vec![3, 1, 4, 2]]);
}

#[test]
fn queens_counts_and_first_solutions_match_ground_truth() {
    let expected: [(usize, usize, Option<&[i64]>); 8] = [
        (1, 1, Some(&[1])),
        (2, 0, None),
        (3, 0, None),
        (4, 2, Some(&[2, 4, 1, 3])),
        (5, 10, Some(&[1, 3, 5, 2, 4])),
        (6, 4, Some(&[2, 4, 6, 1, 3, 5])),
        (7, 40, Some(&[1, 3, 5, 7, 2, 4, 6])),
        (8, 92, Some(&[1, 5, 8, 6, 3, 7, 2, 4])),
    ];
    for (n, count, first) in expected {
        let solutions = all_queens(n);
        assert_eq!(solutions.len(), count, "N = {n}");
        assert_eq!(solutions.first().map(Vec::as_slice), first, "N = {n}");
        // Solutions come in lexicographic order and are genuine.
        assert!(solutions.windows(2).all(|w| w[0] < w[1]), "N = {n}");
        for s in &solutions {
            for i in 0..n {
                for j in i + 1..n {
                    let d = (j - i) as i64;
                    assert!(s[i] != s[j] && (s[i] - s[j]).abs() != d, "N = {n}: {s:?}");
                }
            }
        }
    }
}

#[test]
fn search_restores_the_store() {
    let (mut store, vars) = queens(6, Tracing::Off);
    let before = store.snapshot();
    let solutions = solve_first(
        &mut store,
        &vars,
        VarSelection::FirstFail,
        &mut StepBudget::unlimited(),
    );
    assert!(matches!(solutions, Ok(Some(_))));
    assert_eq!(store.snapshot(), before);
}

#[test]
fn queens_first_fail_finds_valid_solution_for_larger_n() {
    let n = 20;
    let (mut store, vars) = queens(n, Tracing::Off);
    let solution = solve_first(
        &mut store,
        &vars,
        VarSelection::FirstFail,
        &mut StepBudget::unlimited(),
    )
    .expect("unlimited budget")
    .expect("20-queens has solutions");
    for i in 0..n {
        for j in i + 1..n {
            let d = (j - i) as i64;
            assert!(solution[i] != solution[j] && (solution[i] - solution[j]).abs() != d);
        }
    }
}

#[test]
fn hard_sudoku_is_solved_and_unique() {
    let (mut store, cells) = sudoku(INKALA, Tracing::Off);
    let mut solutions = Vec::new();
    let stats = solve_all(
        &mut store,
        &cells,
        VarSelection::FirstFail,
        &mut StepBudget::unlimited(),
        |grid| {
            solutions.push(grid.to_vec());
            SearchControl::Continue
        },
    )
    .expect("unlimited budget");
    assert_eq!(solutions.len(), 1);
    assert!(is_sudoku_solution(INKALA, &solutions[0]));
    assert_eq!(grid_string(&solutions[0]), INKALA_SOLUTION);
    assert_eq!(stats.solutions, 1);
    assert!(
        stats.labels > 0,
        "the puzzle needs search, not only propagation"
    );
}

#[test]
fn seventeen_clue_sudoku_is_solved_by_propagation_alone() {
    // A 17-clue puzzle (the minimum number of clues for a unique solution).
    let puzzle =
        "000000010400000000020000000000050407008000300001090000300400200050100000000806000";
    let (mut store, cells) = sudoku(puzzle, Tracing::Off);
    // Régin's AllDiff filtering fixes every cell before any search.
    let grid: Vec<i64> = cells
        .iter()
        .map(|c| store.value(*c).ok().flatten().unwrap_or(0))
        .collect();
    assert!(is_sudoku_solution(puzzle, &grid), "{}", grid_string(&grid));
    let stats = solve_all(
        &mut store,
        &cells,
        VarSelection::FirstFail,
        &mut StepBudget::unlimited(),
        |_| SearchControl::Continue,
    );
    assert_eq!(stats.map(|s| (s.solutions, s.labels)), Ok((1, 0)));
}
