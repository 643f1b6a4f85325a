//! Differential property test: random well-formed ITree programs, lowered to Tape, run on both
//! interpreters against fresh worlds; outcome, trace, final context and store must agree.
//!
//! The generator decodes a proptest-chosen list of numbers into a program (each number picks
//! one construct; an exhausted list picks leaves), so every program is finite and well typed:
//! integer expressions with overflow, division by zero and out-of-range indexing; comparisons
//! and short-circuit logic; lists, tuples and options with built-ins; `let`, `if`, `match`
//! (nil/cons, options, tuples with guards, literals); bounded tail recursion and a pure helper;
//! an object whose behaviour reads its state, writes fields and rejects negative inputs;
//! variants and records (construction, patterns, field access, missing fields, no matching
//! arm); strings and `to_string`; `callPure` through the initial registry;
//! `create`/`call`; nested `begin`/`commit`/`abort`/`commitOrAbort`; `print`; `fail`.
//! Cases: 64 by default, `AVM_DIFF_CASES=<n>` for more.

use avm_compiler::tape::lower;
use avm_vm::itree::builder::*;
use avm_vm::itree::{Arm, BinOp, Builtin, Expr, Instr, Pattern, Program, RunConfig, Term, UnOp};
use avm_vm::testing::assert_same_run_in;
use avm_vm::value::Val;
use avm_vm::world::World;

/// A fresh world with the program's initial pure registry (the Tape program does not carry it).
fn world_for(p: &Program) -> World {
    let mut w = World::new();
    for (name, function) in &p.pure_registry {
        // A repeated name keeps its first entry, as the ITree interpreter does.
        let _ = w.pure.register(name.clone(), function.clone());
    }
    w
}
use proptest::prelude::*;

/// Decodes choices into program parts.
struct Gen {
    choices: Vec<u32>,
    pos: usize,
    /// Int variables in scope (`v0`, `v1`, ...).
    vars: usize,
    /// Open transactions (`t0`, `t1`, ...), innermost last.
    open_txs: Vec<usize>,
    txs: usize,
}

impl Gen {
    fn pick(&mut self, n: u32) -> u32 {
        let c = self.choices.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        c % n.max(1)
    }

    fn int_lit(&mut self) -> Expr {
        let v = match self.pick(8) {
            0 => i64::MAX,
            1 => i64::MIN,
            2 => 0,
            3 => -1,
            _ => i64::from(self.pick(40)) - 10,
        };
        int(v)
    }

    fn int_expr(&mut self, depth: u32) -> Expr {
        let leaf = depth == 0 || self.pos >= self.choices.len();
        if leaf {
            return if self.vars > 0 && self.pick(2) == 0 {
                let k = self.pick(self.vars as u32);
                var(&format!("v{k}"))
            } else {
                self.int_lit()
            };
        }
        let d = depth - 1;
        match self.pick(11) {
            0 => bin(BinOp::Add, self.int_expr(d), self.int_expr(d)),
            1 => bin(BinOp::Sub, self.int_expr(d), self.int_expr(d)),
            2 => bin(BinOp::Mul, self.int_expr(d), self.int_expr(d)),
            3 => bin(BinOp::Div, self.int_expr(d), self.int_expr(d)),
            4 => bin(BinOp::Rem, self.int_expr(d), self.int_expr(d)),
            5 => Expr::Unary(UnOp::Neg, Box::new(self.int_expr(d))),
            6 => builtin(Builtin::Len, vec![self.list_expr(d)]),
            7 => builtin(Builtin::UnwrapOr, vec![self.opt_expr(d), self.int_expr(d)]),
            8 => index(self.list_expr(d), self.int_expr(d)),
            9 => index(tuple(vec![self.int_expr(d), self.int_expr(d)]), int(1)),
            _ => self.int_expr(0),
        }
    }

    fn bool_expr(&mut self, depth: u32) -> Expr {
        let d = depth.saturating_sub(1);
        if depth == 0 {
            return boolean(self.pick(2) == 0);
        }
        match self.pick(7) {
            0 => {
                let op = [
                    BinOp::Lt,
                    BinOp::Le,
                    BinOp::Gt,
                    BinOp::Ge,
                    BinOp::Eq,
                    BinOp::Ne,
                ][self.pick(6) as usize];
                bin(op, self.int_expr(d), self.int_expr(d))
            }
            1 => bin(BinOp::And, self.bool_expr(d), self.bool_expr(d)),
            2 => bin(BinOp::Or, self.bool_expr(d), self.bool_expr(d)),
            3 => not(self.bool_expr(d)),
            4 => builtin(Builtin::Contains, vec![self.list_expr(d), self.int_expr(d)]),
            5 => builtin(Builtin::IsSome, vec![self.opt_expr(d)]),
            _ => eq(self.list_expr(d), self.list_expr(d)),
        }
    }

