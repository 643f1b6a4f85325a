//! The Tape interpreter: every op's semantics (values and errors), control flow, calls and
//! tail calls, output, object fields, limits, resumable slices, and programs rejected before
//! they run. The effect families are in `tape_interp_effects.rs`.

use avm_vm::error::{AvmError, ExecError, LimitError};
use avm_vm::itree::{RunResult, Status};
use avm_vm::tape::interp::{Image, Interp, LoadError, RunConfig, run, run_program};
use avm_vm::tape::parse::parse_program;
use avm_vm::tape::verify::VerifyErrorKind;
use avm_vm::tape::{Program, samples};
use avm_vm::trace::{EventType, TraceView};
use avm_vm::value::Val;
use avm_vm::world::World;

fn program(text: &str) -> Program {
    match parse_program(text) {
        Ok(p) => p,
        Err(e) => panic!("test program does not parse: {e}"),
    }
}

fn run_with(text: &str, config: &RunConfig) -> RunResult {
    let mut world = World::new();
    match run_program(&program(text), &mut world, config) {
        Ok(r) => r,
        Err(e) => panic!("test program does not load: {e} ({e:?})"),
    }
}

fn run_text(text: &str) -> RunResult {
    run_with(text, &RunConfig::default())
}

/// Runs `main` with the given constants and body (ending in `ret`), 16 registers.
fn eval(consts: &str, body: &str) -> Result<Val, AvmError> {
    run_text(&format!(
        "{consts}\n.func \"main\" params=0 regs=16 safe main\n{body}\n.end\n.entry @main\n"
    ))
    .outcome
}

fn exec_err(e: ExecError) -> Result<Val, AvmError> {
    Err(e.into())
}

#[test]
fn constants_and_moves() {
    assert_eq!(
        eval(
            ".const c0 [1, \"a\", (true, ()), some(none)]",
            "const c0 -> r0\nmove r0 -> r1\nret r1"
        )
        .map(|v| v.to_string()),
        Ok("[1, \"a\", (true, ()), some(none)]".into())
    );
    assert_eq!(
        eval("", "unit -> r0\nret r0"),
        Ok(Val::Unit),
        "unregistered registers start as ()"
    );
    assert_eq!(eval("", "bool false -> r0\nret r0"), Ok(Val::Bool(false)));
    assert_eq!(eval("", "int -7 -> r0\nret r0"), Ok(Val::Int(-7)));
    assert_eq!(eval("", "ret r9"), Ok(Val::Unit));
}

#[test]
fn checked_arithmetic() {
    let bin = |op: &str, a: i64, b: i64| {
        eval(
            &format!(".const c0 {a}\n.const c1 {b}"),
            &format!("const c0 -> r0\nconst c1 -> r1\n{op} r0, r1 -> r2\nret r2"),
        )
    };
    assert_eq!(bin("add", 40, 2), Ok(Val::Int(42)));
    assert_eq!(bin("sub", 40, 42), Ok(Val::Int(-2)));
    assert_eq!(bin("mul", -6, 7), Ok(Val::Int(-42)));
    assert_eq!(bin("div", -7, 2), Ok(Val::Int(-3)));
    assert_eq!(bin("rem", -7, 2), Ok(Val::Int(-1)));
    let overflow = |op| exec_err(ExecError::IntegerOverflow { op });
    assert_eq!(bin("add", i64::MAX, 1), overflow("+"));
    assert_eq!(bin("sub", i64::MIN, 1), overflow("-"));
    assert_eq!(bin("mul", i64::MAX, 2), overflow("*"));
    assert_eq!(bin("div", i64::MIN, -1), overflow("/"));
    assert_eq!(bin("rem", i64::MIN, -1), overflow("%"));
    assert_eq!(bin("div", 1, 0), exec_err(ExecError::DivisionByZero));
    assert_eq!(bin("rem", 1, 0), exec_err(ExecError::DivisionByZero));
    assert_eq!(
        eval(
            ".const c0 -9223372036854775808",
            "const c0 -> r0\nneg r0 -> r1\nret r1"
        ),
        overflow("-")
    );
    assert_eq!(
        eval("", "int 5 -> r0\nneg r0 -> r1\nret r1"),
        Ok(Val::Int(-5))
    );
    assert_eq!(
        eval(
            ".const c0 \"x\"",
            "const c0 -> r0\nint 1 -> r1\nadd r0, r1 -> r2\nret r2"
        ),
        exec_err(ExecError::TypeMismatch {
            expected: "Int",
            found: "String"
        })
    );
}

