//! Lowering to ITree terms: for each construct, the printed ITree program (insta snapshot) and
//! the value, output and errors of running it on the reference interpreter.

use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{NoSources, Stage, compile};
use avm_vm::itree::{RunConfig, run};
use avm_vm::trace::EventType;
use avm_vm::world::World;

/// Compiles `src`; panics with the diagnostics when it does not compile (a test failure).
fn lower(src: &str) -> avm_vm::itree::Program {
    let out = compile(
        "test.avm",
        src,
        &mut NoSources,
        Stage::Itree,
        &LowerOptions::default(),
    );
    match out.itree {
        Some(p) if !out.has_errors() => p,
        _ => panic!(
            "does not compile:\n{}",
            avm_compiler::diagnostics::render::render_all(
                &out.diagnostics,
                &out.sources,
                avm_compiler::diagnostics::render::ColorChoice::Off
            )
        ),
    }
}

/// Runs `src` on the ITree interpreter: printed outputs then `=> value` or `!! error`.
fn run_src(src: &str) -> String {
    let program = lower(src);
    let mut world = World::new();
    let r = run(&program, &mut world, &RunConfig::default());
    let mut out = String::new();
    for e in r.trace.entries() {
        if let EventType::Output(v) = &e.event {
            out.push_str(&format!("{v}\n"));
        }
    }
    match r.outcome {
        Ok(v) => out.push_str(&format!("=> {v}")),
        Err(e) => out.push_str(&format!("!! {e}")),
    }
    out
}

/// The source, the printed ITree program and the run's result, for a snapshot.
fn show(src: &str) -> String {
    format!(
        "{}\n---- itree ----\n{}---- run ----\n{}\n",
        src.trim(),
        lower(src),
        run_src(src)
    )
}

#[test]
fn counter_object() {
    let src = r#"
object Counter {
    state count: Int = 0
    fn add(n: Int) -> Int {
        count = count + n
        count
    }
    fn get() -> Int { count }
}

fn main() -> Int {
    let c = create Counter
    c.add(5)
    c.add(7)
    c.get()
}
"#;
    assert!(run_src(src).ends_with("=> 12"), "{}", run_src(src));
    insta::assert_snapshot!(show(src));
}

#[test]
fn loops_break_continue_return() {
    let src = r#"
fn first_over(xs: List[Int], limit: Int) -> Int {
    for x in xs {
        if x > limit { return x }
    }
    -1
}

fn main() -> Int {
    var total = 0
    var i = 0
    while true {
        i += 1
        if i > 10 { break }
        if i % 2 == 0 { continue }
        total = total + i
    }
    for j in 0..3 { total += j }
    for j in 1..=2 { total *= j }
    total + first_over([1, 5, 9], 4)
}
"#;
    // (1+3+5+7+9) = 25; + 0+1+2 = 28; * 1 * 2 = 56; + 5 = 61
    assert_eq!(run_src(src), "=> 61");
    insta::assert_snapshot!(show(src));
}

#[test]
fn match_patterns_structs_enums() {
    let src = r#"
struct Point { x: Int, y: Int }
enum Shot { Miss, Hit(Int), Moved { from: Int, to_: Int } }

fn score(s: Shot) -> Int {
    match s {
        Shot::Miss => 0,
        Hit(n) if n > 10 => 100,
        Hit(n) => n,
        Shot::Moved { from, to_ } => to_ - from,
    }
}

fn sum(xs: List[Int]) -> Int {
    match xs {
        [] => 0,
        [h, ..t] => h + sum(t),
    }
}

fn main() -> (Int, Int, Point, Option[Int]) {
    let p = Point { y: 2, x: 1 }
    let (a, b) = (score(Hit(3)) + score(Shot::Miss) + score(Hit(50)), score(Shot::Moved { from: 1, to_: 5 }))
    let o = match head([7, 8]) { some(v) => some(v * 2), none => none }
    (a, b + sum([1, 2, 3]) + p.x + p.y, p, o)
}
"#;
    assert_eq!(run_src(src), "=> (103, 13, Point { x: 1, y: 2 }, some(14))");
    insta::assert_snapshot!(show(src));
}

#[test]
fn atomic_try_abort_and_nesting() {
    let src = r#"
object Account {
    state balance: Int = 0
    init(start: Int) { balance = start }
    fn withdraw(n: Int) -> Int {
        if n > balance { reject }
        balance -= n
        balance
    }
    fn get() -> Int { balance }
}

fn main() -> (Option[Int], Option[Int], Int, Option[Int], Int) {
    let a = create Account(100)
    let ok = try atomic { a.withdraw(30) }
    let aborted = try atomic {
        a.withdraw(10)
        abort
    }
    let outer = atomic {
        let inner: Option[Int] = try atomic { a.withdraw(5); abort }
        a.withdraw(1)
    }
    let rejected = try a.withdraw(1000)
    (ok, aborted, outer, rejected, a.get())
}
"#;
    assert_eq!(run_src(src), "=> (some(70), none, 69, none, 69)");
    insta::assert_snapshot!(show(src));
}

#[test]
fn abort_without_try_fails() {
    let src = r#"
fn main() -> Int {
    atomic { abort }
    1
}
"#;
    assert!(
        run_src(src).contains("transaction aborted"),
        "{}",
        run_src(src)
    );
}

#[test]
fn rejected_call_fails_with_object_and_method() {
    let src = r#"
object Gate {
    fn open(n: Int) -> Int {
        if n < 0 { reject }
        n
    }
}
fn main() -> Int {
    let g = create Gate
    g.open(-1)
}
"#;
    assert!(run_src(src).contains("Gate.open"), "{}", run_src(src));
}

