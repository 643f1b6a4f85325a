//! The FD instructions through the VM (`isa.md` §10, `docs/spec-deviations.md` FD sections):
//! one test per instruction and failure kind, the transactional constraint store (nested
//! abort restores domains exactly, commit keeps them), `reifyConstraints`, the FD trace events,
//! and the ITree and Tape interpreters agreeing on the same programs.

use avm_vm::error::{AvmError, FdError};
use avm_vm::fd::WipeoutCause;
use avm_vm::ids::VarId;
use avm_vm::isa::Safety;
use avm_vm::itree::builder::*;
use avm_vm::itree::term::{Expr, Instr, Program, Term};
use avm_vm::itree::{RunConfig, RunResult, run};
use avm_vm::tape::parse::parse_program;
use avm_vm::testing::assert_same_run;
use avm_vm::trace::TraceView;
use avm_vm::value::Val;
use avm_vm::world::World;

fn ints(xs: &[i64]) -> Expr {
    list(xs.iter().map(|x| int(*x)).collect())
}

fn constraint(name: &str, payload: Vec<Expr>) -> Expr {
    variant("Constraint", name, payload)
}

fn program(main: Term) -> Program {
    ProgramBuilder::new().main_with(main, Safety::Unsafe)
}

fn run_main(main: Term) -> (RunResult, World) {
    let mut world = World::new();
    let r = run(&program(main), &mut world, &RunConfig::default());
    (r, world)
}

fn value(r: &RunResult) -> String {
    match &r.outcome {
        Ok(v) => v.to_string(),
        Err(e) => panic!("run failed: {e}"),
    }
}

fn error(r: &RunResult) -> AvmError {
    match &r.outcome {
        Ok(v) => panic!("expected an error, got {v}"),
        Err(e) => e.clone(),
    }
}

fn tape(text: &str) -> avm_vm::tape::Program {
    match parse_program(text) {
        Ok(p) => p,
        Err(e) => panic!("test program does not parse: {e}"),
    }
}