#[test]
fn comparisons_and_logic() {
    let cmp = |op: &str, a: &str, b: &str| {
        eval(
            &format!(".const c0 {a}\n.const c1 {b}"),
            &format!("const c0 -> r0\nconst c1 -> r1\n{op} r0, r1 -> r2\nret r2"),
        )
    };
    let t = Ok(Val::Bool(true));
    let f = Ok(Val::Bool(false));
    assert_eq!(cmp("eq", "[1, (2, \"x\")]", "[1, (2, \"x\")]"), t);
    assert_eq!(cmp("ne", "[1]", "[2]"), t);
    assert_eq!(cmp("lt", "1", "2"), t);
    assert_eq!(cmp("le", "2", "2"), t);
    assert_eq!(cmp("gt", "\"b\"", "\"a\""), t);
    assert_eq!(cmp("ge", "\"a\"", "\"b\""), f);
    assert_eq!(
        cmp("lt", "1", "\"a\""),
        exec_err(ExecError::TypeMismatch {
            expected: "Int",
            found: "String"
        })
    );
    assert_eq!(
        cmp("lt", "[1]", "[2]"),
        exec_err(ExecError::NotOrdered { kind: "List" })
    );
    assert_eq!(cmp("and", "true", "false"), f);
    assert_eq!(cmp("or", "true", "false"), t);
    assert_eq!(
        cmp("and", "1", "false"),
        exec_err(ExecError::TypeMismatch {
            expected: "Bool",
            found: "Int"
        })
    );
    assert_eq!(eval("", "bool true -> r0\nnot r0 -> r1\nret r1"), f);
}

#[test]
fn lists() {
    let c = ".const c0 [1, 2, 3]\n.const c1 []\n.const c2 [4]";
    let show = |body: &str| eval(c, body).map(|v| v.to_string());
    assert_eq!(
        show("int 7 -> r0\nint 8 -> r1\nlist r0..r2 -> r2\nret r2"),
        Ok("[7, 8]".into())
    );
    assert_eq!(show("list -> r2\nret r2"), Ok("[]".into()));
    assert_eq!(
        show("const c0 -> r0\nint 9 -> r1\nlist.push r0, r1 -> r2\nret r2"),
        Ok("[1, 2, 3, 9]".into())
    );
    assert_eq!(
        show("const c0 -> r0\nconst c2 -> r1\nlist.concat r0, r1 -> r2\nret r2"),
        Ok("[1, 2, 3, 4]".into())
    );
    assert_eq!(
        show("const c0 -> r0\nlist.len r0 -> r1\nret r1"),
        Ok("3".into())
    );
    assert_eq!(
        show("const c0 -> r0\nint 2 -> r1\nlist.index r0, r1 -> r2\nret r2"),
        Ok("3".into())
    );
    assert_eq!(
        eval(
            c,
            "const c0 -> r0\nint 3 -> r1\nlist.index r0, r1 -> r2\nret r2"
        ),
        exec_err(ExecError::IndexOutOfBounds { index: 3, len: 3 })
    );
    assert_eq!(
        show("int 0 -> r0\nconst c0 -> r1\nlist.cons r0, r1 -> r2\nret r2"),
        Ok("[0, 1, 2, 3]".into())
    );
    assert_eq!(
        show("const c0 -> r0\nlist.head r0 -> r1\nret r1"),
        Ok("1".into())
    );
    assert_eq!(
        show("const c0 -> r0\nlist.tail r0 -> r1\nret r1"),
        Ok("[2, 3]".into())
    );
    assert_eq!(
        eval(c, "const c1 -> r0\nlist.head r0 -> r1\nret r1"),
        exec_err(ExecError::IndexOutOfBounds { index: 0, len: 0 })
    );
    assert_eq!(
        eval(c, "const c1 -> r0\nlist.tail r0 -> r1\nret r1"),
        exec_err(ExecError::IndexOutOfBounds { index: 0, len: 0 })
    );
    assert_eq!(
        show("const c1 -> r0\nlist.is_empty r0 -> r1\nret r1"),
        Ok("true".into())
    );
    assert_eq!(
        eval(c, "int 1 -> r0\nlist.len r0 -> r1\nret r1"),
        exec_err(ExecError::TypeMismatch {
            expected: "List",
            found: "Int"
        })
    );
}

