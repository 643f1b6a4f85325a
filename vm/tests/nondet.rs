//! Nondeterminism through the VM (`isa.md` §11, `docs/spec-deviations.md` Nondet sections):
//! `choose`/`require` resolved when the enclosing transaction commits, by depth-first search
//! over the choice points (first option first), re-running the transaction body; the
//! unsatisfiable case names a smallest conflicting set of requirements; behaviour outside a
//! transaction; both interpreters agree (result and trace).

use avm_vm::error::{AvmError, NondetError, RequireSite};
use avm_vm::ids::TxId;
use avm_vm::itree::builder::*;
use avm_vm::itree::term::{BinOp, Expr, Instr, Program};
use avm_vm::itree::{RunConfig, RunResult, run};
use avm_vm::tape::parse::parse_program;
use avm_vm::testing::assert_same_run;
use avm_vm::trace::TraceView;
use avm_vm::value::Val;
use avm_vm::world::World;

fn ints(xs: &[i64]) -> Expr {
    list(xs.iter().map(|x| int(*x)).collect())
}

fn tape(text: &str) -> avm_vm::tape::Program {
    match parse_program(text) {
        Ok(p) => p,
        Err(e) => panic!("test program does not parse: {e}"),
    }
}

fn run_program(p: &Program) -> RunResult {
    let mut world = World::new();
    run(p, &mut world, &RunConfig::default())
}

/// x, y ∈ 1..4, x * y == 6, x < y: the unique answer is (2, 3).
fn puzzle_itree() -> Program {
    ProgramBuilder::new().main(
        Block::new()
            .instr("t", Instr::BeginTx(none()))
            .instr("x", Instr::Choose(ints(&[1, 2, 3, 4])))
            .instr("y", Instr::Choose(ints(&[1, 2, 3, 4])))
            .effect(Instr::Require(eq(
                bin(BinOp::Mul, var("x"), var("y")),
                int(6),
            )))
            .effect(Instr::Require(lt(var("x"), var("y"))))
            .effect(Instr::CommitTx(var("t")))
            .ret(tuple(vec![var("x"), var("y")])),
    )
}

const PUZZLE_TAPE: &str = r#"
.const c0 [1, 2, 3, 4]
.func "main" params=0 regs=14 safe main
    none -> r0
    fx.beginTx r0..r1 -> r1
    const c0 -> r2
    fx.choose r2..r3 -> r3
    fx.choose r2..r3 -> r4
    mul r3, r4 -> r5
    int 6 -> r6
    eq r5, r6 -> r7
    fx.require r7..r8 -> r8
    lt r3, r4 -> r9
    fx.require r9..r10 -> r10
    fx.commitTx r1..r2 -> r11
    tuple r3..r5 -> r12
    ret r12
.end
.entry @main
"#;

