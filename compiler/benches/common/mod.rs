//! The setup shared by the front-end benchmarks (`parse.rs`, `check.rs`): a
//! generated well-typed `.avm` program of a requested number of lines, and
//! the 10,000-line program both benchmarks measure, checked to parse without
//! a diagnostic.

use std::fmt::Write;

use avm_compiler::syntax::ast::Module;
use avm_compiler::syntax::parse;
use avm_compiler::syntax::span::FileId;

/// The size of the benchmarked program, in lines.
pub const LINES: usize = 10_000;

/// The benchmarked program ([`generate`] of [`LINES`] lines) and its parsed
/// module. Panics when the generator produced a program that does not parse
/// cleanly: the benchmarks measure only the no-diagnostic path.
pub fn benchmark_program() -> (String, Module) {
    let src = generate(LINES);
    let parsed = parse(FileId(0), &src);
    assert!(
        parsed.diagnostics.is_empty(),
        "the generated program must parse cleanly"
    );
    let module = parsed
        .module
        .expect("a program without diagnostics has a module");
    (src, module)
}

/// A well-typed program of about `lines` lines: objects with state, init
/// and methods, pure and plain functions, structs and enums, loops,
/// matches, closures, transactions and constraints.
pub fn generate(lines: usize) -> String {
    let mut src =
        String::from("struct Point { x: Int, y: Int }\nenum Shot { Miss, Hit, Sunk(Int) }\n");
    let mut i = 0;
    while src.lines().count() < lines {
        let _ = write!(
            src,
            r#"/// Object number {i}.
object Account{i} {{
    state balance: Int = {i}
    state history: List[Int] = []

    init(start: Int) {{
        balance = start
    }}

    fn deposit(n: Int) -> Int {{
        if n <= 0 {{ reject }}
        balance += n
        history = history ++ [n]
        balance
    }}

    fn classify(v: Option[Int]) -> String {{
        match v {{
            none => "none",
            some(0) => "zero",
            some(x) if x > 100 => "big",
            _ => "other",
        }}
    }}
}}

pure fn helper{i}(a: Int, b: Int) -> Int {{
    var total = 0
    for k in 0..b {{
        total = total + a * k - (k % 3)
    }}
    while total > 1_000 {{ total -= 7 }}
    if total == 0 {{ a }} else {{ total / 2 }}
}}

pure fn score{i}(s: Shot) -> Int {{
    match s {{
        Miss => 0,
        Hit => 1,
        Sunk(n) => n + helper{i}(n, 2),
    }}
}}

fn run{i}(c: Ref[Account{i}]) -> Option[Int] {{
    let p = Point {{ x: {i}, y: 0xff }}
    let r = try atomic {{
        c.deposit(p.x + 1)
        let xs = [1, 2, 3, p.y]
        let ys = map(xs, |v| v * 2)
        let total = fold(ys, 0, |acc, v| acc + v)
        if total > 1_000_000 {{ abort }}
        c.deposit(helper{i}(xs[1], 10) + score{i}(Sunk(total)))
    }}
    let (a, b) = (p.x, p.y)
    match r {{
        some(v) => some(v + a + b),
        none => none,
    }}
}}

"#
        );
        i += 1;
    }
    src
}