#[test]
fn strings_tuples_options() {
    let c = ".const c0 \"hé\"\n.const c1 \"llo\"\n.const c2 (1, \"two\")";
    let show = |body: &str| eval(c, body).map(|v| v.to_string());
    assert_eq!(
        show(
            "const c0 -> r0\nconst c1 -> r1\nstr.concat r0, r1 -> r2\nstr.len r2 -> r3\ntuple r2..r4 -> r4\nret r4"
        ),
        Ok("(\"héllo\", 5)".into())
    );
    assert_eq!(
        show("const c2 -> r0\ntuple.get r0, 1 -> r1\nret r1"),
        Ok("\"two\"".into())
    );
    assert_eq!(
        eval(c, "const c2 -> r0\ntuple.get r0, 2 -> r1\nret r1"),
        exec_err(ExecError::IndexOutOfBounds { index: 2, len: 2 })
    );
    assert_eq!(
        show(
            "int 3 -> r0\nsome r0 -> r1\nopt.is_some r1 -> r2\nopt.unwrap r1 -> r3\ntuple r1..r4 -> r4\nret r4"
        ),
        Ok("(some(3), true, 3)".into())
    );
    assert_eq!(
        eval(c, "none -> r0\nopt.unwrap r0 -> r1\nret r1"),
        exec_err(ExecError::NoMatchingArm {
            value: Val::Nothing
        })
    );
    assert_eq!(
        eval(c, "int 1 -> r0\nopt.is_some r0 -> r1\nret r1"),
        exec_err(ExecError::TypeMismatch {
            expected: "Option",
            found: "Int"
        })
    );
}

#[test]
fn records_and_variants() {
    let s =
        ".string s0 \"Point\"\n.string s1 \"Shape\"\n.string s2 \"Circle\"\n.string s3 \"Square\"";
    let show = |body: &str| eval(s, body).map(|v| v.to_string());
    assert_eq!(
        show(
            "int 1 -> r0\nint 2 -> r1\nrecord s0, r0..r2 -> r2\ntagged.get r2, 1 -> r3\ntuple r2..r4 -> r4\nret r4"
        ),
        Ok("(Point { 0: 1, 1: 2 }, 2)".into())
    );
    assert_eq!(
        show(
            "int 5 -> r0\nvariant s1, s2, r0..r1 -> r1\nvariant.is r1, s1, s2 -> r2\nvariant.is r1, s1, s3 -> r3\ntagged.get r1, 0 -> r4\ntuple r1..r5 -> r5\nret r5"
        ),
        Ok("(Shape::Circle(5), true, false, 5)".into())
    );
    assert_eq!(
        show(
            "variant s1, s3 -> r1\nint 1 -> r0\nvariant.is r0, s1, s3 -> r2\ntuple r1..r3 -> r3\nret r3"
        ),
        Ok("(Shape::Square, false)".into())
    );
    assert_eq!(
        eval(s, "variant s1, s3 -> r1\ntagged.get r1, 0 -> r2\nret r2"),
        exec_err(ExecError::IndexOutOfBounds { index: 0, len: 0 })
    );
    assert_eq!(
        eval(s, "int 1 -> r1\ntagged.get r1, 0 -> r2\nret r2"),
        exec_err(ExecError::TypeMismatch {
            expected: "Record or Enum",
            found: "Int"
        })
    );
}

#[test]
fn branches_and_fail() {
    let body = "int 3 -> r0\nint 0 -> r1\nint 0 -> r2\nint 1 -> r3\ntop:\nle r0, r2 -> r4\nbr r4, out\nadd r1, r0 -> r1\nsub r0, r3 -> r0\njump top\nout:\nret r1";
    assert_eq!(eval("", body), Ok(Val::Int(6)));
    assert_eq!(
        eval("", "int 1 -> r0\nbrnot r0, x\nret r0\nx:\nret r1"),
        exec_err(ExecError::TypeMismatch {
            expected: "Bool",
            found: "Int"
        })
    );
    let r = run_text(
        ".string s0 \"boom\"\n.func \"main\" params=0 regs=1 safe main\n    fail s0\n.end\n.entry @main\n",
    );
    assert_eq!(r.outcome, exec_err(ExecError::Failed(Val::str("boom"))));
    assert!(matches!(
        r.trace.entries().last().map(|e| &e.event),
        Some(EventType::ErrorOccurred(_))
    ));
}

