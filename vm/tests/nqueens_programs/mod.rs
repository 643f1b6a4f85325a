//! FD and Nondet test programs as ITree terms, shared by the N-Queens, Sudoku and Nondet tests
//! and the `nqueens` benchmark.
//!
//! Takes problem parameters and produces `itree::Program`s that search through the VM's
//! instructions: `newVar`, `post`, `label`, nested `beginTx`/`abortTx`, and `Term::Try` to turn
//! a failed `label` into backtracking. Search: depth-first, smallest value first; a labelled
//! variable's value is excluded (`post x != v`) after its subtree was explored under an aborted
//! transaction. When the wanted number of solutions is reached the transactions commit instead,
//! so the store ends holding the last solution.

#![allow(dead_code)]

use avm_vm::isa::Safety;
use avm_vm::itree::builder::*;
use avm_vm::itree::term::{BinOp, Builtin, Expr, FnKind, Instr, Pattern, Program, Term};

/// How many solutions a search collects.
#[derive(Clone, Copy, Debug)]
pub enum Collect {
    /// Stop at the first.
    First,
    /// All of them.
    All,
}

/// How the next variable to label is picked.
#[derive(Clone, Copy, Debug)]
pub enum VarOrder {
    /// In creation order.
    InOrder,
    /// The unfixed variable with the smallest domain (first-fail), read with
    /// `reifyConstraints` (the search functions run unsafe for that).
    FirstFail,
}

fn c(variant_name: &str, payload: Vec<Expr>) -> Expr {
    variant("Constraint", variant_name, payload)
}

fn concat(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Concat, a, b)
}

fn len(e: Expr) -> Expr {
    builtin(Builtin::Len, vec![e])
}

/// `mk(i, n, dom, acc)`: `n - i` more variables with domain `dom`, appended to `acc`.
fn make_vars_fn() -> Term {
    if_(
        eq(var("i"), var("n")),
        ret(var("acc")),
        Block::new()
            .instr("q", Instr::NewVar(var("dom")))
            .then(call_fn(
                "mk",
                vec![
                    add(var("i"), int(1)),
                    var("n"),
                    var("dom"),
                    concat(var("acc"), list(vec![var("q")])),
                ],
            )),
    )
}

/// `solve(qs, k, assign, sols, limit)` labels the variables from index `k` on, in order;
/// returns the solutions found (each the list of values).
fn in_order_solve() -> Term {
    if_(
        eq(var("k"), len(var("qs"))),
        ret(concat(var("sols"), list(vec![var("assign")]))),
        call_fn(
            "try_val",
            vec![
                var("qs"),
                var("k"),
                var("k"),
                var("assign"),
                var("sols"),
                var("limit"),
            ],
        ),
    )
}

/// First-fail `solve(qs, k, assign, sols, limit)`: reads the store with `reifyConstraints`
/// and labels the unfixed variable with the smallest domain; a solution when none is left
/// (its values in labelling order; the committed store holds the full assignment).
fn first_fail_solve() -> Term {
    Block::new()
        .instr("s", Instr::ReifyConstraints)
        .bind(
            "idx",
            call_fn(
                "pick",
                vec![field(var("s"), "vars"), int(0), int(-1), int(i64::MAX)],
            ),
        )
        .then(if_(
            lt(var("idx"), int(0)),
            ret(concat(var("sols"), list(vec![var("assign")]))),
            call_fn(
                "try_val",
                vec![
                    var("qs"),
                    var("idx"),
                    var("k"),
                    var("assign"),
                    var("sols"),
                    var("limit"),
                ],
            ),
        ))
}

/// `pick(vars, i, best, size)`: the index of the first unfixed variable with the smallest
/// domain among `vars[i..]` (a reified `(id, domain)` list), or `best`.
fn pick_fn() -> Term {
    let domain_size = len(index(index(var("vars"), var("i")), int(1)));
    if_(
        eq(var("i"), len(var("vars"))),
        ret(var("best")),
        Block::new().let_("sz", domain_size).then(if_(
            and(lt(int(1), var("sz")), lt(var("sz"), var("size"))),
            call_fn(
                "pick",
                vec![var("vars"), add(var("i"), int(1)), var("i"), var("sz")],
            ),
            call_fn(
                "pick",
                vec![var("vars"), add(var("i"), int(1)), var("best"), var("size")],
            ),
        )),
    )
}

