//! Hand-built sample Tape programs.
//!
//! Takes nothing; produces small, verified-clean [`Program`]s built with the
//! [`ProgramBuilder`]: a counter object with dispatch on the method name, a recursive
//! `fib`, and the spec's ping-pong pair. They document the format (`docs/tape.md` shows
//! their text), serve as test inputs, and are meant as benchmark and differential-testing
//! inputs for the Tape interpreter.

use super::builder::{BuildError, FunctionBuilder, ProgramBuilder};
use super::effect::{EffectKind, Safety};
use super::op::{Op, Reg, RegRange};
use super::program::{Const, FunctionKind, Program};

/// `object Counter { state count: Int = 0; fn add(n) { count = count + n; count }; fn get() }`
/// and a `main` that adds 5 and 7 and returns `get()` (12). Messages are lists
/// `[method name, args...]`; the dispatch function answers `[result]`, or `[]` (reject) for
/// an unknown method.
pub fn counter() -> Result<Program, BuildError> {
    let mut p = ProgramBuilder::new();
    let dispatch = p.declare("Counter.dispatch", FunctionKind::Dispatch, Safety::Safe, 1)?;
    let add = p.declare("Counter.add", FunctionKind::Method, Safety::Safe, 1)?;
    let get = p.declare("Counter.get", FunctionKind::Method, Safety::Safe, 0)?;
    let main = p.declare("main", FunctionKind::Main, Safety::Safe, 0)?;
    let add_name = p.constant(Const::Str("add".into()))?;
    let get_name = p.constant(Const::Str("get".into()))?;
    let behaviour_name = p.constant(Const::Str("Counter".into()))?;
    let add_5 = p.constant(Const::List(vec![Const::Str("add".into()), Const::Int(5)]))?;
    let add_7 = p.constant(Const::List(vec![Const::Str("add".into()), Const::Int(7)]))?;
    let get_msg = p.constant(Const::List(vec![Const::Str("get".into())]))?;
    let rejected = p.string("Counter.get was rejected")?;

    // dispatch(msg): match the method name, call the method, answer [result].
    let mut f = FunctionBuilder::new("Counter.dispatch", 1);
    let msg = f.param(0);
    let (method, name, is) = (f.reg(), f.reg(), f.reg());
    let arg = f.regs(1);
    let answer = f.regs(1);
    let out = f.reg();
    let (not_add, reject) = (f.label(), f.label());
    f.emit(Op::ListHead {
        dst: method,
        list: msg,
    });
    f.emit(Op::LoadConst {
        dst: name,
        idx: add_name,
    });
    f.emit(Op::Eq {
        dst: is,
        lhs: method,
        rhs: name,
    });
    f.branch_if_not(is, not_add);
    f.emit(Op::ListTail {
        dst: out,
        list: msg,
    });
    f.emit(Op::ListHead {
        dst: arg.start,
        list: out,
    });
    f.emit(Op::Call {
        dst: answer.start,
        func: add,
        args: arg,
    });
    f.emit(Op::MakeList {
        dst: out,
        items: answer,
    });
    f.emit(Op::Ret { src: out });
    f.bind(not_add);
    f.emit(Op::LoadConst {
        dst: name,
        idx: get_name,
    });
    f.emit(Op::Eq {
        dst: is,
        lhs: method,
        rhs: name,
    });
    f.branch_if_not(is, reject);
    f.emit(Op::Call {
        dst: answer.start,
        func: get,
        args: RegRange::EMPTY,
    });
    f.emit(Op::MakeList {
        dst: out,
        items: answer,
    });
    f.emit(Op::Ret { src: out });
    f.bind(reject);
    f.emit(Op::MakeList {
        dst: out,
        items: RegRange::EMPTY,
    });
    f.emit(Op::Ret { src: out });
    p.define(dispatch, f)?;

    // add(n): count = count + n; count
    let mut f = FunctionBuilder::new("Counter.add", 1);
    let (count, sum) = (f.reg(), f.reg());
    f.emit(Op::FieldGet {
        dst: count,
        field: 0,
    });
    f.emit(Op::Add {
        dst: sum,
        lhs: count,
        rhs: f.param(0),
    });
    f.emit(Op::FieldSet { field: 0, src: sum });
    f.emit(Op::Ret { src: sum });
    p.define(add, f)?;

    // get(): count
    let mut f = FunctionBuilder::new("Counter.get", 0);
    let count = f.reg();
    f.emit(Op::FieldGet {
        dst: count,
        field: 0,
    });
    f.emit(Op::Ret { src: count });
    p.define(get, f)?;

    // main: let c = create Counter; c.add(5); c.add(7); c.get()
    let mut f = FunctionBuilder::new("main", 0);
    let create_args = f.regs(2);
    let call_args = f.regs(2);
    let (result, value) = (f.reg(), f.reg());
    let (oid, input) = (call_args.start, Reg(call_args.start.0 + 1));
    f.emit(Op::LoadConst {
        dst: create_args.start,
        idx: behaviour_name,
    });
    f.emit(Op::LoadNone {
        dst: Reg(create_args.start.0 + 1),
    });
    f.emit(Op::Effect {
        kind: EffectKind::CreateObj,
        args: create_args,
        dst: oid,
    });
    for message in [add_5, add_7, get_msg] {
        f.emit(Op::LoadConst {
            dst: input,
            idx: message,
        });
        f.emit(Op::Effect {
            kind: EffectKind::Call,
            args: call_args,
            dst: result,
        });
    }
    let ok = f.label();
    f.emit(Op::IsSome {
        dst: value,
        src: result,
    });
    f.branch_if(value, ok);
    f.emit(Op::Fail { message: rejected });
    f.bind(ok);
    f.emit(Op::Unwrap {
        dst: value,
        src: result,
    });
    f.emit(Op::Ret { src: value });
    p.define(main, f)?;

    p.behaviour("Counter", dispatch, &["count"]);
    p.entry(main);
    Ok(p.finish())
}