#[test]
fn new_var_creates_variables_that_reify_shows() {
    // isa.md §10 newVar: a fresh variable with that finite domain.
    let (r, world) = run_main(
        Block::new()
            .instr("x", Instr::NewVar(ints(&[3, 1, 2, 2])))
            .instr("y", Instr::NewVar(ints(&[5])))
            .instr("s", Instr::ReifyConstraints)
            .ret(tuple(vec![var("x"), var("y"), var("s")])),
    );
    assert_eq!(
        value(&r),
        "(?0, ?1, ReifiedConstraints { vars: [(0, [1, 2, 3]), (1, [5])], count: 0 })"
    );
    assert_eq!(world.clock, 0, "FD events take no timestamp");
    insta::assert_snapshot!(r.trace.render(TraceView::Full), @r"
    [0] VarCreated(?0, {1..3}) @none
    [0] VarCreated(?1, {5}) @none
    ");
}

#[test]
fn new_var_empty_domain_is_a_wipeout() {
    let (r, _) = run_main(
        Block::new()
            .instr("x", Instr::NewVar(ints(&[])))
            .ret(var("x")),
    );
    assert_eq!(
        error(&r),
        FdError::ErrDomainWipeout {
            var: VarId(0),
            cause: WipeoutCause::Creation
        }
        .into()
    );
}

#[test]
fn new_var_rejects_non_integer_values() {
    let (r, _) = run_main(
        Block::new()
            .instr("x", Instr::NewVar(list(vec![int(1), string("a")])))
            .ret(var("x")),
    );
    assert_eq!(error(&r), FdError::ErrNonIntegerValue(Val::str("a")).into());
}

#[test]
fn narrow_intersects_and_a_wipeout_leaves_the_store_unchanged() {
    // isa.md §10 narrow: domain := domain ∩ given. Ours: an empty result is an FD error and the
    // store is as before (spec-deviations "FD: wipe-out fails the instruction").
    let (r, _) = run_main(
        Block::new()
            .instr("x", Instr::NewVar(ints(&[1, 2, 3, 4, 5])))
            .instr("ok", Instr::Narrow(var("x"), ints(&[2, 4, 9])))
            .try_(
                "failed",
                Block::new()
                    .instr("b", Instr::Narrow(var("x"), ints(&[7])))
                    .ret(var("b")),
            )
            .instr("s", Instr::ReifyConstraints)
            .ret(tuple(vec![var("ok"), var("failed"), var("s")])),
    );
    assert_eq!(
        value(&r),
        "(true, none, ReifiedConstraints { vars: [(0, [2, 4])], count: 0 })"
    );
    let (r, _) = run_main(
        Block::new()
            .instr("x", Instr::NewVar(ints(&[1, 2])))
            .instr("b", Instr::Narrow(var("x"), ints(&[7])))
            .ret(var("b")),
    );
    assert_eq!(
        error(&r),
        FdError::ErrDomainWipeout {
            var: VarId(0),
            cause: WipeoutCause::Narrow
        }
        .into()
    );
}

#[test]
fn post_propagates_offsets_and_counts_constraints() {
    // isa.md §0.3 / §10 post; the offset form `x = y + 2` is our extension.
    let (r, _) = run_main(
        Block::new()
            .instr("x", Instr::NewVar(ints(&[1, 2, 3, 4])))
            .instr("y", Instr::NewVar(ints(&[1, 2, 3, 4])))
            .instr(
                "ok",
                Instr::Post(constraint("Eq", vec![var("x"), var("y"), int(2)])),
            )
            .effect(Instr::Post(constraint("ValNeq", vec![var("x"), int(4)])))
            .instr("s", Instr::ReifyConstraints)
            .ret(tuple(vec![var("ok"), var("s")])),
    );
    assert_eq!(
        value(&r),
        "(true, ReifiedConstraints { vars: [(0, [3]), (1, [1])], count: 2 })"
    );
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
}

#[test]
fn every_spec_constraint_form_decodes() {
    let forms = [
        ("Eq", true),
        ("Neq", true),
        ("Leq", true),
        ("Lt", true),
        ("Geq", true),
        ("Gt", true),
        ("ValEq", false),
        ("ValNeq", false),
        ("ValLeq", false),
        ("ValLt", false),
        ("ValGeq", false),
        ("ValGt", false),
    ];
    for (name, two_vars) in forms {
        let second = if two_vars { var("y") } else { int(2) };
        let (r, _) = run_main(
            Block::new()
                .instr("x", Instr::NewVar(ints(&[1, 2, 3])))
                .instr("y", Instr::NewVar(ints(&[1, 2, 3])))
                .instr("ok", Instr::Post(constraint(name, vec![var("x"), second])))
                .instr("s", Instr::ReifyConstraints)
                .ret(var("s")),
        );
        assert!(r.outcome.is_ok(), "{name}: {:?}", r.outcome);
    }
    let (r, _) = run_main(
        Block::new()
            .instr("x", Instr::NewVar(ints(&[1, 2])))
            .instr("y", Instr::NewVar(ints(&[1, 2])))
            .instr("z", Instr::NewVar(ints(&[1, 2])))
            .instr(
                "ok",
                Instr::Post(constraint(
                    "AllDiff",
                    vec![list(vec![var("x"), var("y"), var("z")])],
                )),
            )
            .ret(var("ok")),
    );
    // Three variables, two values: AllDiff fails at once (pigeonhole).
    assert!(matches!(
        error(&r),
        AvmError::Fd(FdError::ErrDomainWipeout {
            cause: WipeoutCause::Constraint(_),
            ..
        })
    ));
}

#[test]
fn post_rejects_malformed_constraints() {
    let bad = [
        int(42),
        constraint("Between", vec![var("x"), int(1)]),
        constraint("Lt", vec![var("x")]),
        variant("Other", "Lt", vec![var("x"), var("x")]),
        constraint("ValEq", vec![var("x"), var("x")]),
    ];
    for c in bad {
        let (r, _) = run_main(
            Block::new()
                .instr("x", Instr::NewVar(ints(&[1, 2])))
                .instr("ok", Instr::Post(c))
                .ret(var("ok")),
        );
        assert!(
            matches!(
                error(&r),
                AvmError::Fd(FdError::ErrMalformedConstraint(_) | FdError::ErrNonIntegerValue(_))
            ),
            "{:?}",
            r.outcome
        );
    }
    let (r, _) = run_main(
        Block::new()
            .instr("x", Instr::NewVar(ints(&[1, 2])))
            .instr(
                "ok",
                Instr::Post(constraint("ValEq", vec![var("x"), string("a")])),
            )
            .ret(var("ok")),
    );
    assert_eq!(error(&r), FdError::ErrNonIntegerValue(Val::str("a")).into());
}

#[test]
fn unknown_variables_are_errors() {
    let (r, _) = run_main(
        Block::new()
            .instr("b", Instr::Narrow(lit(Val::FdVar(VarId(7))), ints(&[1])))
            .ret(var("b")),
    );
    assert_eq!(error(&r), FdError::ErrUnknownVar(VarId(7)).into());
    let (r, _) = run_main(Block::new().instr("v", Instr::Label(int(3))).ret(var("v")));
    assert!(matches!(error(&r), AvmError::Exec(_)), "not an FdVar");
}

#[test]
fn label_picks_the_smallest_surviving_value() {
    // isa.md §10 label: a value from the current domain, now. Ours: the smallest whose
    // propagation does not wipe out a domain.
    let (r, _) = run_main(
        Block::new()
            .instr("x", Instr::NewVar(ints(&[1, 2, 3])))
            .instr("y", Instr::NewVar(ints(&[2, 3])))
            .instr("z", Instr::NewVar(ints(&[2, 3])))
            // y != z forces {y, z} = {2, 3}; x = 1 survives, but x != y - 1 refutes x = 1 and 2
            // only through labelling.
            .effect(Instr::Post(constraint("Neq", vec![var("y"), var("z")])))
            .effect(Instr::Post(constraint(
                "Neq",
                vec![var("x"), var("y"), int(-1)],
            )))
            .effect(Instr::Post(constraint(
                "Neq",
                vec![var("x"), var("z"), int(-1)],
            )))
            .instr("v", Instr::Label(var("x")))
            .instr("s", Instr::ReifyConstraints)
            .ret(tuple(vec![var("v"), var("s")])),
    );
    assert_eq!(
        value(&r),
        "(3, ReifiedConstraints { vars: [(0, [3]), (1, [2, 3]), (2, [2, 3])], count: 3 })"
    );
    let trace = r.trace.render(TraceView::Full);
    assert!(trace.contains("Labeled(?0, 1)"), "{trace}");
    assert!(trace.contains("FdFailed("), "{trace}");
    assert!(trace.contains("Labeled(?0, 3)"), "{trace}");
}

#[test]
fn label_fails_when_every_value_is_refuted() {
    let (r, _) = run_main(
        Block::new()
            .instr("x", Instr::NewVar(ints(&[1, 2])))
            .instr("y", Instr::NewVar(ints(&[1, 2])))
            .instr("z", Instr::NewVar(ints(&[1, 2])))
            .effect(Instr::Post(constraint("Neq", vec![var("x"), var("y")])))
            .effect(Instr::Post(constraint("Neq", vec![var("y"), var("z")])))
            .effect(Instr::Post(constraint("Neq", vec![var("x"), var("z")])))
            .instr("v", Instr::Label(var("x")))
            .ret(var("v")),
    );
    assert!(matches!(
        error(&r),
        AvmError::Fd(FdError::ErrDomainWipeout { .. })
    ));
}

/// The nested-transaction program of `abort_restores_domains_exactly`.
fn nested_abort_itree() -> Program {
    program(
        Block::new()
            .instr("x", Instr::NewVar(ints(&[1, 2, 3, 4, 5, 6, 7, 8, 9])))
            .instr("t1", Instr::BeginTx(none()))
            .effect(Instr::Narrow(var("x"), ints(&[1, 2, 3, 4, 5, 6])))
            .instr("a", Instr::ReifyConstraints)
            .instr("t2", Instr::BeginTx(none()))
            .instr("y", Instr::NewVar(ints(&[1, 2, 3])))
            .effect(Instr::Post(constraint("Lt", vec![var("x"), var("y")])))
            .instr("b", Instr::ReifyConstraints)
            .instr("t3", Instr::BeginTx(none()))
            .instr("v", Instr::Label(var("x")))
            .effect(Instr::AbortTx(var("t3")))
            .instr("c", Instr::ReifyConstraints)
            .effect(Instr::AbortTx(var("t2")))
            .instr("d", Instr::ReifyConstraints)
            .effect(Instr::CommitTx(var("t1")))
            .instr("e", Instr::ReifyConstraints)
            .ret(tuple(vec![
                var("a"),
                var("b"),
                var("v"),
                var("c"),
                var("d"),
                var("e"),
            ])),
    )
}

const NESTED_ABORT_TAPE: &str = r#"
.string s0 "Constraint"
.string s1 "Lt"
.const c0 [1, 2, 3, 4, 5, 6, 7, 8, 9]
.const c1 [1, 2, 3, 4, 5, 6]
.const c2 [1, 2, 3]
.func "main" params=0 regs=30 unsafe main
    const c0 -> r0
    fx.newVar r0..r1 -> r1
    none -> r2
    fx.beginTx r2..r3 -> r3
    move r1 -> r4
    const c1 -> r5
    fx.narrow r4..r6 -> r6
    fx.reifyConstraints -> r7
    fx.beginTx r2..r3 -> r8
    const c2 -> r9
    fx.newVar r9..r10 -> r10
    move r1 -> r11
    move r10 -> r12
    variant s0, s1, r11..r13 -> r13
    fx.post r13..r14 -> r14
    fx.reifyConstraints -> r15
    fx.beginTx r2..r3 -> r16
    fx.label r1..r2 -> r17
    fx.abortTx r16..r17 -> r18
    fx.reifyConstraints -> r19
    fx.abortTx r8..r9 -> r18
    fx.reifyConstraints -> r20
    fx.commitTx r3..r4 -> r18
    fx.reifyConstraints -> r21
    move r7 -> r22
    move r15 -> r23
    move r17 -> r24
    move r19 -> r25
    move r20 -> r26
    move r21 -> r27
    tuple r22..r28 -> r28
    ret r28
.end
.entry @main
"#;

#[test]
fn abort_restores_domains_exactly() {
    // Nested: t3's label is undone by abort t3, t2's variable and constraint by abort t2, and
    // t1's narrowing is kept by its commit.
    let mut world = World::new();
    let r = run(&nested_abort_itree(), &mut world, &RunConfig::default());
    let Ok(Val::Tuple(items)) = &r.outcome else {
        panic!("unexpected outcome {:?}", r.outcome);
    };
    let after_t1 = "ReifiedConstraints { vars: [(0, [1, 2, 3, 4, 5, 6])], count: 0 }";
    let after_t2 = "ReifiedConstraints { vars: [(0, [1, 2]), (1, [2, 3])], count: 1 }";
    assert_eq!(items[0].to_string(), after_t1);
    assert_eq!(items[1].to_string(), after_t2);
    assert_eq!(items[2], Val::Int(1));
    assert_eq!(items[3].to_string(), after_t2, "abort t3 undoes the label");
    assert_eq!(items[4].to_string(), after_t1, "abort t2 undoes var, post");
    assert_eq!(
        items[5].to_string(),
        after_t1,
        "commit t1 keeps the narrowing"
    );
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
}

#[test]
fn aborting_an_outer_transaction_undoes_the_inner_ones() {
    let (r, _) = run_main(
        Block::new()
            .instr("x", Instr::NewVar(ints(&[1, 2, 3])))
            .instr("t1", Instr::BeginTx(none()))
            .effect(Instr::Narrow(var("x"), ints(&[1, 2])))
            .instr("t2", Instr::BeginTx(none()))
            .instr("y", Instr::NewVar(ints(&[4])))
            .effect(Instr::Narrow(var("x"), ints(&[2])))
            .effect(Instr::AbortTx(var("t1")))
            .instr("s", Instr::ReifyConstraints)
            .try_(
                "gone",
                Block::new()
                    .instr("b", Instr::Narrow(var("y"), ints(&[4])))
                    .ret(var("b")),
            )
            .ret(tuple(vec![var("s"), var("gone")])),
    );
    assert_eq!(
        value(&r),
        "(ReifiedConstraints { vars: [(0, [1, 2, 3])], count: 0 }, none)"
    );
}

#[test]
fn inner_commit_keeps_changes_until_the_outer_aborts() {
    let (r, _) = run_main(
        Block::new()
            .instr("x", Instr::NewVar(ints(&[1, 2, 3])))
            .instr("t1", Instr::BeginTx(none()))
            .instr("t2", Instr::BeginTx(none()))
            .effect(Instr::Narrow(var("x"), ints(&[3])))
            .effect(Instr::CommitTx(var("t2")))
            .instr("kept", Instr::ReifyConstraints)
            .effect(Instr::AbortTx(var("t1")))
            .instr("undone", Instr::ReifyConstraints)
            .ret(tuple(vec![var("kept"), var("undone")])),
    );
    assert_eq!(
        value(&r),
        "(ReifiedConstraints { vars: [(0, [3])], count: 0 }, ReifiedConstraints { vars: [(0, [1, 2, 3])], count: 0 })"
    );
}

#[test]
fn try_catches_fd_failures_only() {
    let (r, _) = run_main(Block::new().try_("r", fail(string("boom"))).ret(var("r")));
    assert!(matches!(error(&r), AvmError::Exec(_)));
    let (r, _) = run_main(Block::new().try_("r", ret(int(5))).ret(var("r")));
    assert_eq!(value(&r), "some(5)");
}

#[test]
fn both_interpreters_agree_on_nested_abort() {
    let r = assert_same_run(
        &nested_abort_itree(),
        &tape(NESTED_ABORT_TAPE),
        &RunConfig::default(),
    );
    assert!(r.outcome.is_ok(), "{:?}", r.outcome);
}

const FD_ERROR_TAPE: &str = r#"
.const c0 [1, 2]
.const c1 [7]
.func "main" params=0 regs=6 safe main
    const c0 -> r0
    fx.newVar r0..r1 -> r1
    const c1 -> r2
    fx.narrow r1..r3 -> r3
    ret r3
.end
.entry @main
"#;

#[test]
fn both_interpreters_agree_on_an_fd_failure() {
    let itree = ProgramBuilder::new().main(
        Block::new()
            .instr("x", Instr::NewVar(ints(&[1, 2])))
            .instr("b", Instr::Narrow(var("x"), ints(&[7])))
            .ret(var("b")),
    );
    let r = assert_same_run(&itree, &tape(FD_ERROR_TAPE), &RunConfig::default());
    assert!(matches!(
        r.outcome,
        Err(AvmError::Fd(FdError::ErrDomainWipeout { .. }))
    ));
}

#[test]
fn try_unwinds_object_calls_and_restores_the_caller() {
    // The callee's FD failure is caught in the caller: the callee's frame and context are
    // dropped, the caller's `self` is back.
    let program = ProgramBuilder::new()
        .behaviour(
            "bad",
            Block::new()
                .instr("x", Instr::NewVar(ints(&[])))
                .ret(list(vec![var("x")])),
        )
        .main(
            Block::new()
                .instr("me", Instr::SelfId)
                .instr(
                    "o",
                    Instr::CreateObj {
                        behaviour: name("bad"),
                        controller: none(),
                    },
                )
                .try_(
                    "r",
                    Block::new()
                        .instr("out", Instr::Call(var("o"), int(1)))
                        .ret(var("out")),
                )
                .instr("after", Instr::SelfId)
                .ret(tuple(vec![var("r"), eq(var("me"), var("after"))])),
        );
    let mut world = World::new();
    let r = run(&program, &mut world, &RunConfig::default());
    assert_eq!(
        r.outcome,
        Ok(Val::tuple(vec![Val::Nothing, Val::Bool(true)]))
    );
}

#[test]
fn propagation_is_metered_by_gas() {
    use avm_vm::fd::StepBudget;
    use avm_vm::itree::{Interp, Status};
    let program = program(
        Block::new()
            .instr("x", Instr::NewVar(ints(&[1, 2, 3, 4])))
            .instr("y", Instr::NewVar(ints(&[1, 2, 3, 4])))
            .instr("z", Instr::NewVar(ints(&[1, 2, 3, 4])))
            .effect(Instr::Post(constraint("Lt", vec![var("x"), var("y")])))
            .effect(Instr::Post(constraint("Lt", vec![var("y"), var("z")])))
            .instr("s", Instr::ReifyConstraints)
            .ret(var("s")),
    );
    let mut world = World::new();
    let mut it = Interp::new(&program, &mut world, &RunConfig::default());
    it.exec.fd_gas = StepBudget::new(1);
    while it.run_slice(&mut world, u64::MAX) == Status::Running {}
    let r = it.finish();
    assert!(
        matches!(
            r.outcome,
            Err(AvmError::Fd(FdError::ErrGasExhausted { .. }))
        ),
        "{:?}",
        r.outcome
    );
}
