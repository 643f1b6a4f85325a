//! The Tape text of the counter object, the counterpart of `samples::counter_behaviour`,
//! shared by the differential tests that pair it with the ITree sample.
//!
//! Produces text fragments to splice into a program: [`COUNTER_NAMES`] declares the
//! constants the dispatch function reads (c0 `"init"`, c1 `"get"`) and the behaviour name
//! (c2 `"Counter"`); [`COUNTER_DISPATCH`] is the dispatch function and the behaviour. A
//! program adds its own constants from c3 on and its `main`.

/// Constants c0..c2: the messages `"init"` and `"get"` and the behaviour name `"Counter"`.
pub const COUNTER_NAMES: &str = r#"
.const c0 "init"
.const c1 "get"
.const c2 "Counter"
"#;

/// The dispatch function and the `Counter` behaviour (messages `"init"`, `("add", n)`,
/// `"get"`; one field, `count`). Reads constants c0 and c1 of [`COUNTER_NAMES`].
pub const COUNTER_DISPATCH: &str = r#"
.func "Counter.dispatch" params=1 regs=8 safe dispatch
    const c0 -> r1
    eq r0, r1 -> r2
    brnot r2, not_init
    int 0 -> r3
    list r3..r4 -> r3
    fx.setState r3..r4 -> r4
    list -> r4
    ret r4
not_init:
    const c1 -> r1
    eq r0, r1 -> r2
    brnot r2, add
    field.get 0 -> r3
    list r3..r4 -> r4
    ret r4
add:
    tuple.get r0, 1 -> r5
    field.get 0 -> r3
    add r3, r5 -> r3
    field.set 0, r3
    list r3..r4 -> r4
    ret r4
.end
.behaviour "Counter" dispatch=@"Counter.dispatch" fields=["count"]
"#;
