//! Hand-written ITree programs covering every construct the lowering handles, shared by the
//! lowering snapshot tests and the differential tests. Each is a named `Program`.

#![allow(dead_code)]

use avm_vm::isa::Safety;
use avm_vm::itree::builder::*;
use avm_vm::itree::{Arm, BinOp, Builtin, Expr, FnKind, Instr, Pattern, Predicate, Program, Term};
use avm_vm::samples;
use avm_vm::value::Val;

fn create(behaviour: &str) -> Instr {
    Instr::CreateObj {
        behaviour: name(behaviour),
        controller: none(),
    }
}

/// `some(x) => x`, `none => fail "rejected"`.
fn unwrap_call(result: &str) -> Term {
    match_(
        var(result),
        vec![
            (Pattern::Just(Box::new(pbind("x"))), ret(var("x"))),
            (Pattern::Nothing, fail(string("rejected"))),
        ],
    )
}

/// The counter object: init, add 5, add 7, get.
pub fn counter() -> Program {
    samples::counter_program(
        Block::new()
            .instr("c", create("Counter"))
            .effect(Instr::Call(var("c"), string("init")))
            .effect(Instr::Call(var("c"), samples::add_msg(int(5))))
            .effect(Instr::Call(var("c"), samples::add_msg(int(7))))
            .instr("r", Instr::Call(var("c"), string("get")))
            .then(unwrap_call("r")),
    )
}

/// `fib` as a doubly recursive pure function and `sum_to` as a tail-recursive loop.
pub fn fib(n: i64) -> Program {
    let fib_body = if_(
        lt(var("n"), int(2)),
        ret(var("n")),
        Block::new()
            .bind("a", call_fn("fib", vec![sub(var("n"), int(1))]))
            .bind("b", call_fn("fib", vec![sub(var("n"), int(2))]))
            .ret(add(var("a"), var("b"))),
    );
    let sum_body = if_(
        eq(var("i"), int(0)),
        ret(var("acc")),
        call_fn(
            "sum_to",
            vec![sub(var("i"), int(1)), add(var("acc"), var("i"))],
        ),
    );
    ProgramBuilder::new()
        .pure_function("fib", &["n"], fib_body)
        .function("sum_to", &["i", "acc"], sum_body)
        .main(
            Block::new()
                .bind("f", call_fn("fib", vec![int(n)]))
                .bind("s", call_fn("sum_to", vec![int(1000), int(0)]))
                .ret(tuple(vec![var("f"), var("s")])),
        )
}

/// The spec's ping-pong pair, run for `rounds` rounds inside and after a transaction.
pub fn ping_pong(rounds: i64) -> Program {
    samples::ping_pong_test(rounds)
}

/// Sum and describe a list by matching on nil / cons / exact lists, with guards.
pub fn list_match() -> Program {
    let sum_body = match_(
        var("xs"),
        vec![
            (Pattern::Nil, ret(var("acc"))),
            (
                Pattern::Cons(Box::new(pbind("h")), Box::new(pbind("t"))),
                call_fn("sum", vec![var("t"), add(var("acc"), var("h"))]),
            ),
        ],
    );
    let describe = Term::Match {
        scrutinee: var("xs"),
        arms: vec![
            Arm {
                pattern: Pattern::List(vec![]),
                guard: None,
                body: ret(string("empty")),
            },
            Arm {
                pattern: Pattern::List(vec![pbind("only")]),
                guard: None,
                body: ret(bin(
                    BinOp::Concat,
                    string("one: "),
                    builtin(Builtin::ToString, vec![var("only")]),
                )),
            },
            Arm {
                pattern: Pattern::Cons(
                    Box::new(pbind("h")),
                    Box::new(Pattern::Cons(
                        Box::new(Pattern::Wild),
                        Box::new(pbind("rest")),
                    )),
                ),
                guard: Some(lt(var("h"), int(0))),
                body: ret(string("starts negative")),
            },
            Arm {
                pattern: Pattern::Cons(
                    Box::new(Pattern::Lit(Val::Int(1))),
                    Box::new(Pattern::Wild),
                ),
                guard: None,
                body: ret(string("starts with one")),
            },
            Arm {
                pattern: Pattern::Wild,
                guard: None,
                body: ret(string("other")),
            },
        ],
    };
    let xs = |items: &[i64]| list(items.iter().map(|i| int(*i)).collect());
    ProgramBuilder::new()
        .function("sum", &["xs", "acc"], sum_body)
        .pure_function("describe", &["xs"], describe)
        .main(
            Block::new()
                .bind("s", call_fn("sum", vec![xs(&[1, 2, 3, 4]), int(0)]))
                .bind("d0", call_fn("describe", vec![xs(&[])]))
                .bind("d1", call_fn("describe", vec![xs(&[7])]))
                .bind("d2", call_fn("describe", vec![xs(&[-1, 2, 3])]))
                .bind("d3", call_fn("describe", vec![xs(&[1, 2])]))
                .bind("d4", call_fn("describe", vec![xs(&[5, 2])]))
                .ret(list(vec![
                    builtin(Builtin::ToString, vec![var("s")]),
                    var("d0"),
                    var("d1"),
                    var("d2"),
                    var("d3"),
                    var("d4"),
                ])),
        )
}

