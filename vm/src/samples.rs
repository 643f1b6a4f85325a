//! The spec's example programs written as ITree programs.
//!
//! Takes parameters (round counts, controllers) and produces `Program`s: PingPong
//! (`examples.md` §1.1), Battleship (§2.1), and a counter object. Tests, the `ping_pong` example
//! and the benchmarks share them, so every consumer runs the same code.

use crate::itree::builder::*;
use crate::itree::term::{BinOp, Builtin, Expr, Instr, Pattern, Program, Term};

/// A `Msg::Ping(counter, partner, max)` / `Msg::Pong(...)` pattern binding `c`, `partner`, `max`.
fn msg_pattern(kind: &str) -> Pattern {
    Pattern::Variant {
        enum_name: name("Msg"),
        variant: name(kind),
        payload: vec![pbind("c"), pbind("partner"), pbind("max")],
    }
}

/// The PingPong behaviour of `examples.md` §1.1, for `role` ("ping"/"pong") replying with
/// `reply` ("Pong"/"Ping").
fn ping_pong_behaviour(role: &str, reply: &str) -> Term {
    let on_msg = || {
        if_(
            lt(var("c"), var("max")),
            Block::new()
                .effect(Instr::Call(
                    var("partner"),
                    variant(
                        "Msg",
                        reply,
                        vec![add(var("c"), int(1)), var("me"), var("max")],
                    ),
                ))
                .ret(list(vec![string(&format!("{role}-continue"))])),
            ret(list(vec![string(&format!("{role}-done"))])),
        )
    };
    Block::new()
        .instr("msg", Instr::Input)
        .instr("me", Instr::SelfId)
        .then(match_(
            var("msg"),
            vec![
                (msg_pattern("Ping"), on_msg()),
                (msg_pattern("Pong"), on_msg()),
                (
                    Pattern::Wild,
                    ret(list(vec![string(&format!("{role}-decode-failed"))])),
                ),
            ],
        ))
}

fn with_ping_pong() -> ProgramBuilder {
    ProgramBuilder::new()
        .behaviour("ping", ping_pong_behaviour("ping", "Pong"))
        .behaviour("pong", ping_pong_behaviour("pong", "Ping"))
}

/// `["complete", x]` for a call result `some(x)`, `["complete"]` for `none`.
fn complete(result: &str) -> Term {
    match_(
        var(result),
        vec![
            (
                Pattern::Just(Box::new(pbind("x"))),
                ret(list(vec![string("complete"), var("x")])),
            ),
            (Pattern::Nothing, ret(list(vec![string("complete")]))),
        ],
    )
}

/// `testSimple`: create pong, call it with `Msg::Ping(0, pong, 1)` (a re-entrant self-call).
pub fn ping_pong_simple() -> Program {
    with_ping_pong().main(
        Block::new()
            .instr(
                "pong",
                Instr::CreateObj {
                    behaviour: name("pong"),
                    controller: none(),
                },
            )
            .instr(
                "r",
                Instr::Call(
                    var("pong"),
                    variant("Msg", "Ping", vec![int(0), var("pong"), int(1)]),
                ),
            )
            .ret(builtin(Builtin::UnwrapOr, vec![var("r"), unit()])),
    )
}

/// The runner's `test`: create pong and ping inside a transaction, commit, then call ping with
/// `Msg::Ping(0, pong, rounds)` outside the transaction.
pub fn ping_pong_test(rounds: i64) -> Program {
    let create = |b: &str| Instr::CreateObj {
        behaviour: name(b),
        controller: none(),
    };
    with_ping_pong().main(
        Block::new()
            .instr("t", Instr::BeginTx(none()))
            .instr("pong", create("pong"))
            .instr("ping", create("ping"))
            .effect(Instr::CommitTx(var("t")))
            .instr(
                "r",
                Instr::Call(
                    var("ping"),
                    variant("Msg", "Ping", vec![int(0), var("pong"), int(rounds)]),
                ),
            )
            .then(complete("r")),
    )
}