/// `pure fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }` and a `main` that
/// prints and returns `fib(n)`.
pub fn fib(n: i32) -> Result<Program, BuildError> {
    let mut p = ProgramBuilder::new();
    let fib = p.declare("fib", FunctionKind::Pure, Safety::Safe, 1)?;
    let main = p.declare("main", FunctionKind::Main, Safety::Safe, 0)?;

    let mut f = FunctionBuilder::new("fib", 1);
    let n_reg = f.param(0);
    let (k, small) = (f.reg(), f.reg());
    let a = f.regs(1);
    let b = f.regs(1);
    let sum = f.reg();
    let recurse = f.label();
    f.emit(Op::LoadInt { dst: k, value: 2 });
    f.emit(Op::Lt {
        dst: small,
        lhs: n_reg,
        rhs: k,
    });
    f.branch_if_not(small, recurse);
    f.emit(Op::Ret { src: n_reg });
    f.bind(recurse);
    f.emit(Op::LoadInt { dst: k, value: 1 });
    f.emit(Op::Sub {
        dst: a.start,
        lhs: n_reg,
        rhs: k,
    });
    f.emit(Op::Call {
        dst: a.start,
        func: fib,
        args: a,
    });
    f.emit(Op::LoadInt { dst: k, value: 2 });
    f.emit(Op::Sub {
        dst: b.start,
        lhs: n_reg,
        rhs: k,
    });
    f.emit(Op::Call {
        dst: b.start,
        func: fib,
        args: b,
    });
    f.emit(Op::Add {
        dst: sum,
        lhs: a.start,
        rhs: b.start,
    });
    f.emit(Op::Ret { src: sum });
    p.define(fib, f)?;

    let mut f = FunctionBuilder::new("main", 0);
    let arg = f.regs(1);
    let result = f.reg();
    f.emit(Op::LoadInt {
        dst: arg.start,
        value: n,
    });
    f.emit(Op::Call {
        dst: result,
        func: fib,
        args: arg,
    });
    f.emit(Op::Print { src: result });
    f.emit(Op::Ret { src: result });
    p.define(main, f)?;
    p.entry(main);
    Ok(p.finish())
}