const SUM_TO: &str = r#"
.func "sum" params=2 regs=5 safe plain
    int 0 -> r2
    le r0, r2 -> r3
    brnot r3, more
    ret r1
more:
    add r1, r0 -> r1
    int 1 -> r2
    sub r0, r2 -> r0
    tail @sum, r0..r2
.end
.func "rec" params=1 regs=4 safe plain
    int 0 -> r1
    le r0, r1 -> r2
    brnot r2, more
    ret r1
more:
    int 1 -> r1
    sub r0, r1 -> r3
    call @rec, r3..r4 -> r3
    add r3, r0 -> r3
    ret r3
.end
"#;

#[test]
fn calls_and_tail_calls() {
    let main = |body: &str| {
        format!("{SUM_TO}\n.func \"main\" params=0 regs=4 safe main\n{body}\n.end\n.entry @main\n")
    };
    // Tail recursion runs in one frame: 10,000 iterations within a depth limit of 2.
    let mut config = RunConfig::default();
    config.limits.max_call_depth = 2;
    let r = run_with(
        &main("int 10000 -> r0\nint 0 -> r1\ncall @sum, r0..r2 -> r2\nret r2"),
        &config,
    );
    assert_eq!(r.outcome, Ok(Val::Int(50_005_000)));
    // Plain recursion uses one frame per level.
    let r = run_with(
        &main("int 100 -> r0\ncall @rec, r0..r1 -> r1\nret r1"),
        &RunConfig::default(),
    );
    assert_eq!(r.outcome, Ok(Val::Int(5050)));
    let r = run_with(
        &main("int 100 -> r0\ncall @rec, r0..r1 -> r1\nret r1"),
        &config,
    );
    assert_eq!(
        r.outcome,
        Err(LimitError::CallDepthExceeded { max_depth: 2 }.into())
    );
}

#[test]
fn argument_ranges_do_not_alias_the_caller() {
    // The callee overwrites its parameter; the caller's register keeps its value.
    let text = r#"
.func "clobber" params=1 regs=2 safe plain
    int 99 -> r0
    ret r0
.end
.func "main" params=0 regs=4 safe main
    int 1 -> r0
    call @clobber, r0..r1 -> r1
    tuple r0..r2 -> r2
    ret r2
.end
.entry @main
"#;
    assert_eq!(
        run_text(text).outcome.map(|v| v.to_string()),
        Ok("(1, 99)".into())
    );
}

#[test]
fn print_appends_output_events() {
    let r = run_text(&avm_vm::tape::text::print_program(
        &samples::fib(10).expect("sample builds"),
    ));
    assert_eq!(r.outcome, Ok(Val::Int(55)));
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
}

#[test]
fn fib_matches_the_recurrence() {
    let fib = |n: i32| {
        let mut world = World::new();
        run_program(
            &samples::fib(n).expect("sample builds"),
            &mut world,
            &RunConfig::default(),
        )
        .map(|r| r.outcome)
    };
    let mut expected = (0i64, 1i64);
    for n in 0..20 {
        assert_eq!(fib(n), Ok(Ok(Val::Int(expected.0))), "fib({n})");
        expected = (expected.1, expected.0 + expected.1);
    }
}

#[test]
fn fuel_limit() {
    let text =
        ".func \"main\" params=0 regs=1 safe main\nloop:\n    jump loop\n.end\n.entry @main\n";
    let mut config = RunConfig::default();
    config.limits.fuel = 1000;
    let r = run_with(text, &config);
    assert_eq!(r.outcome, Err(LimitError::OutOfFuel { fuel: 1000 }.into()));
    assert_eq!(r.steps, 1000);
    assert!(matches!(
        r.trace.entries().last().map(|e| &e.event),
        Some(EventType::ErrorOccurred(_))
    ));
    // Exactly enough fuel: three ops.
    let text = ".func \"main\" params=0 regs=1 safe main\n    int 1 -> r0\n    int 2 -> r0\n    ret r0\n.end\n.entry @main\n";
    config.limits.fuel = 3;
    assert_eq!(run_with(text, &config).outcome, Ok(Val::Int(2)));
    config.limits.fuel = 2;
    assert_eq!(
        run_with(text, &config).outcome,
        Err(LimitError::OutOfFuel { fuel: 2 }.into())
    );
}

