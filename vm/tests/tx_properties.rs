//! Property tests of the transaction overlay through the shared semantics (`avm_vm::isa`):
//! a sequence of operations run inside a transaction and committed leaves the same store as the
//! same sequence run directly (read-your-writes makes every step see what the direct run sees),
//! and the same sequence aborted leaves the store untouched.

use avm_vm::exec::Execution;
use avm_vm::ids::{ControllerId, MachineId, ObjectId};
use avm_vm::isa;
use avm_vm::store::StoredObject;
use avm_vm::trace::TraceMode;
use avm_vm::value::Val;
use avm_vm::world::World;
use proptest::prelude::*;
use std::rc::Rc;

#[derive(Clone, Debug)]
enum Op {
    Create,
    SetState(i64),
    SetStateOf(usize, i64),
    Move(usize, u8),
    Transfer(usize, u8),
    Destroy(usize),
    Fetch(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Create),
        any::<i64>().prop_map(Op::SetState),
        (0usize..6, any::<i64>()).prop_map(|(i, v)| Op::SetStateOf(i, v)),
        (0usize..6, 0u8..3).prop_map(|(i, m)| Op::Move(i, m)),
        (0usize..6, 0u8..2).prop_map(|(i, c)| Op::Transfer(i, c)),
        (0usize..6).prop_map(Op::Destroy),
        (0usize..6).prop_map(Op::Fetch),
    ]
}

type Snapshot = Vec<(u64, Option<StoredObject>, Option<Vec<Val>>)>;

fn snapshot(w: &World) -> Snapshot {
    (0..w.clock + 200)
        .map(|i| {
            let id = ObjectId(i);
            // An absent state reads as `[]`, so the two are observably the same.
            let state = w
                .store
                .state(id)
                .filter(|s| !s.is_empty())
                .map(<[Val]>::to_vec);
            (i, w.store.object(id).cloned(), state)
        })
        .filter(|(_, o, s)| o.is_some() || s.is_some())
        .collect()
}

/// A world with two objects owned by c1 (ids 0 and 1), clock at 2.
fn base() -> World {
    let mut w = World::new();
    let mut e = Execution::new(
        MachineId::new("m0"),
        ObjectId(100),
        Val::Unit,
        TraceMode::Off,
    );
    for _ in 0..2 {
        isa::obj::create(&mut e, &mut w, Rc::from("b"), Some(ControllerId::new("c1")))
            .expect("create");
    }
    w
}

/// Runs the ops; returns which ones failed. Objects are addressed by index into the ids created
/// so far (the two base objects first).
fn apply(e: &mut Execution, w: &mut World, ops: &[Op]) -> Vec<bool> {
    let mut ids = vec![ObjectId(0), ObjectId(1)];
    let machines = ["m0", "m1", "m2"];
    let ctrls = ["c1", "c2"];
    let pick = |ids: &Vec<ObjectId>, i: usize| ids[i % ids.len()];
    ops.iter()
        .map(|op| {
            let r: Result<(), avm_vm::error::AvmError> = match op {
                Op::Create => isa::obj::create(e, w, Rc::from("b"), Some(ControllerId::new("c1")))
                    .map(|id| ids.push(id)),
                Op::SetState(v) => isa::introspect::set_state(e, w, &Val::list(vec![Val::Int(*v)])),
                Op::SetStateOf(i, v) => {
                    let saved = e.ctx.self_id;
                    e.ctx.self_id = pick(&ids, *i);
                    let r = isa::introspect::set_state(e, w, &Val::list(vec![Val::Int(*v)]));
                    e.ctx.self_id = saved;
                    r
                }
                Op::Move(i, m) => isa::machine::move_object(
                    e,
                    w,
                    pick(&ids, *i),
                    MachineId::new(machines[*m as usize]),
                )
                .map(drop),
                Op::Transfer(i, c) => isa::controller::transfer_object(
                    e,
                    w,
                    pick(&ids, *i),
                    ControllerId::new(ctrls[*c as usize]),
                )
                .map(drop),
                Op::Destroy(i) => isa::obj::destroy(e, w, pick(&ids, *i)).map(drop),
                Op::Fetch(i) => isa::machine::fetch(e, w, pick(&ids, *i)).map(drop),
            };
            r.is_err()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn commit_equals_direct_and_abort_restores(ops in proptest::collection::vec(op(), 0..24)) {
        // Direct run (the clock is advanced by one so ids match the transactional run, whose
        // beginTx takes a timestamp).
        let mut direct = base();
        direct.clock += 1;
        let mut e = Execution::new(MachineId::new("m0"), ObjectId(100), Val::Unit, TraceMode::Off);
        let direct_errors = apply(&mut e, &mut direct, &ops);

        let mut tx = base();
        let mut e = Execution::new(MachineId::new("m0"), ObjectId(100), Val::Unit, TraceMode::Off);
        let t = isa::tx::begin(&mut e, &mut tx, Some(ControllerId::new("c1"))).expect("begin");
        let tx_errors = apply(&mut e, &mut tx, &ops);
        prop_assert_eq!(&direct_errors, &tx_errors);
        isa::tx::commit(&mut e, &mut tx, t).expect("commit");
        prop_assert_eq!(snapshot(&direct), snapshot(&tx));

        let mut aborted = base();
        let before = snapshot(&aborted);
        let mut e = Execution::new(MachineId::new("m0"), ObjectId(100), Val::Unit, TraceMode::Off);
        let t = isa::tx::begin(&mut e, &mut aborted, Some(ControllerId::new("c1"))).expect("begin");
        apply(&mut e, &mut aborted, &ops);
        isa::tx::abort(&mut e, &mut aborted, t).expect("abort");
        prop_assert_eq!(before, snapshot(&aborted));
    }
}