#[test]
fn pure_functions_call_pure_and_update() {
    let src = r#"
pure fn gcd(a: Int, b: Int) -> Int { if b == 0 { a } else { gcd(b, a % b) } }
pure fn zero(a: Int, b: Int) -> Int { 0 }

fn main() -> (Int, Int) {
    let before = gcd(12, 18)
    update pure gcd = zero
    (before, gcd(12, 18))
}
"#;
    assert_eq!(run_src(src), "=> (6, 0)");
    insta::assert_snapshot!(show(src));
}

#[test]
fn print_and_builtins() {
    let src = r#"
fn main() -> Int {
    print("hello")
    print([1, 2] ++ [3])
    print(to_string(42) ++ "!")
    print(reverse([1, 2, 3]))
    print(contains([1, 2], 2))
    min(3, 4) + max(3, 4) + abs(-5) + len("abc")
}
"#;
    assert_eq!(
        run_src(src),
        "\"hello\"\n[1, 2, 3]\n\"42!\"\n[3, 2, 1]\ntrue\n=> 15"
    );
}

#[test]
fn objects_calling_objects_and_self() {
    let src = r#"
object Pong {
    fn ping(n: Int) -> Int { n + 1 }
}
object Ping {
    state partner: Option[Ref[Pong]] = none
    fn set(p: Ref[Pong]) -> Unit { partner = some(p) }
    fn go(n: Int) -> Int {
        match partner {
            some(p) => p.ping(n) * 10,
            none => reject,
        }
    }
}
fn main() -> Int {
    let a = create Ping
    let b = create Pong
    a.set(b)
    a.go(4)
}
"#;
    assert_eq!(run_src(src), "=> 50");
}

#[test]
fn unsupported_constructs_are_e0501() {
    let src = r#"
fn main() -> Int {
    atomic {
        let v = fd_vars(2, 1..=3)
        post 5 - v[0] < v[1]
        0
    }
}
"#;
    let out = compile(
        "t.avm",
        src,
        &mut NoSources,
        Stage::Itree,
        &LowerOptions::default(),
    );
    assert!(out.itree.is_none());
    assert!(
        out.diagnostics
            .iter()
            .any(|d| d.code == avm_compiler::diagnostics::Code::E0501),
        "{:?}",
        out.diagnostics
    );
}

#[test]
fn missing_main_is_e0502() {
    let out = compile(
        "t.avm",
        "fn f() -> Int { 1 }",
        &mut NoSources,
        Stage::Itree,
        &LowerOptions::default(),
    );
    assert!(
        out.diagnostics
            .iter()
            .any(|d| d.code == avm_compiler::diagnostics::Code::E0502)
    );
}

#[test]
fn million_round_loop_is_constant_space() {
    let src = r#"
fn main() -> Int {
    var n = 0
    while n < 100000 { n += 1 }
    n
}
"#;
    assert_eq!(run_src(src), "=> 100000");
}

#[test]
fn map_filter_fold_with_functions_and_closures() {
    let src = r#"
pure fn double(x: Int) -> Int { x * 2 }

fn main() -> (List[Int], List[Int], Int) {
    let k = 10
    let xs = [1, 2, 3, 4]
    (map(xs, double), filter(map(xs, |x| x + k), |y| y % 2 == 0), fold(xs, 0, |acc, x| acc + x))
}
"#;
    assert_eq!(run_src(src), "=> ([2, 4, 6, 8], [12, 14], 10)");
    insta::assert_snapshot!(show(src));
}

#[test]
fn assignment_to_parts_of_values() {
    let src = r#"
struct Point { x: Int, y: Int }

fn main() -> (Point, (Int, Int), List[Int]) {
    var p = Point { x: 1, y: 2 }
    p.x = 10
    p.y += 5
    var t = (1, 2)
    t.1 = 20
    var xs = [1, 2, 3]
    xs[1] = 9
    xs[0] *= 7
    (p, t, xs)
}
"#;
    assert_eq!(
        run_src(src),
        "=> (Point { x: 10, y: 7 }, (1, 20), [7, 9, 3])"
    );
    insta::assert_snapshot!(show(src));
}

#[test]
fn post_builds_constraint_variants() {
    let src = r#"
fn main() -> List[Int] {
    let v = fd_vars(3, 1..5)
    post v[0] + 1 < v[1] - 1
    post 0 < v[0]
    post all_different(v)
    narrow(v[2], [1, 2])
    [label(v[0]), label(v[1]), label(v[2])]
}
"#;
    insta::assert_snapshot!(show(src));
}

#[test]
fn fd_solve_searches_in_order_smallest_first() {
    let src = r#"
import std.fd
fn queens(n: Int) -> Option[List[Int]] {
    let qs = fd_vars(n, 1..=n)
    post all_different(qs)
    for i in 0..n {
        for j in i + 1..n {
            post qs[i] != qs[j] + (j - i)
            post qs[i] != qs[j] - (j - i)
        }
    }
    fd.solve(qs)
}
fn main() -> (Option[List[Int]], Option[List[Int]]) {
    (atomic { queens(3) }, atomic { queens(6) })
}
"#;
    assert_eq!(run_src(src), "=> (none, some([2, 4, 6, 1, 3, 5]))");
}

#[test]
fn try_atomic_with_an_unsatisfiable_require_is_none() {
    let src = r#"
fn pick(limit: Int) -> Option[Int] {
    var seen = 0
    let r = try atomic {
        let x = choose([1, 2, 3])
        seen = x
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
    insta::assert_snapshot!(run_src(src));
}