/// `startPingPong n`: like `ping_pong_test` without the transaction (ping = first object).
pub fn start_ping_pong(rounds: i64) -> Program {
    let create = |b: &str| Instr::CreateObj {
        behaviour: name(b),
        controller: none(),
    };
    with_ping_pong().main(
        Block::new()
            .instr("ping", create("ping"))
            .instr("pong", create("pong"))
            .instr(
                "r",
                Instr::Call(
                    var("ping"),
                    variant("Msg", "Ping", vec![int(0), var("pong"), int(rounds)]),
                ),
            )
            .then(complete("r")),
    )
}

/// `V::Ship(x, y, len)` as an expression.
pub fn ship(x: i64, y: i64, len: i64) -> Expr {
    variant("V", "Ship", vec![int(x), int(y), int(len)])
}

/// `V::Coord(x, y)` as an expression.
pub fn coord(x: i64, y: i64) -> Expr {
    variant("V", "Coord", vec![int(x), int(y)])
}

/// The Battleship board behaviour (`examples.md` §2.1): a ship message is prepended to the state
/// and echoed; a coordinate is echoed if some (vertical) ship covers it, else no output.
fn board_behaviour() -> Term {
    let ship_arm = (
        Pattern::Variant {
            enum_name: name("V"),
            variant: name("Ship"),
            payload: vec![Pattern::Wild, Pattern::Wild, Pattern::Wild],
        },
        Block::new()
            .effect(Instr::SetState(builtin(
                Builtin::Cons,
                vec![var("inp"), var("st")],
            )))
            .ret(list(vec![var("inp")])),
    );
    let coord_arm = (
        Pattern::Variant {
            enum_name: name("V"),
            variant: name("Coord"),
            payload: vec![pbind("x"), pbind("y")],
        },
        Block::new()
            .bind(
                "hit",
                call_fn("any_hit", vec![var("st"), var("x"), var("y")]),
            )
            .then(if_(
                var("hit"),
                ret(list(vec![var("inp")])),
                ret(list(vec![])),
            )),
    );
    Block::new()
        .instr("inp", Instr::Input)
        .instr("st", Instr::GetState)
        .then(match_(var("inp"), vec![ship_arm, coord_arm]))
}

/// `any_hit(ships, x, y)`: tail-recursive search for a ship covering (x, y).
fn any_hit() -> Term {
    let covers = and(
        eq(var("sx"), var("x")),
        and(
            le(var("sy"), var("y")),
            lt(var("y"), add(var("sy"), var("len"))),
        ),
    );
    match_(
        var("ships"),
        vec![
            (Pattern::Nil, ret(boolean(false))),
            (
                Pattern::Cons(
                    Box::new(Pattern::Variant {
                        enum_name: name("V"),
                        variant: name("Ship"),
                        payload: vec![pbind("sx"), pbind("sy"), pbind("len")],
                    }),
                    Box::new(pbind("rest")),
                ),
                if_(
                    covers,
                    ret(boolean(true)),
                    call_fn("any_hit", vec![var("rest"), var("x"), var("y")]),
                ),
            ),
        ],
    )
}

/// The Battleship program table with the given entry term.
pub fn battleship(main: Term) -> Program {
    ProgramBuilder::new()
        .behaviour("PlayerBoard", board_behaviour())
        .function("any_hit", &["ships", "x", "y"], any_hit())
        .main(main)
}

fn create_board(controller: Expr) -> Instr {
    Instr::CreateObj {
        behaviour: name("PlayerBoard"),
        controller,
    }
}

/// `setupGame` steps: a transaction creating two boards (with `controller`) and placing two
/// ships on each, binding `board1`, `board2`.
pub fn setup_game(controller: Expr) -> Block {
    Block::new()
        .instr("t0", Instr::BeginTx(none()))
        .instr("board1", create_board(controller.clone()))
        .instr("board2", create_board(controller))
        .effect(Instr::Call(var("board1"), ship(0, 0, 3)))
        .effect(Instr::Call(var("board1"), ship(2, 2, 2)))
        .effect(Instr::Call(var("board2"), ship(1, 1, 3)))
        .effect(Instr::Call(var("board2"), ship(4, 4, 2)))
        .effect(Instr::CommitTx(var("t0")))
}