#[test]
fn register_limit() {
    let text = format!(
        "{SUM_TO}\n.func \"main\" params=0 regs=4 safe main\n    int 100 -> r0\n    call @rec, r0..r1 -> r1\n    ret r1\n.end\n.entry @main\n"
    );
    let mut config = RunConfig::default();
    // main has 4 registers and each `rec` frame 4: 100 levels need 4 + 101 * 4.
    config.limits.max_registers = 4 + 101 * 4;
    assert_eq!(run_with(&text, &config).outcome, Ok(Val::Int(5050)));
    config.limits.max_registers = 4 + 100 * 4;
    assert_eq!(
        run_with(&text, &config).outcome,
        Err(LimitError::RegisterLimitExceeded {
            max_registers: 4 + 100 * 4
        }
        .into())
    );
    // An entry larger than the budget fails before running, with the error in the trace.
    config.limits.max_registers = 3;
    let r = run_with(&text, &config);
    assert_eq!(
        r.outcome,
        Err(LimitError::RegisterLimitExceeded { max_registers: 3 }.into())
    );
    assert_eq!(r.steps, 0);
    assert_eq!(r.trace.len(), 1);
}

#[test]
fn run_slice_resumes_to_the_same_result() {
    let program = samples::ping_pong(40).expect("sample builds");
    let image = Image::load(&program).expect("sample loads");
    let config = RunConfig::default();
    let mut world = World::new();
    let whole = run(&image, &mut world, &config);
    let mut world = World::new();
    let mut it = Interp::new(&image, &mut world, &config);
    let mut slices = 0;
    while it.run_slice(&mut world, 7) == Status::Running {
        slices += 1;
        assert!(it.depth() >= 1);
    }
    let sliced = it.finish();
    assert!(slices > 10);
    assert_eq!(sliced.outcome, whole.outcome);
    assert_eq!(sliced.trace, whole.trace);
    assert_eq!(sliced.steps, whole.steps);
}

#[test]
fn rejected_before_running() {
    let mut world = World::new();
    let no_entry = program(".func \"main\" params=0 regs=1 safe main\n    ret r0\n.end\n");
    assert_eq!(
        run_program(&no_entry, &mut world, &RunConfig::default()).map(|r| r.outcome),
        Err(LoadError::NoEntry)
    );
    let bad_register =
        program(".func \"main\" params=0 regs=1 safe main\n    ret r5\n.end\n.entry @main\n");
    match Image::load(&bad_register) {
        Err(LoadError::Verify(errors)) => assert!(matches!(
            errors[0].kind,
            VerifyErrorKind::RegisterOutOfRange { .. }
        )),
        other => panic!("expected a verifier error, got {other:?}"),
    }
    let unsafe_in_safe = program(
        ".func \"main\" params=0 regs=2 safe main\n    fx.reifyTxState -> r0\n    ret r0\n.end\n.entry @main\n",
    );
    match Image::load(&unsafe_in_safe) {
        Err(LoadError::Verify(errors)) => assert!(matches!(
            errors[0].kind,
            VerifyErrorKind::UnsafeEffectInSafeFunction { .. }
        )),
        other => panic!("expected a verifier error, got {other:?}"),
    }
    let fd = program(
        ".func \"main\" params=0 regs=2 safe main\n    list -> r0\n    fx.newVar r0..r1 -> r1\n    ret r1\n.end\n.entry @main\n",
    );
    // The FD family loads (it used to be rejected here); `newVar []` is a wipe-out when run.
    assert!(Image::load(&fd).is_ok());
    assert_eq!(world.clock, 0, "nothing ran");
}

#[test]
fn nested_ping_pong_one_million_rounds() {
    // 10^6 nested object calls on heap frames, on a normal test thread.
    let program = samples::ping_pong(1_000_000).expect("sample builds");
    let mut world = World::new();
    let config = RunConfig {
        trace_mode: avm_vm::trace::TraceMode::Off,
        ..RunConfig::default()
    };
    let r = run_program(&program, &mut world, &config).expect("sample loads");
    assert_eq!(
        r.outcome,
        Ok(Val::list(vec![
            Val::str("complete"),
            Val::str("ping-continue")
        ]))
    );
    assert_eq!(world.clock, 2 + 1_000_001);
}

