//! Conformance: Introspect family (`isa.md` §3). Each test cites the rule it checks.

mod common;

use avm_vm::error::ExecError;
use avm_vm::ids::ObjectId;
use avm_vm::itree::builder::*;
use avm_vm::itree::term::Instr;
use avm_vm::trace::TraceView;
use avm_vm::value::Val;
use common::*;

#[test]
fn self_input_sender_machine_at_top_level() {
    // isa.md §3: self = st.self, input = st.input, sender = nothing at top level,
    // getCurrentMachine = st.machineId; no trace.
    let (r, _) = run_main(
        Block::new()
            .instr("s", Instr::SelfId)
            .instr("i", Instr::Input)
            .instr("f", Instr::Sender)
            .instr("m", Instr::GetCurrentMachine)
            .ret(tuple(vec![var("s"), var("i"), var("f"), var("m")])),
    );
    assert_eq!(
        r.outcome,
        Ok(tup(vec![
            Val::Object(ObjectId(100)),
            Val::Unit,
            Val::Nothing,
            mach("m0")
        ]))
    );
    assert!(r.trace.is_empty());
}

#[test]
fn get_state_absent_is_empty() {
    // isa.md §3 getState: states[self], [] if absent.
    let (r, _) = run_main(Block::new().instr("s", Instr::GetState).ret(var("s")));
    assert_eq!(r.outcome, Ok(Val::list(vec![])));
}

#[test]
fn set_state_logs_no_spec_event() {
    // isa.md §3 setState: replaces the whole state; logs nothing in the spec. Ours adds a
    // StateUpdated extension entry that does not consume a timestamp.
    let (r, w) = run_main(
        Block::new()
            .effect(Instr::SetState(list(vec![int(1), int(2)])))
            .instr("o", create("echo", none()))
            .ret(var("o")),
    );
    assert_eq!(r.outcome, Ok(Val::Object(ObjectId(0))));
    assert_eq!(
        w.store.state(ObjectId(100)),
        Some(&[Val::Int(1), Val::Int(2)][..])
    );
    assert_eq!(
        r.trace.render(TraceView::Full),
        "[0] StateUpdated(#100) @none\n[0] ObjectCreated(#0, \"echo\") @none\n"
    );
}

#[test]
fn set_state_needs_a_list() {
    // isa.md §3 setState takes `List Val`; anything else is a type error (ours).
    let (r, _) = run_main(Block::new().effect(Instr::SetState(int(1))).ret(unit()));
    assert_eq!(
        r.outcome,
        Err(ExecError::TypeMismatch {
            expected: "List",
            found: "Int"
        }
        .into())
    );
}

#[test]
fn fields_read_and_write_one_element() {
    // Ours: get_field / set_field = getState / setState of one element, sharing the overlay
    // (inside a tx the write is buffered and read back).
    let (r, w) = run_main(
        Block::new()
            .effect(Instr::SetState(list(vec![int(1), int(2)])))
            .instr("t", Instr::BeginTx(none()))
            .effect(Instr::SetField(1, int(20)))
            .instr("a", Instr::GetField(1))
            .instr("s", Instr::GetState)
            .effect(Instr::CommitTx(var("t")))
            .ret(tuple(vec![var("a"), var("s")])),
    );
    assert_eq!(
        r.outcome,
        Ok(tup(vec![
            Val::Int(20),
            Val::list(vec![Val::Int(1), Val::Int(20)])
        ]))
    );
    assert_eq!(
        w.store.state(ObjectId(100)),
        Some(&[Val::Int(1), Val::Int(20)][..])
    );
}

#[test]
fn field_out_of_range() {
    // Ours: a field beyond the state is ExecError::NoSuchStateField.
    let (r, _) = run_main(Block::new().instr("a", Instr::GetField(3)).ret(var("a")));
    assert_eq!(
        r.outcome,
        Err(ExecError::NoSuchStateField {
            object: ObjectId(100),
            index: 3,
            len: 0
        }
        .into())
    );
}

#[test]
fn sender_inside_call() {
    // isa.md §3 sender: just caller inside a call.
    let (r, _) = run_main(
        Block::new()
            .instr("a", create("ctx", none()))
            .instr("r", Instr::Call(var("a"), unit()))
            .ret(var("r")),
    );
    assert_eq!(
        r.outcome,
        Ok(just(tup(vec![
            Val::Object(ObjectId(0)),
            just(Val::Object(ObjectId(100))),
            mach("m0")
        ])))
    );
}