/// `try_val(qs, idx, k, assign, sols, limit)`: every value of `qs[idx]` (the `k`-th variable
/// labelled), each under a nested transaction that is aborted after its subtree (committed
/// once `limit` solutions are found); a failed `label` (no value left) ends it.
fn try_val_fn() -> Term {
    let x = index(var("qs"), var("idx"));
    let explore = Block::new()
        .instr("t", Instr::BeginTx(none()))
        .instr("v", Instr::Label(x.clone()))
        .bind(
            "sols2",
            call_fn(
                "solve",
                vec![
                    var("qs"),
                    add(var("k"), int(1)),
                    concat(var("assign"), list(vec![var("v")])),
                    var("sols"),
                    var("limit"),
                ],
            ),
        )
        // Enough solutions: commit (the store keeps the solution); otherwise undo the subtree.
        .bind(
            "_",
            if_(
                le(var("limit"), len(var("sols2"))),
                Block::new()
                    .instr("_", Instr::CommitTx(var("t")))
                    .ret(unit()),
                Block::new()
                    .instr("_", Instr::AbortTx(var("t")))
                    .ret(unit()),
            ),
        )
        .ret(tuple(vec![var("v"), var("sols2")]));
    let next = Block::new()
        .try_(
            "excluded",
            Block::new()
                .instr("ok", Instr::Post(c("ValNeq", vec![x, var("v")])))
                .ret(var("ok")),
        )
        .then(match_(
            var("excluded"),
            vec![
                (Pattern::Nothing, ret(var("sols2"))),
                (
                    Pattern::Wild,
                    call_fn(
                        "try_val",
                        vec![
                            var("qs"),
                            var("idx"),
                            var("k"),
                            var("assign"),
                            var("sols2"),
                            var("limit"),
                        ],
                    ),
                ),
            ],
        ));
    Block::new().try_("r", explore).then(match_(
        var("r"),
        vec![
            (Pattern::Nothing, ret(var("sols"))),
            (
                Pattern::Just(Box::new(Pattern::Tuple(vec![pbind("v"), pbind("sols2")]))),
                if_(le(var("limit"), len(var("sols2"))), ret(var("sols2")), next),
            ),
        ],
    ))
}

/// The solution limit for `collect`.
fn limit(collect: Collect) -> Expr {
    match collect {
        Collect::First => int(1),
        Collect::All => int(i64::MAX),
    }
}

/// N-Queens: one variable per row (its column, 1..n), `AllDiff` over the columns and, per
/// pair of rows i < j, `q_i != q_j + (j - i)` and `q_i != q_j - (j - i)` (the diagonals, with
/// the offset extension). Returns the list of solutions (each the columns by row).
pub fn queens(n: i64, collect: Collect) -> Program {
    queens_with(n, collect, VarOrder::InOrder)
}