/// Nested transactions around counter updates: an aborted inner transaction, a committed one,
/// and `commitOrAbort`.
pub fn nested_transactions() -> Program {
    samples::counter_program(
        Block::new()
            .instr(
                "c",
                Instr::CreateObj {
                    behaviour: name("Counter"),
                    controller: some_controller("c1"),
                },
            )
            .effect(Instr::Call(var("c"), string("init")))
            .instr("outer", Instr::BeginTx(none()))
            .effect(Instr::Call(var("c"), samples::add_msg(int(1))))
            .instr("inner", Instr::BeginTx(none()))
            .effect(Instr::Call(var("c"), samples::add_msg(int(10))))
            .effect(Instr::AbortTx(var("inner")))
            .instr("inner2", Instr::BeginTx(none()))
            .effect(Instr::Call(var("c"), samples::add_msg(int(100))))
            .instr("ok2", Instr::CommitTx(var("inner2")))
            .instr("ok", Instr::CommitOrAbort(var("outer")))
            .instr("r", Instr::Call(var("c"), string("get")))
            .effect(Instr::Print(tuple(vec![var("ok"), var("ok2"), var("r")])))
            .then(unwrap_call("r")),
    )
}

/// Records, variants, options, indexing, built-ins, short-circuit logic and `print`.
pub fn data_and_builtins() -> Program {
    let point = record("Point", vec![("x", int(3)), ("y", int(-4))]);
    let shape_match = match_(
        var("shape"),
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
    );
    ProgramBuilder::new()
        .pure_function("area", &["shape"], shape_match)
        .main(
            Block::new()
                .let_("p", point)
                .let_("px", field(var("p"), "x"))
                .bind(
                    "py",
                    match_(
                        var("p"),
                        vec![(
                            Pattern::Record {
                                type_name: name("Point"),
                                fields: vec![(name("y"), pbind("yy"))],
                            },
                            ret(var("yy")),
                        )],
                    ),
                )
                .bind(
                    "a1",
                    call_fn("area", vec![variant("Shape", "Circle", vec![int(2)])]),
                )
                .bind(
                    "a2",
                    call_fn("area", vec![variant("Shape", "Rect", vec![int(2), int(5)])]),
                )
                .let_("xs", list(vec![int(3), int(1), int(2)]))
                .let_("t", tuple(vec![string("a"), boolean(true)]))
                .let_(
                    "checks",
                    list(vec![
                        builtin(Builtin::Contains, vec![var("xs"), int(2)]),
                        builtin(
                            Builtin::IsSome,
                            vec![builtin(Builtin::Head, vec![list(vec![])])],
                        ),
                        and(boolean(false), int(1)),
                        bin(BinOp::Or, boolean(true), string("not a bool, never read")),
                        not(eq(index(var("t"), int(0)), string("b"))),
                        bin(BinOp::Ge, string("b"), string("a")),
                    ]),
                )
                .effect(Instr::Print(var("checks")))
                .ret(tuple(vec![
                    var("px"),
                    var("py"),
                    var("a1"),
                    var("a2"),
                    builtin(Builtin::Reverse, vec![var("xs")]),
                    builtin(Builtin::Len, vec![string("héllo")]),
                    builtin(Builtin::Tail, vec![var("xs")]),
                    builtin(Builtin::UnwrapOr, vec![none(), int(9)]),
                    builtin(Builtin::Cons, vec![int(0), var("xs")]),
                    lit(Val::Int(i64::MAX)),
                    machine("m1"),
                    some(controller("c1")),
                    bin(BinOp::Concat, var("xs"), list(vec![int(4)])),
                    Expr::Unary(avm_vm::itree::UnOp::Neg, Box::new(var("px"))),
                ])),
        )
}

/// The pure-function registry and a reflective scry with a predicate (unsafe entry).
pub fn pure_registry_and_scry() -> Program {
    let double = ret(bin(BinOp::Mul, var("x"), int(2)));
    let triple = ret(bin(BinOp::Mul, var("x"), int(3)));
    ProgramBuilder::new()
        .behaviour("Counter", samples::counter_behaviour())
        .pure_function("double", &["x"], double)
        .pure_function("triple", &["x"], triple)
        .register_pure("scale", "double")
        .main_with(
            Block::new()
                .instr(
                    "a",
                    Instr::CallPure {
                        name: name("scale"),
                        args: list(vec![int(21)]),
                    },
                )
                .instr(
                    "u",
                    Instr::UpdatePure {
                        name: name("scale"),
                        function: name("triple"),
                    },
                )
                .instr(
                    "b",
                    Instr::CallPure {
                        name: name("scale"),
                        args: list(vec![int(21)]),
                    },
                )
                .instr(
                    "missing",
                    Instr::CallPure {
                        name: name("nope"),
                        args: list(vec![]),
                    },
                )
                .instr(
                    "reg",
                    Instr::RegisterPure {
                        name: name("twice"),
                        function: name("double"),
                    },
                )
                .instr("c", create("Counter"))
                .instr(
                    "found",
                    Instr::ScryMeta(Predicate {
                        params: vec![name("meta")],
                        body: boolean(true),
                    }),
                )
                .instr(
                    "deep",
                    Instr::ScryDeep(Predicate {
                        params: vec![name("b"), name("meta")],
                        body: eq(var("b"), string("Counter")),
                    }),
                )
                .ret(tuple(vec![
                    var("a"),
                    var("u"),
                    var("b"),
                    var("missing"),
                    var("reg"),
                    builtin(Builtin::Len, vec![var("found")]),
                    builtin(Builtin::Len, vec![var("deep")]),
                ])),
            Safety::Unsafe,
        )
}