/// The spec's ping-pong pair (examples.md §1): behaviours `ping` and `pong` share one
/// protocol; a message is the variant `PingPongMsg::Ping|Pong` with payload
/// `(counter, partner, max)`. Below `max`, a behaviour calls its partner with
/// `counter + 1` and itself as the new partner and answers `[role ++ "-continue"]`; at `max`
/// it answers `[role ++ "-done"]`; a message of another shape gives
/// `[role ++ "-decode-failed"]`. `main` creates both and calls ping with
/// `Ping(0, pong, max)`, returning `["complete", answer]`.
pub fn ping_pong(max: i32) -> Result<Program, BuildError> {
    let mut p = ProgramBuilder::new();
    let ping = p.declare("ping.dispatch", FunctionKind::Dispatch, Safety::Safe, 1)?;
    let pong = p.declare("pong.dispatch", FunctionKind::Dispatch, Safety::Safe, 1)?;
    let main = p.declare("main", FunctionKind::Main, Safety::Safe, 0)?;
    let ping_body = ping_pong_dispatch(&mut p, "ping", "Pong")?;
    p.define(ping, ping_body)?;
    let pong_body = ping_pong_dispatch(&mut p, "pong", "Ping")?;
    p.define(pong, pong_body)?;

    let msg_enum = p.string("PingPongMsg")?;
    let ping_tag = p.string("Ping")?;
    let ping_name = p.constant(Const::Str("ping".into()))?;
    let pong_name = p.constant(Const::Str("pong".into()))?;
    let complete = p.constant(Const::Str("complete".into()))?;
    let rejected = p.string("ping rejected the message")?;

    let mut f = FunctionBuilder::new("main", 0);
    let create_args = f.regs(2);
    let pong_ref = f.reg();
    let call_args = f.regs(2);
    let payload = f.regs(3);
    let (result, is_some) = (f.reg(), f.reg());
    let out = f.regs(2);
    let ctrl = Reg(create_args.start.0 + 1);
    f.emit(Op::LoadNone { dst: ctrl });
    f.emit(Op::LoadConst {
        dst: create_args.start,
        idx: pong_name,
    });
    f.emit(Op::Effect {
        kind: EffectKind::CreateObj,
        args: create_args,
        dst: pong_ref,
    });
    f.emit(Op::LoadConst {
        dst: create_args.start,
        idx: ping_name,
    });
    f.emit(Op::Effect {
        kind: EffectKind::CreateObj,
        args: create_args,
        dst: call_args.start,
    });
    f.emit(Op::LoadInt {
        dst: payload.start,
        value: 0,
    });
    f.emit(Op::Move {
        dst: Reg(payload.start.0 + 1),
        src: pong_ref,
    });
    f.emit(Op::LoadInt {
        dst: Reg(payload.start.0 + 2),
        value: max,
    });
    f.emit(Op::MakeVariant {
        dst: Reg(call_args.start.0 + 1),
        enum_name: msg_enum,
        variant: ping_tag,
        payload,
    });
    f.emit(Op::Effect {
        kind: EffectKind::Call,
        args: call_args,
        dst: result,
    });
    let ok = f.label();
    f.emit(Op::IsSome {
        dst: is_some,
        src: result,
    });
    f.branch_if(is_some, ok);
    f.emit(Op::Fail { message: rejected });
    f.bind(ok);
    f.emit(Op::LoadConst {
        dst: out.start,
        idx: complete,
    });
    f.emit(Op::Unwrap {
        dst: Reg(out.start.0 + 1),
        src: result,
    });
    f.emit(Op::MakeList {
        dst: result,
        items: out,
    });
    f.emit(Op::Ret { src: result });
    p.define(main, f)?;

    p.behaviour("ping", ping, &[]);
    p.behaviour("pong", pong, &[]);
    p.entry(main);
    Ok(p.finish())
}