/// [`queens`] with a variable order.
pub fn queens_with(n: i64, collect: Collect, order: VarOrder) -> Program {
    let dom = list((1..=n).map(int).collect());
    // post_pairs(qs, i, j)
    let qi = index(var("qs"), var("i"));
    let qj = index(var("qs"), var("j"));
    let diff = sub(var("j"), var("i"));
    let post_pairs = if_(
        eq(var("i"), len(var("qs"))),
        ret(unit()),
        if_(
            eq(var("j"), len(var("qs"))),
            call_fn(
                "post_pairs",
                vec![var("qs"), add(var("i"), int(1)), add(var("i"), int(2))],
            ),
            Block::new()
                .effect(Instr::Post(c(
                    "Neq",
                    vec![qi.clone(), qj.clone(), diff.clone()],
                )))
                .effect(Instr::Post(c("Neq", vec![qi, qj, sub(int(0), diff)])))
                .then(call_fn(
                    "post_pairs",
                    vec![var("qs"), var("i"), add(var("j"), int(1))],
                )),
        ),
    );
    let main = Block::new()
        .bind("qs", call_fn("mk", vec![int(0), int(n), dom, list(vec![])]))
        .effect(Instr::Post(c("AllDiff", vec![var("qs")])))
        .bind("_", call_fn("post_pairs", vec![var("qs"), int(0), int(1)]))
        .bind(
            "sols",
            call_fn(
                "solve",
                vec![
                    var("qs"),
                    int(0),
                    list(vec![]),
                    list(vec![]),
                    limit(collect),
                ],
            ),
        );
    // First-fail solutions list values in labelling order; the run also returns the final store
    // (which holds the last solution found, committed), row by row.
    let (main, solve, safety) = match order {
        VarOrder::InOrder => (main.ret(var("sols")), in_order_solve(), Safety::Safe),
        VarOrder::FirstFail => (
            main.instr("store", Instr::ReifyConstraints)
                .ret(tuple(vec![var("sols"), var("store")])),
            first_fail_solve(),
            Safety::Unsafe,
        ),
    };
    ProgramBuilder::new()
        .function("mk", &["i", "n", "dom", "acc"], make_vars_fn())
        .function("post_pairs", &["qs", "i", "j"], post_pairs)
        .function("pick", &["vars", "i", "best", "size"], pick_fn())
        .function_with(
            "solve",
            &["qs", "k", "assign", "sols", "limit"],
            solve,
            FnKind::Plain,
            safety,
        )
        .function(
            "try_val",
            &["qs", "idx", "k", "assign", "sols", "limit"],
            try_val_fn(),
        )
        .main_with(main, safety)
}

/// A Sudoku (81 givens, 0 = empty, row by row): 81 variables 1..9, `AllDiff` per row, column
/// and box, givens posted as `ValEq`; first solution by in-order labelling. Returns the list
/// of solutions (at most one), each the 81 values.
pub fn sudoku(givens: &[i64; 81]) -> Program {
    let dom = list((1..=9).map(int).collect());
    let mut block = Block::new().bind(
        "qs",
        call_fn("mk", vec![int(0), int(81), dom, list(vec![])]),
    );
    let cell = |r: i64, c_: i64| index(var("qs"), int(r * 9 + c_));
    for r in 0..9 {
        block = block.effect(Instr::Post(c(
            "AllDiff",
            vec![list((0..9).map(|c_| cell(r, c_)).collect())],
        )));
    }
    for c_ in 0..9 {
        block = block.effect(Instr::Post(c(
            "AllDiff",
            vec![list((0..9).map(|r| cell(r, c_)).collect())],
        )));
    }
    for b in 0..9 {
        let (r0, c0) = ((b / 3) * 3, (b % 3) * 3);
        let cells = (0..9).map(|k| cell(r0 + k / 3, c0 + k % 3)).collect();
        block = block.effect(Instr::Post(c("AllDiff", vec![list(cells)])));
    }
    for (i, g) in givens.iter().enumerate() {
        if *g != 0 {
            let i = i as i64;
            block = block.effect(Instr::Post(c("ValEq", vec![cell(i / 9, i % 9), int(*g)])));
        }
    }
    let main = block
        .bind(
            "sols",
            call_fn(
                "solve",
                vec![var("qs"), int(0), list(vec![]), list(vec![]), int(1)],
            ),
        )
        .ret(var("sols"));
    ProgramBuilder::new()
        .function("mk", &["i", "n", "dom", "acc"], make_vars_fn())
        .function(
            "solve",
            &["qs", "k", "assign", "sols", "limit"],
            in_order_solve(),
        )
        .function(
            "try_val",
            &["qs", "idx", "k", "assign", "sols", "limit"],
            try_val_fn(),
        )
        .main_with(main, Safety::Safe)
}

/// Arto Inkala's 2012 puzzle, often called the hardest 9×9 Sudoku (0 = empty), row by row.
pub const INKALA: &str =
    "800000000003600000070090200050007000000045700000100030001000068008500010090000400";

/// Its unique solution.
pub const INKALA_SOLUTION: &str =
    "812753649943682175675491283154237896369845721287169534521974368438526917796318452";

/// A puzzle string as 81 integers (non-digits count as 0).
pub fn grid(puzzle: &str) -> [i64; 81] {
    let mut cells = [0i64; 81];
    for (cell, ch) in cells.iter_mut().zip(puzzle.chars()) {
        *cell = i64::from(ch.to_digit(10).unwrap_or(0));
    }
    cells
}