#[test]
fn choose_require_puzzle_has_its_unique_answer() {
    let r = run_program(&puzzle_itree());
    assert_eq!(r.outcome, Ok(Val::tuple(vec![Val::Int(2), Val::Int(3)])));
    // Only the committed run's events, plus the marker: (2, 3) is the 7th assignment in
    // depth-first order, so 6 runs were discarded.
    insta::assert_snapshot!(r.trace.render(TraceView::Full), @r"
    [0] TransactionStarted(0) @none
    [1] ChoicesResolved(0, 6 discarded) @none
    [1] TransactionCommitted(0) @none
    ");
}

#[test]
fn both_interpreters_agree_on_the_puzzle() {
    let r = assert_same_run(&puzzle_itree(), &tape(PUZZLE_TAPE), &RunConfig::default());
    assert_eq!(r.outcome, Ok(Val::tuple(vec![Val::Int(2), Val::Int(3)])));
}

/// x, y ∈ 1..3: #1 x < y, #2 x >= 2, #3 y <= 2 cannot hold together; #4 x + y >= 2 always
/// holds and must not be named.
fn unsat_itree() -> Program {
    ProgramBuilder::new().main(
        Block::new()
            .instr("t", Instr::BeginTx(none()))
            .instr("x", Instr::Choose(ints(&[1, 2, 3])))
            .instr("y", Instr::Choose(ints(&[1, 2, 3])))
            .effect(Instr::Require(lt(var("x"), var("y"))))
            .effect(Instr::Require(le(int(2), var("x"))))
            .effect(Instr::Require(le(var("y"), int(2))))
            .effect(Instr::Require(le(int(2), add(var("x"), var("y")))))
            .effect(Instr::CommitTx(var("t")))
            .ret(tuple(vec![var("x"), var("y")])),
    )
}

const UNSAT_TAPE: &str = r#"
.const c0 [1, 2, 3]
.func "main" params=0 regs=20 safe main
    none -> r0
    fx.beginTx r0..r1 -> r1
    const c0 -> r2
    fx.choose r2..r3 -> r3
    fx.choose r2..r3 -> r4
    lt r3, r4 -> r5
    fx.require r5..r6 -> r6
    int 2 -> r7
    le r7, r3 -> r8
    fx.require r8..r9 -> r9
    le r4, r7 -> r10
    fx.require r10..r11 -> r11
    add r3, r4 -> r12
    le r7, r12 -> r13
    fx.require r13..r14 -> r14
    fx.commitTx r1..r2 -> r15
    tuple r3..r5 -> r16
    ret r16
.end
.entry @main
"#;

#[test]
fn unsatisfiable_requirements_are_named() {
    let r = run_program(&unsat_itree());
    assert_eq!(
        r.outcome,
        Err(NondetError::ErrUnsatisfiable {
            tx: TxId(0),
            conflict: vec![RequireSite(1), RequireSite(2), RequireSite(3)],
            places: Vec::new(),
            runs: 9,
        }
        .into())
    );
    let Err(e) = &r.outcome else {
        unreachable!("checked above");
    };
    assert_eq!(
        e.to_string(),
        "transaction 0: requirements #1, #2, #3 cannot hold together (9 runs tried)"
    );
}

#[test]
fn the_conflict_is_minimised() {
    // #1 never holds; #2 fails in some runs too, but #1 alone explains every failure.
    let r = run_program(
        &ProgramBuilder::new().main(
            Block::new()
                .instr("t", Instr::BeginTx(none()))
                .instr("x", Instr::Choose(ints(&[1, 2])))
                .effect(Instr::Require(eq(var("x"), int(5))))
                .effect(Instr::Require(eq(var("x"), int(2))))
                .effect(Instr::CommitTx(var("t")))
                .ret(var("x")),
        ),
    );
    assert_eq!(
        r.outcome,
        Err(NondetError::ErrUnsatisfiable {
            tx: TxId(0),
            conflict: vec![RequireSite(1)],
            places: Vec::new(),
            runs: 2,
        }
        .into())
    );
}

#[test]
fn both_interpreters_agree_on_unsatisfiable_requirements() {
    let r = assert_same_run(&unsat_itree(), &tape(UNSAT_TAPE), &RunConfig::default());
    assert!(matches!(
        r.outcome,
        Err(AvmError::Nondet(NondetError::ErrUnsatisfiable { .. }))
    ));
}

#[test]
fn outside_a_transaction_choose_takes_the_first_and_require_checks_at_once() {
    let r = run_program(
        &ProgramBuilder::new().main(
            Block::new()
                .instr("x", Instr::Choose(ints(&[7, 8])))
                .effect(Instr::Require(eq(var("x"), int(7))))
                .effect(Instr::Require(eq(var("x"), int(8))))
                .ret(var("x")),
        ),
    );
    assert_eq!(
        r.outcome,
        Err(NondetError::ErrRequirementFailed(RequireSite(2)).into())
    );
    let r = run_program(
        &ProgramBuilder::new().main(
            Block::new()
                .instr("x", Instr::Choose(ints(&[])))
                .ret(var("x")),
        ),
    );
    assert_eq!(r.outcome, Err(NondetError::ErrEmptyChoice.into()));
}

/// A transaction body that creates an object, narrows an FD variable to the chosen value and
/// requires the third option: two runs are discarded.
fn rerun_itree() -> Program {
    ProgramBuilder::new()
        .behaviour("cell", ret(list(vec![])))
        .main(
            Block::new()
                .instr("v", Instr::NewVar(ints(&[1, 2, 3])))
                .instr("t", Instr::BeginTx(none()))
                .instr(
                    "o",
                    Instr::CreateObj {
                        behaviour: name("cell"),
                        controller: none(),
                    },
                )
                .instr("x", Instr::Choose(ints(&[1, 2, 3])))
                .effect(Instr::Narrow(var("v"), list(vec![var("x")])))
                .effect(Instr::Require(eq(var("x"), int(3))))
                .effect(Instr::CommitTx(var("t")))
                .instr("d", Instr::Label(var("v")))
                .ret(tuple(vec![var("o"), var("x"), var("d")])),
        )
}

const RERUN_TAPE: &str = r#"
.const c0 [1, 2, 3]
.const c1 "cell"
.func "cell.dispatch" params=1 regs=2 safe dispatch
    list -> r1
    ret r1
.end
.func "main" params=0 regs=20 safe main
    const c0 -> r0
    fx.newVar r0..r1 -> r1
    none -> r2
    fx.beginTx r2..r3 -> r3
    const c1 -> r4
    none -> r5
    fx.createObj r4..r6 -> r6
    fx.choose r0..r1 -> r7
    move r1 -> r8
    list r7..r8 -> r9
    fx.narrow r8..r10 -> r10
    int 3 -> r11
    eq r7, r11 -> r12
    fx.require r12..r13 -> r13
    fx.commitTx r3..r4 -> r14
    fx.label r1..r2 -> r15
    move r6 -> r16
    move r7 -> r17
    move r15 -> r18
    tuple r16..r19 -> r19
    ret r19
.end
.behaviour "cell" dispatch=@"cell.dispatch" fields=[]
.entry @main
"#;

#[test]
fn a_rerun_restores_state_writes_fd_and_clock() {
    // The discarded runs create objects, write FD domains and advance the clock; only the
    // committed run's effects remain.
    let mut world = World::new();
    let r = run(&rerun_itree(), &mut world, &RunConfig::default());
    assert_eq!(
        r.outcome.as_ref().map(|v| v.to_string()),
        Ok("(#1, 3, 3)".into())
    );
    assert_eq!(world.store.object_count(), 1);
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
}

#[test]
fn both_interpreters_agree_on_a_rerun() {
    let r = assert_same_run(&rerun_itree(), &tape(RERUN_TAPE), &RunConfig::default());
    assert_eq!(
        r.outcome.as_ref().map(|v| v.to_string()),
        Ok("(#1, 3, 3)".into())
    );
}

#[test]
fn nested_transactions_resolve_their_own_choices() {
    let program = ProgramBuilder::new().main(
        Block::new()
            .instr("t1", Instr::BeginTx(none()))
            .instr("a", Instr::Choose(ints(&[1, 2])))
            .instr("t2", Instr::BeginTx(none()))
            .instr("b", Instr::Choose(ints(&[1, 2, 3])))
            .effect(Instr::Require(eq(var("b"), int(3))))
            .effect(Instr::CommitTx(var("t2")))
            .effect(Instr::Require(eq(var("a"), int(2))))
            .effect(Instr::CommitTx(var("t1")))
            .ret(tuple(vec![var("a"), var("b")])),
    );
    let r = run_program(&program);
    assert_eq!(r.outcome, Ok(Val::tuple(vec![Val::Int(2), Val::Int(3)])));
}