    fn list_expr(&mut self, depth: u32) -> Expr {
        let d = depth.saturating_sub(1);
        if depth == 0 {
            let n = self.pick(4);
            return list((0..n).map(|_| self.int_expr(0)).collect());
        }
        match self.pick(6) {
            0 => builtin(Builtin::Cons, vec![self.int_expr(d), self.list_expr(d)]),
            1 => builtin(Builtin::Reverse, vec![self.list_expr(d)]),
            2 => builtin(Builtin::Tail, vec![self.list_expr(d)]),
            3 => bin(BinOp::Concat, self.list_expr(d), self.list_expr(d)),
            _ => {
                let n = self.pick(4);
                list((0..n).map(|_| self.int_expr(d)).collect())
            }
        }
    }

    fn opt_expr(&mut self, depth: u32) -> Expr {
        let d = depth.saturating_sub(1);
        match self.pick(3) {
            0 => none(),
            1 => some(self.int_expr(d)),
            _ => builtin(Builtin::Head, vec![self.list_expr(d)]),
        }
    }

    /// A term computing an Int (bound by the caller).
    fn int_term(&mut self) -> Term {
        match self.pick(10) {
            7 => {
                let which = ["Circle", "Rect", "Tri"][self.pick(3) as usize];
                let payload = match which {
                    "Circle" => vec![self.int_expr(1)],
                    _ => vec![self.int_expr(1), self.int_expr(1)],
                };
                match_(
                    variant("Shape", which, payload),
                    vec![
                        (
                            Pattern::Variant {
                                enum_name: name("Shape"),
                                variant: name("Circle"),
                                payload: vec![pbind("r")],
                            },
                            ret(bin(BinOp::Mul, var("r"), var("r"))),
                        ),
                        (
                            Pattern::Variant {
                                enum_name: name("Shape"),
                                variant: name("Rect"),
                                payload: vec![pbind("w"), pbind("h")],
                            },
                            ret(bin(BinOp::Mul, var("w"), var("h"))),
                        ),
                    ],
                )
            }
            8 => {
                let f = ["x", "y", "z"][self.pick(3) as usize];
                let p = record("P", vec![("x", self.int_expr(1)), ("y", self.int_expr(1))]);
                match_(
                    p,
                    vec![
                        (
                            Pattern::Record {
                                type_name: name("P"),
                                fields: vec![(name("y"), Pattern::Lit(Val::Int(0)))],
                            },
                            ret(int(-7)),
                        ),
                        (pbind("q"), ret(field(var("q"), f))),
                    ],
                )
            }
            9 => {
                let text = bin(
                    BinOp::Concat,
                    builtin(Builtin::ToString, vec![self.int_expr(1)]),
                    string("ab"),
                );
                Block::new()
                    .instr(
                        "sq",
                        Instr::CallPure {
                            name: name("sq"),
                            args: list(vec![self.int_expr(1)]),
                        },
                    )
                    .ret(add(
                        builtin(Builtin::Len, vec![text]),
                        builtin(Builtin::UnwrapOr, vec![var("sq"), int(0)]),
                    ))
            }
            0 => if_(
                self.bool_expr(2),
                ret(self.int_expr(2)),
                ret(self.int_expr(2)),
            ),
            1 => match_(
                self.list_expr(2),
                vec![
                    (Pattern::Nil, ret(self.int_expr(1))),
                    (
                        Pattern::Cons(Box::new(pbind("h")), Box::new(pbind("t"))),
                        ret(add(var("h"), builtin(Builtin::Len, vec![var("t")]))),
                    ),
                ],
            ),
            2 => match_(
                self.opt_expr(2),
                vec![
                    (Pattern::Just(Box::new(pbind("x"))), ret(var("x"))),
                    (Pattern::Nothing, ret(self.int_expr(1))),
                ],
            ),
            3 => Term::Match {
                scrutinee: tuple(vec![self.int_expr(1), self.int_expr(1)]),
                arms: vec![
                    Arm {
                        pattern: Pattern::Tuple(vec![pbind("a"), pbind("b")]),
                        guard: Some(lt(var("a"), var("b"))),
                        body: ret(sub(var("b"), var("a"))),
                    },
                    Arm {
                        pattern: Pattern::Tuple(vec![Pattern::Lit(Val::Int(0)), Pattern::Wild]),
                        guard: None,
                        body: ret(int(100)),
                    },
                    Arm {
                        pattern: Pattern::Tuple(vec![pbind("a"), Pattern::Wild]),
                        guard: Some(bin(BinOp::Gt, var("a"), int(5))),
                        body: ret(var("a")),
                    },
                ],
            },
            4 => call_fn("down", vec![self.int_expr(1), int(0)]),
            5 => call_fn("square", vec![self.int_expr(1)]),
            _ => if_(
                self.bool_expr(1),
                fail(tuple(vec![string("boom"), self.int_expr(1)])),
                ret(self.int_expr(1)),
            ),
        }
    }