/// `attack b x y` steps: a transaction around one call, binding the call result to `bind`.
pub fn attack(block: Block, bind: &str, board: &str, x: i64, y: i64) -> Block {
    let t = format!("t_{bind}");
    block
        .instr(&t, Instr::BeginTx(none()))
        .instr(bind, Instr::Call(var(board), coord(x, y)))
        .effect(Instr::CommitTx(var(&t)))
}

/// `playFullGame`: setup, then attacks board2 (1,1), board1 (0,0), board2 (5,5), board1 (2,2);
/// returns the four call results.
pub fn play_full_game(controller: Expr) -> Program {
    let b = setup_game(controller);
    let b = attack(b, "a1", "board2", 1, 1);
    let b = attack(b, "a2", "board1", 0, 0);
    let b = attack(b, "a3", "board2", 5, 5);
    let b = attack(b, "a4", "board1", 2, 2);
    battleship(b.ret(list(vec![var("a1"), var("a2"), var("a3"), var("a4")])))
}

/// A counter object: state `[count]`. Messages: `"init"` sets the state to `[0]` (no output);
/// `("add", n)` adds `n` (get-field, +, set-field) and returns the new count; `"get"` returns it.
pub fn counter_behaviour() -> Term {
    let add_arm = (
        Pattern::Tuple(vec![
            Pattern::Lit(crate::value::Val::str("add")),
            pbind("n"),
        ]),
        Block::new()
            .instr("c", Instr::GetField(0))
            .let_("c2", bin(BinOp::Add, var("c"), var("n")))
            .effect(Instr::SetField(0, var("c2")))
            .ret(list(vec![var("c2")])),
    );
    let init_arm = (
        Pattern::Lit(crate::value::Val::str("init")),
        Block::new()
            .effect(Instr::SetState(list(vec![int(0)])))
            .ret(list(vec![])),
    );
    let get_arm = (
        Pattern::Lit(crate::value::Val::str("get")),
        Block::new()
            .instr("c", Instr::GetField(0))
            .ret(list(vec![var("c")])),
    );
    Block::new()
        .instr("msg", Instr::Input)
        .then(match_(var("msg"), vec![add_arm, init_arm, get_arm]))
}

/// The minimal counter step used by the benchmark: input `n`; get field 0; add; set field 0;
/// output the new count.
pub fn increment_behaviour() -> Term {
    Block::new()
        .instr("n", Instr::Input)
        .instr("c", Instr::GetField(0))
        .let_("c2", bin(BinOp::Add, var("c"), var("n")))
        .effect(Instr::SetField(0, var("c2")))
        .ret(list(vec![var("c2")]))
}

/// `("add", n)` as an expression.
pub fn add_msg(n: Expr) -> Expr {
    tuple(vec![string("add"), n])
}

/// A program that creates a `Counter` (no controller), calls it with `"init"` and returns it
/// (object 0 in a fresh world): the setup of the counter benchmarks and tests.
pub fn create_counter() -> Program {
    counter_program(
        Block::new()
            .instr(
                "c",
                Instr::CreateObj {
                    behaviour: name("Counter"),
                    controller: none(),
                },
            )
            .effect(Instr::Call(var("c"), string("init")))
            .ret(var("c")),
    )
}

/// The counter benchmarks' loop, without its entry: the `Counter` behaviour
/// ([`increment_behaviour`]) and `go(n)`, a tail-recursive loop of `n` iterations that each
/// call `counter` with 1 (or, for `None`, only loop: the baseline of the call's cost).
pub fn counter_loop(counter: Option<&crate::value::Val>) -> ProgramBuilder {
    let next = call_fn("go", vec![sub(var("n"), int(1))]);
    let body = match counter {
        Some(counter) => Block::new()
            .effect(Instr::Call(lit(counter.clone()), int(1)))
            .then(next),
        None => next,
    };
    ProgramBuilder::new()
        .behaviour("Counter", increment_behaviour())
        .function("go", &["n"], if_(eq(var("n"), int(0)), ret(unit()), body))
}

/// A program with the `Counter` behaviour and the given entry.
pub fn counter_program(main: Term) -> Program {
    ProgramBuilder::new()
        .behaviour("Counter", counter_behaviour())
        .behaviour("Increment", increment_behaviour())
        .main(main)
}