#[test]
fn trace_off_records_nothing_but_keeps_the_clock() {
    let program = samples::ping_pong(5).expect("sample builds");
    let image = Image::load(&program).expect("sample loads");
    let mut on_world = World::new();
    let on = run(&image, &mut on_world, &RunConfig::default());
    let mut off_world = World::new();
    let off_config = RunConfig {
        trace_mode: avm_vm::trace::TraceMode::Off,
        ..RunConfig::default()
    };
    let off = run(&image, &mut off_world, &off_config);
    assert_eq!(on.outcome, off.outcome);
    assert_eq!(on.steps, off.steps);
    assert!(off.trace.is_empty());
    assert_eq!(on.trace.len(), 8);
    assert_eq!(on_world.clock, off_world.clock);
}

#[test]
fn run_config_from_the_itree_config() {
    let mut itree = avm_vm::itree::RunConfig::default();
    itree.limits.fuel = 77;
    itree.limits.max_call_depth = 5;
    itree.input = Val::Int(3);
    let tape = RunConfig::from(&itree);
    assert_eq!(tape.limits.fuel, 77);
    assert_eq!(tape.limits.max_call_depth, 5);
    assert_eq!(
        tape.limits.max_registers,
        RunConfig::default().limits.max_registers
    );
    assert_eq!(tape.input, Val::Int(3));
    assert_eq!(tape.self_id, itree.self_id);
}

#[test]
fn a_failure_reports_its_span_and_the_call_sites_of_its_callers() {
    use avm_vm::srcloc::SrcLoc;
    let text = r#"
.source 0 "main.avm"
.func "div" params=2 regs=3 safe plain
  .at 0:40..45
    div r0, r1 -> r2
    ret r2
.end
.func "twice" params=1 regs=4 safe plain
  .at 0:60..70
    int 0 -> r1
    move r0 -> r2
    move r1 -> r3
  .at 0:71..80
    call @div, r2..r4 -> r1
    ret r1
.end
.func "main" params=0 regs=2 safe main
    int 7 -> r0
  .at 0:90..99
    call @twice, r0..r1 -> r1
    ret r1
.end
.entry @main
"#;
    let r = run_text(text);
    assert!(r.outcome.is_err(), "{:?}", r.outcome);
    let at = |start, end| SrcLoc {
        source: 0,
        start,
        end,
    };
    assert_eq!(
        r.backtrace.frames,
        [at(40, 45), at(71, 80), at(90, 99)],
        "innermost first: the div, then each call site"
    );
    assert_eq!(r.backtrace.omitted, 0);
    // A program without spans fails with an empty backtrace.
    let plain = run_text(
        ".func \"main\" params=0 regs=2 safe main\n    int 0 -> r0\n    div r0, r0 -> r1\n    ret r1\n.end\n.entry @main\n",
    );
    assert!(plain.outcome.is_err());
    assert!(plain.backtrace.frames.is_empty());
}

#[test]
fn a_caught_failure_leaves_no_backtrace_and_continues_at_the_handler() {
    let text = r#"
.func "main" params=0 regs=4 safe main
    try caught -> r0
    list -> r1
    fx.newVar r1..r2 -> r2
    try.end
    some r2 -> r0
caught:
    ret r0
.end
.entry @main
"#;
    let r = run_text(text);
    assert_eq!(r.outcome, Ok(Val::Nothing));
    assert!(r.backtrace.frames.is_empty());
}

#[test]
fn a_failure_deep_in_a_recursion_keeps_the_innermost_locations() {
    let text = r#"
.source 0 "deep.avm"
.func "down" params=1 regs=4 safe plain
  .at 0:10..20
    int 0 -> r1
    eq r0, r1 -> r2
    brnot r2, more
  .at 0:30..40
    div r0, r1 -> r3
    ret r3
more:
  .at 0:50..60
    int 1 -> r1
    sub r0, r1 -> r2
    call @down, r2..r3 -> r3
    ret r3
.end
.func "main" params=0 regs=2 safe main
    int 1000 -> r0
    call @down, r0..r1 -> r1
    ret r1
.end
.entry @main
"#;
    let r = run_text(text);
    assert!(r.outcome.is_err());
    assert_eq!(
        r.backtrace.frames.len(),
        avm_vm::srcloc::Backtrace::MAX_FRAMES
    );
    assert_eq!(r.backtrace.frames[0].start, 30);
    assert!(r.backtrace.frames[1..].iter().all(|l| l.start == 50));
    // 1001 `down` frames and `main`: the first 32 were looked at.
    assert_eq!(
        r.backtrace.omitted,
        1002 - avm_vm::srcloc::Backtrace::MAX_FRAMES
    );
}
