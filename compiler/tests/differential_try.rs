//! Differential tests for `Term::Try` on the Tape engine: source programs whose `try atomic`
//! blocks and `fd.solve` searches catch FD and Nondet failures are compiled to ITree and Tape
//! and run on both interpreters against fresh worlds; outcome, trace, final context, store,
//! pure registry and clock must agree (`avm_vm::testing::assert_same_run_in`). Covered: a
//! caught domain wipe-out, nested scopes, a failure deep inside object calls (frames, saved
//! call contexts and transactions unwound), a caught unsatisfiable `require` after commit-time
//! re-execution of `choose`, an uncaught non-FD error inside a scope, a search that
//! backtracks through many scopes, and the three FD examples.

use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{NoSources, Stage, compile};
use avm_vm::itree::{RunConfig, RunResult};
use avm_vm::testing::assert_same_run_in;
use avm_vm::world::World;

/// Compiles `src` to both forms and runs it on both interpreters; the (shared) result.
fn same_run(label: &str, src: &str) -> RunResult {
    let options = LowerOptions {
        default_controller: Some("main".to_string()),
    };
    let out = compile("test.avm", src, &mut NoSources, Stage::Tape, &options);
    let (Some(itree), Some(tape)) = (&out.itree, &out.tape) else {
        panic!(
            "{label} does not compile:\n{}",
            avm_compiler::diagnostics::render::render_all(
                &out.diagnostics,
                &out.sources,
                avm_compiler::diagnostics::render::ColorChoice::Off
            )
        );
    };
    let make_world = || {
        let mut w = World::new();
        for (name, function) in &itree.pure_registry {
            let _ = w.pure.register(name.clone(), function.clone());
        }
        w
    };
    assert_same_run_in(itree, tape, &RunConfig::default(), &make_world)
}

/// The outcome as text: the value or `!! error`.
fn outcome(r: &RunResult) -> String {
    match &r.outcome {
        Ok(v) => v.to_string(),
        Err(e) => format!("!! {e}"),
    }
}

#[test]
fn a_caught_wipe_out_is_none_and_undone() {
    let src = r#"
fn main() -> (Option[Int], Option[Int], Int) {
    let xs = fd_vars(1, 1..=3)
    let x = xs[0]
    let failed = try atomic {
        narrow(x, [5, 6])
        1
    }
    let ok = try atomic {
        narrow(x, [2, 3])
        label(x)
    }
    (failed, ok, label(x))
}
"#;
    let r = same_run("wipe_out", src);
    assert_eq!(outcome(&r), "(none, some(2), 2)");
}

#[test]
fn nested_scopes_catch_at_the_innermost() {
    let src = r#"
fn main() -> (Option[Option[Int]], Option[Int]) {
    let xs = fd_vars(2, 1..=2)
    let outer = try atomic {
        let inner = try atomic {
            post xs[0] == xs[1]
            narrow(xs[1], [5])
            7
        }
        inner
    }
    let after = try atomic {
        post xs[0] < xs[1]
        label(xs[1])
    }
    (outer, after)
}
"#;
    let r = same_run("nested", src);
    assert_eq!(outcome(&r), "(some(none), some(2))");
}

#[test]
fn a_failure_inside_object_calls_unwinds_frames_and_contexts() {
    let src = r#"
object Cell {
    state value: Int = 0
    fn set_then_fail(n: Int) -> Int {
        value = n
        let vs = fd_vars(1, 1..=2)
        narrow(vs[0], [9])
        n
    }
    fn get() -> Int { value }
}

object Outer {
    state calls: Int = 0
    fn go(c: Ref[Cell]) -> Int {
        calls += 1
        c.set_then_fail(5)
    }
    fn count() -> Int { calls }
}

fn main() -> (Option[Int], Int, Int) {
    let c = create Cell()
    let o = create Outer()
    // An FD form in the block makes it a `Term::Try` (docs/language.md).
    let r = try atomic {
        let guard = fd_vars(1, 1..=1)
        o.go(c)
    }
    print(c.get())
    (r, c.get(), o.count())
}
"#;
    let r = same_run("object_calls", src);
    assert_eq!(outcome(&r), "(none, 0, 0)");
}

#[test]
fn an_unsatisfiable_require_after_re_execution_is_caught() {
    let src = r#"
fn pick(limit: Int) -> Option[Int] {
    var seen = 0
    let r = try atomic {
        let x = choose([1, 2, 3])
        seen = x
        print(x)
        require x > limit
        x
    }
    print(seen)
    r
}
fn main() -> (Option[Int], Option[Int]) {
    (pick(1), pick(5))
}
"#;
    let r = same_run("require", src);
    assert_eq!(outcome(&r), "(some(2), none)");
}

#[test]
fn other_errors_pass_through_a_scope() {
    let src = r#"
fn main() -> Option[Int] {
    try atomic {
        let xs = [1, 2]
        xs[5]
    }
}
"#;
    let r = same_run("uncaught", src);
    assert!(outcome(&r).starts_with("!! "), "{}", outcome(&r));
}

#[test]
fn a_backtracking_search_agrees() {
    let src = r#"
import std.fd

fn main() -> (Option[List[Int]], Option[Option[List[Int]]]) {
    let a = atomic {
        let qs = fd_vars(4, 1..=4)
        post all_different(qs)
        post qs[0] > qs[1]
        post qs[1] > qs[2]
        post qs[3] < qs[2]
        fd.solve(qs)
    }
    let b = try atomic {
        let qs = fd_vars(3, 1..=3)
        post all_different(qs)
        post qs[0] < qs[1]
        post qs[1] < qs[2]
        post qs[2] < qs[0] + 2
        fd.solve(qs)
    }
    (a, b)
}
"#;
    let r = same_run("search", src);
    assert_eq!(outcome(&r), "(some([4, 3, 2, 1]), none)");
}

#[test]
fn the_fd_examples_agree() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the compiler crate is inside the workspace")
        .join("examples");
    for example in ["nqueens", "sudoku", "matchmaking"] {
        let path = root.join(example).join("main.avm");
        let src = std::fs::read_to_string(&path).expect("the example exists");
        let r = same_run(example, &src);
        assert!(r.outcome.is_ok(), "{example}: {}", outcome(&r));
    }
}

#[test]
fn both_engines_locate_a_failure_after_a_catch_and_a_re_run() {
    let src = r#"
fn main() -> Int {
    let xs = fd_vars(1, 1..=3)
    let caught = try atomic {
        narrow(xs[0], [7])
        1
    }
    let picked = atomic {
        let c = choose([1, 2, 3])
        require c > 1
        c
    }
    let zero = picked - 2
    10 / zero
}
"#;
    let options = LowerOptions {
        default_controller: Some("main".to_string()),
    };
    let out = compile("loc.avm", src, &mut NoSources, Stage::Tape, &options);
    let (Some(itree), Some(tape)) = (&out.itree, &out.tape) else {
        panic!("does not compile");
    };
    let make_world = World::new;
    let config = RunConfig::default();
    let a = avm_vm::testing::run_itree(itree, &config, &make_world);
    let b = avm_vm::testing::run_tape(tape, &config, &make_world).expect("loads");
    assert!(a.result.outcome.is_err() && b.result.outcome.is_err());
    let at = |r: &RunResult| {
        let loc = r.backtrace.innermost().expect("a location");
        &src[loc.start as usize..loc.end as usize]
    };
    assert_eq!(at(&a.result), "10 / zero");
    assert_eq!(at(&b.result), "10 / zero");
}