/// Introspection, reflection, reification, placement and controller instructions (unsafe entry).
pub fn introspection_and_placement() -> Program {
    ProgramBuilder::new()
        .behaviour("Counter", samples::counter_behaviour())
        .main_with(
            Term::Tau(Box::new(
                Block::new()
                    .instr("me", Instr::SelfId)
                    .instr("msg", Instr::Receive)
                    .instr("again", Instr::Receive)
                    .instr("from", Instr::Sender)
                    .instr("here", Instr::GetCurrentMachine)
                    .instr("ctx", Instr::ReifyContext)
                    .instr(
                        "c",
                        Instr::CreateObj {
                            behaviour: name("Counter"),
                            controller: some_controller("c1"),
                        },
                    )
                    .instr("meta", Instr::Reflect(var("c")))
                    .instr("t", Instr::BeginTx(none()))
                    .instr("txs", Instr::ReifyTxState)
                    .instr("ok", Instr::CommitTx(var("t")))
                    .instr("where", Instr::GetMachine(var("c")))
                    .instr("fetched", Instr::Fetch(var("c")))
                    .instr("moved", Instr::MoveObject(var("c"), var("here")))
                    .instr("tele", Instr::Teleport(var("here")))
                    .instr("owner", Instr::GetController(var("c")))
                    .instr("cur", Instr::GetCurrentController)
                    .instr("given", Instr::TransferObject(var("c"), controller("c2")))
                    .instr("gone", Instr::DestroyObj(var("c")))
                    .instr("state", Instr::GetState)
                    .ret(list(vec![
                        tuple(vec![var("me"), var("msg"), var("again"), var("from")]),
                        tuple(vec![var("here"), var("ctx"), var("meta"), var("txs")]),
                        tuple(vec![var("ok"), var("where"), var("fetched"), var("moved")]),
                        tuple(vec![var("tele"), var("owner"), var("cur"), var("given")]),
                        tuple(vec![var("gone"), var("state")]),
                    ])),
            )),
            Safety::Unsafe,
        )
}

/// Errors: each entry fails at run time in a different way.
pub fn failing(which: usize) -> Program {
    let main = match which {
        0 => fail(tuple(vec![string("custom"), int(42)])),
        1 => match_(int(5), vec![(Pattern::Lit(Val::Int(4)), ret(unit()))]),
        2 => ret(bin(BinOp::Div, int(1), int(0))),
        3 => ret(add(lit(Val::Int(i64::MAX)), int(1))),
        4 => ret(index(list(vec![int(1)]), int(3))),
        5 => ret(field(record("P", vec![("x", int(1))]), "y")),
        6 => ret(bin(BinOp::Lt, int(1), string("a"))),
        7 => if_(int(1), ret(unit()), ret(unit())),
        8 => Block::new()
            .instr(
                "c",
                Instr::CreateObj {
                    behaviour: name("Counter"),
                    controller: some_controller("c1"),
                },
            )
            .instr("f", Instr::Freeze(var("c")))
            .ret(var("f")),
        _ => Block::new()
            .instr("t", Instr::BeginTx(none()))
            .effect(Instr::CommitTx(var("t")))
            .effect(Instr::CommitTx(var("t")))
            .ret(unit()),
    };
    ProgramBuilder::new()
        .behaviour("Counter", samples::counter_behaviour())
        .main(main)
}

/// How many `failing` programs there are.
pub const FAILING: usize = 10;

/// Every sample with a name.
pub fn all() -> Vec<(String, Program)> {
    let mut out = vec![
        ("counter".to_owned(), counter()),
        ("fib".to_owned(), fib(10)),
        ("ping_pong".to_owned(), ping_pong(3)),
        ("list_match".to_owned(), list_match()),
        ("nested_transactions".to_owned(), nested_transactions()),
        ("data_and_builtins".to_owned(), data_and_builtins()),
        (
            "pure_registry_and_scry".to_owned(),
            pure_registry_and_scry(),
        ),
        (
            "battleship".to_owned(),
            samples::play_full_game(some_controller("c1")),
        ),
        ("start_ping_pong".to_owned(), samples::start_ping_pong(4)),
        ("ping_pong_simple".to_owned(), samples::ping_pong_simple()),
    ];
    for i in 0..FAILING {
        out.push((format!("failing_{i}"), failing(i)));
    }
    out
}

/// Unused kinds are referenced so the import list stays honest.
pub fn plain_fn_kind() -> FnKind {
    FnKind::Plain
}