    /// Appends steps to `block` (depth bounds nested transactions).
    fn steps(&mut self, mut block: Block, count: u32, depth: u32) -> Block {
        for _ in 0..count {
            let v = format!("v{}", self.vars);
            block = match self.pick(8) {
                0 | 1 => {
                    let e = self.int_expr(3);
                    self.vars += 1;
                    block.let_(&v, e)
                }
                2 | 3 => {
                    let t = self.int_term();
                    self.vars += 1;
                    block.bind(&v, t)
                }
                4 => {
                    let input = self.int_expr(2);
                    let r = format!("r{}", self.vars);
                    self.vars += 1;
                    block.instr(&r, Instr::Call(var("obj"), input)).bind(
                        &v,
                        match_(
                            var(&r),
                            vec![
                                (Pattern::Just(Box::new(pbind("x"))), ret(var("x"))),
                                (Pattern::Nothing, ret(int(-1))),
                            ],
                        ),
                    )
                }
                5 => {
                    let e = self.int_expr(2);
                    block.effect(Instr::Print(e))
                }
                _ if depth > 0 => {
                    let t = format!("t{}", self.txs);
                    self.txs += 1;
                    self.open_txs.push(self.txs - 1);
                    block = block.instr(&t, Instr::BeginTx(none()));
                    let inner = 1 + self.pick(3);
                    block = self.steps(block, inner, depth - 1);
                    self.open_txs.pop();
                    let end = match self.pick(3) {
                        0 => Instr::CommitTx(var(&t)),
                        1 => Instr::AbortTx(var(&t)),
                        _ => Instr::CommitOrAbort(var(&t)),
                    };
                    block.effect(end)
                }
                _ => {
                    let e = self.int_expr(1);
                    self.vars += 1;
                    block.let_(&v, e)
                }
            };
        }
        block
    }
}

/// The object: on its first call it stores `[n]`; afterwards it adds `n` to field 0 (checked),
/// and answers the new count, or rejects (`[]`) a negative input.
fn acc_behaviour() -> Term {
    Block::new()
        .instr("n", Instr::Input)
        .instr("s", Instr::GetState)
        .then(if_(
            eq(builtin(Builtin::Len, vec![var("s")]), int(0)),
            Block::new()
                .effect(Instr::SetState(list(vec![var("n")])))
                .ret(list(vec![var("n")])),
            Block::new()
                .instr("c", Instr::GetField(0))
                .let_("c2", add(var("c"), var("n")))
                .effect(Instr::SetField(0, var("c2")))
                .then(if_(
                    lt(var("n"), int(0)),
                    ret(list(vec![])),
                    ret(list(vec![var("c2")])),
                )),
        ))
}

fn program(choices: Vec<u32>) -> Program {
    let mut g = Gen {
        choices,
        pos: 0,
        vars: 0,
        open_txs: Vec::new(),
        txs: 0,
    };
    let count = 1 + g.pick(8);
    let block = Block::new().instr(
        "obj",
        Instr::CreateObj {
            behaviour: name("Acc"),
            controller: some_controller("c1"),
        },
    );
    let block = g.steps(block, count, 2);
    let result = list((0..g.vars).map(|k| var(&format!("v{k}"))).collect());
    let down = if_(
        bin(
            BinOp::Or,
            le(var("n"), int(0)),
            bin(BinOp::Gt, var("n"), int(30)),
        ),
        ret(var("acc")),
        call_fn(
            "down",
            vec![sub(var("n"), int(1)), add(var("acc"), var("n"))],
        ),
    );
    ProgramBuilder::new()
        .behaviour("Acc", acc_behaviour())
        .function("down", &["n", "acc"], down)
        .pure_function("square", &["x"], ret(bin(BinOp::Mul, var("x"), var("x"))))
        .register_pure("sq", "square")
        .main(block.ret(result))
}

fn cases() -> u32 {
    std::env::var("AVM_DIFF_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_programs_run_the_same_on_both_interpreters(
        choices in proptest::collection::vec(any::<u32>(), 0..200)
    ) {
        let p = program(choices);
        let tape = lower(&p).map_err(|e| TestCaseError::fail(e.to_string()))?;
        if let Err(errors) = avm_vm::tape::verify::verify(&tape) {
            return Err(TestCaseError::fail(format!("{errors:?}")));
        }
        assert_same_run_in(&p, &tape, &RunConfig::default(), &|| world_for(&p));
    }
}

#[test]
fn the_generator_reaches_errors_and_successes() {
    // A fixed spread of seeds: the generated programs both succeed and fail (so the property
    // above compares error outcomes too).
    let mut ok = 0;
    let mut failed = 0;
    for seed in 0..60u32 {
        let choices: Vec<u32> = (0..150)
            .map(|i| seed.wrapping_mul(2_654_435_761).wrapping_add(i * 40_503) >> 7)
            .collect();
        let p = program(choices);
        let tape = lower(&p).expect("generated programs lower");
        let r = assert_same_run_in(&p, &tape, &RunConfig::default(), &|| world_for(&p));
        if r.outcome.is_ok() {
            ok += 1;
        } else {
            failed += 1;
        }
    }
    assert!(ok > 0 && failed > 0, "ok {ok}, failed {failed}");
}
