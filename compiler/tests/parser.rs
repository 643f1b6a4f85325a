//! Snapshot tests of the parser: source, the AST (pretty-printed) and the
//! rendered diagnostics, in one snapshot per case.

mod support;

use support::parse_snapshot;

macro_rules! parse_case {
    ($name:ident, $src:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), parse_snapshot($src));
        }
    };
}

parse_case!(
    counter,
    r#"/// A counter object: its state is one field.
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
    c.add(7)          // method call = AVM `call`
    c.get()           // 12
}
"#
);

parse_case!(
    items,
    r#"import std.list
import std::option
struct Point { x: Int, y: Int }
enum Cell { Empty, Ship, Hit, Miss }
enum Shot { Miss, Sunk(Int), Moved { from: Int, to_: Int } }
struct Pair[A, B] { first: A, second: B }
pure fn gcd(a: Int, b: Int) -> Int { if b == 0 { a } else { gcd(b, a % b) } }
fn helper(c: Ref[Counter]) -> Int { c.add(1) }
unsafe fn hack() { register pure f = g }
fn apply[T](f: fn(T) -> T, p: pure fn(Int, Int) -> Bool, t: (Int, List[T])) -> Unit { }
object Account {
    /// The balance.
    state balance: Int = 0
    state owner: Option[String] = none
    init(start: Int) { balance = start }
    fn deposit(n: Int) { balance += n }
    pure fn twice(n: Int) -> Int { n * 2 }
}
"#
);

parse_case!(
    precedence,
    "fn f() { a || b && c == d ++ e + f * g as Int - -h }\nfn g() { !x.y[0](1).z && 0..n == r }"
);

parse_case!(
    statements,
    r#"fn main() {
    let x = 1; var y: Int = 2
    y = 3
    y += 1
    y -= 1
    y *= 2
    p.x = 5
    xs[0] = 1
    t.0 = 1
    while y > 0 { y -= 1 }
    for x in xs { print(x) }
    for i in 0..10 { if i == 3 { continue } else if i == 5 { break } }
    for i in 1..=n { }
    let (a, b) = (1, 2)
    return
}
fn r() -> Int { return 1 + 2 }
"#
);

parse_case!(
    expressions,
    r#"fn main() {
    let a = [1, 2, 3]
    let e = []
    let t = (1, "x", true, ())
    let p = Point { x: 1, y: 2 }
    let q = Point { x, y }
    let s = Shot::Hit
    let k = Sunk(3)
    let o = some(x)
    let n = none
    let b = { let z = 1; z + 1 }
    let v = if a { 1 } else { 2 }
    let m = match v { 0 => "zero", n if n > 0 => "pos", _ => "neg" }
    let f = |m| m.kind == "Counter"
    let g = |a: Int, b| a + b
    let h = || 42
    let cast = input as Int
    let ctx = (self, sender, input)
    let neg = -9223372036854775808
    print(v)
}
"#
);

parse_case!(
    objects_and_transactions,
    r#"fn main() {
    let c = create Counter
    let d = create Counter(5)
    let e = create Counter(5) by ctl
    let f = create Counter by none
    destroy c
    let r = try c.add(5)
    atomic {
        a.withdraw(10)
        b.deposit(10)
    }
    atomic by controller("alice") { x }
    let r2 = try atomic { if bad { abort } ; v }
    reject
    unsafe { register pure f = g }
    update pure gcd = gcd_fast
}
"#
);

parse_case!(
    distribution_and_constraints,
    r#"fn main() {
    teleport machine("beta")
    move c to here()
    fetch c
    transfer c to controller("bob")
    freeze c
    let qs = fd_vars(8, 1..=8)
    post all_different(qs)
    post qs[0] != qs[1] + 1
    narrow(qs[0], [1, 2, 3])
    let v = label(qs[0])
    let solution = fd.solve(qs)
    let x = choose([1, 2, 3, 4])
    require x * y == 6
    let ok = scry_meta(|m| m.kind == "Counter")
    let deep = scry_deep(|b, m| true)
}
"#
);

parse_case!(
    patterns,
    r#"fn f(v: Any) -> Int {
    match v {
        0 => 1,
        -1 => 2,
        "s" => 3,
        true => 4,
        () => 5,
        (a, _) => 6,
        [] => 7,
        [h, ..t] => 8,
        [a, b, ..] => 9,
        some(x) => 10,
        none => 11,
        Point { x, y: 0 } => 12,
        Point { x, .. } => 13,
        Shot::Sunk(n) => 14,
        Cell::Empty => 15
        Sunk(n) => { 16 }
        _ => 17
    }
}
"#
);

parse_case!(
    struct_literal_not_in_conditions,
    "fn f() { if x { 1 } else { 2 }\n while p { }\n match q { _ => 1 }\n if (Point { x: 1 }) == p { } }"
);

parse_case!(
    several_errors_are_reported,
    r#"fn main() -> Int {
    let x = 1 +
    let xs = [1, 2 3]
    foo(1 2)
    x + 1 = 4
    x
}
struct S { a: Int b: Int }
let z = 3
"#
);

parse_case!(
    unclosed_block_is_incomplete,
    "fn main() {\n    if true {\n        1\n"
);
parse_case!(unclosed_call_is_incomplete, "fn main() { print(1, 2");
parse_case!(mismatched_delimiters, "fn main() { let xs = [1, 2, 3) }");
parse_case!(stray_closing_delimiter, "fn main() { 1 } }");
parse_case!(invalid_assignment_target, "fn main() { f() = 1\n 1 += 2 }");
parse_case!(
    min_int_literal,
    "fn main() { let a = -9223372036854775808\n let b = 9223372036854775808 }"
);
parse_case!(statement_at_top_level, "let x = 1\nfn main() {}");
parse_case!(missing_type, "fn f(x: ) {}");
parse_case!(missing_pattern, "fn f() { let = 3 }");
parse_case!(
    bad_object_member,
    "object O { let x = 1\n state y: Int = 0 }"
);
parse_case!(
    doc_comment_inside_body,
    "fn f() {\n    /// not an item\n    1\n}"
);
parse_case!(empty_source, "");
parse_case!(two_statements_on_one_line, "fn f() { let a = 1 let b = 2 }");
parse_case!(
    unterminated_string_hides_the_end_of_file_error,
    "fn main() -> Int {\n    let s = \"abc\n    1\n}\n"
);