/// The dispatch function of one side of the ping-pong pair.
fn ping_pong_dispatch(
    p: &mut ProgramBuilder,
    role: &str,
    reply: &str,
) -> Result<FunctionBuilder, BuildError> {
    let msg_enum = p.string("PingPongMsg")?;
    let ping_tag = p.string("Ping")?;
    let pong_tag = p.string("Pong")?;
    let reply_tag = p.string(reply)?;
    let continue_answer = p.constant(Const::Str(format!("{role}-continue")))?;
    let done_answer = p.constant(Const::Str(format!("{role}-done")))?;
    let failed_answer = p.constant(Const::Str(format!("{role}-decode-failed")))?;

    let mut f = FunctionBuilder::new(format!("{role}.dispatch"), 1);
    let msg = f.param(0);
    let (is_ping, is_pong) = (f.reg(), f.reg());
    let (counter, partner, max, below, one) = (f.reg(), f.reg(), f.reg(), f.reg(), f.reg());
    let payload = f.regs(3);
    let call_args = f.regs(2);
    let ignored = f.reg();
    let answer = f.regs(1);
    let out = f.reg();
    let (decode_failed, done, reply_label) = (f.label(), f.label(), f.label());

    f.emit(Op::IsVariant {
        dst: is_ping,
        src: msg,
        enum_name: msg_enum,
        variant: ping_tag,
    });
    f.emit(Op::IsVariant {
        dst: is_pong,
        src: msg,
        enum_name: msg_enum,
        variant: pong_tag,
    });
    f.emit(Op::Or {
        dst: is_ping,
        lhs: is_ping,
        rhs: is_pong,
    });
    f.branch_if_not(is_ping, decode_failed);
    for (index, dst) in [counter, partner, max].into_iter().enumerate() {
        f.emit(Op::TaggedGet {
            dst,
            src: msg,
            index: u16::try_from(index).unwrap_or(0),
        });
    }
    f.emit(Op::Lt {
        dst: below,
        lhs: counter,
        rhs: max,
    });
    f.branch_if_not(below, done);
    f.emit(Op::LoadInt { dst: one, value: 1 });
    f.emit(Op::Add {
        dst: payload.start,
        lhs: counter,
        rhs: one,
    });
    f.emit(Op::Effect {
        kind: EffectKind::SelfId,
        args: RegRange::EMPTY,
        dst: Reg(payload.start.0 + 1),
    });
    f.emit(Op::Move {
        dst: Reg(payload.start.0 + 2),
        src: max,
    });
    f.emit(Op::Move {
        dst: call_args.start,
        src: partner,
    });
    f.emit(Op::MakeVariant {
        dst: Reg(call_args.start.0 + 1),
        enum_name: msg_enum,
        variant: reply_tag,
        payload,
    });
    f.emit(Op::Effect {
        kind: EffectKind::Call,
        args: call_args,
        dst: ignored,
    });
    f.emit(Op::LoadConst {
        dst: answer.start,
        idx: continue_answer,
    });
    f.jump(reply_label);
    f.bind(done);
    f.emit(Op::LoadConst {
        dst: answer.start,
        idx: done_answer,
    });
    f.jump(reply_label);
    f.bind(decode_failed);
    f.emit(Op::LoadConst {
        dst: answer.start,
        idx: failed_answer,
    });
    f.bind(reply_label);
    f.emit(Op::MakeList {
        dst: out,
        items: answer,
    });
    f.emit(Op::Ret { src: out });
    Ok(f)
}
