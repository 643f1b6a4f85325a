//! Object metadata (`ObjectMeta`) and the reified spec records.
//!
//! Takes ids and produces the extrinsic metadata record of an object (its machine, creating and
//! current controller) plus the conversions of the spec's reified records (`ObjectMeta`,
//! `ReifiedContext`, `ReifiedTxState`, `ReifiedConstraints`) into record `Val`s, which is how
//! programs see them.

use crate::ids::{ControllerId, MachineId, ObjectId, TxId};
use crate::value::Val;

/// The spec's `ObjectMeta` (`mkMeta`): where an object lives and who controls it.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectMeta {
    /// The object's id.
    pub object_id: ObjectId,
    /// The machine the object lives on.
    pub machine: MachineId,
    /// The controller that created it, if any.
    pub creating_controller: Option<ControllerId>,
    /// The controller that owns it now, if any.
    pub current_controller: Option<ControllerId>,
}

impl ObjectMeta {
    /// The spec's `initMeta oid m c = mkMeta oid m c c`.
    pub fn new(object_id: ObjectId, machine: MachineId, controller: Option<ControllerId>) -> Self {
        ObjectMeta {
            object_id,
            machine,
            creating_controller: controller.clone(),
            current_controller: controller,
        }
    }

    /// The record value `ObjectMeta { objectId, machine, creatingController, currentController }`.
    pub fn to_val(&self) -> Val {
        Val::record(
            "ObjectMeta",
            vec![
                ("objectId", Val::Object(self.object_id)),
                ("machine", Val::Machine(self.machine.clone())),
                (
                    "creatingController",
                    opt_controller(&self.creating_controller),
                ),
                (
                    "currentController",
                    opt_controller(&self.current_controller),
                ),
            ],
        )
    }
}

fn opt_controller(c: &Option<ControllerId>) -> Val {
    Val::from_option(c.clone().map(Val::Controller))
}

/// The spec's `ReifiedContext`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReifiedContext {
    /// `contextSelf`.
    pub self_id: ObjectId,
    /// `contextInput`.
    pub input: Val,
    /// `contextSender`.
    pub sender: Option<ObjectId>,
    /// `contextMachine`.
    pub machine: MachineId,
    /// `contextController` (`"ambient"` when there is no transaction controller).
    pub controller: ControllerId,
}

impl ReifiedContext {
    /// The record value `ReifiedContext { self, input, sender, machine, controller }`.
    pub fn to_val(&self) -> Val {
        Val::record(
            "ReifiedContext",
            vec![
                ("self", Val::Object(self.self_id)),
                ("input", self.input.clone()),
                ("sender", Val::from_option(self.sender.map(Val::Object))),
                ("machine", Val::Machine(self.machine.clone())),
                ("controller", Val::Controller(self.controller.clone())),
            ],
        )
    }
}

/// The spec's `ReifiedTxState`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReifiedTxState {
    /// `txStateId`.
    pub tx: Option<TxId>,
    /// `txStateWrites`: the calls made in the transaction (callee, input), in order.
    pub writes: Vec<(ObjectId, Val)>,
    /// `txStateCreates`: ids of pending creates, in order.
    pub creates: Vec<ObjectId>,
    /// `txStateDestroys`: pending destroys, in order.
    pub destroys: Vec<ObjectId>,
    /// `txStateObserved`: the spec's read set, duplicate-free, in insertion order.
    pub observed: Vec<ObjectId>,
}

impl ReifiedTxState {
    /// The record value `ReifiedTxState { id, writes, creates, destroys, observed }`.
    pub fn to_val(&self) -> Val {
        let ids = |xs: &[ObjectId]| Val::list(xs.iter().map(|o| Val::Object(*o)).collect());
        Val::record(
            "ReifiedTxState",
            vec![
                ("id", Val::from_option(self.tx.map(Val::Tx))),
                (
                    "writes",
                    Val::list(
                        self.writes
                            .iter()
                            .map(|(o, v)| Val::tuple(vec![Val::Object(*o), v.clone()]))
                            .collect(),
                    ),
                ),
                ("creates", ids(&self.creates)),
                ("destroys", ids(&self.destroys)),
                ("observed", ids(&self.observed)),
            ],
        )
    }
}

/// The spec's `ReifiedConstraints`: (variable id, current domain) pairs and a constraint count.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ReifiedConstraints {
    /// `constraintVars`.
    pub vars: Vec<(u64, Vec<Val>)>,
    /// `constraintCount`.
    pub count: u64,
}

impl ReifiedConstraints {
    /// The record value `ReifiedConstraints { vars, count }`.
    pub fn to_val(&self) -> Val {
        Val::record(
            "ReifiedConstraints",
            vec![
                (
                    "vars",
                    Val::list(
                        self.vars
                            .iter()
                            .map(|(v, d)| {
                                Val::tuple(vec![
                                    Val::Int(i64::try_from(*v).unwrap_or(i64::MAX)),
                                    Val::list(d.clone()),
                                ])
                            })
                            .collect(),
                    ),
                ),
                (
                    "count",
                    Val::Int(i64::try_from(self.count).unwrap_or(i64::MAX)),
                ),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_to_val() {
        let m = ObjectMeta::new(
            ObjectId(0),
            MachineId::new("m0"),
            Some(ControllerId::new("c1")),
        );
        assert_eq!(
            m.to_val().to_string(),
            "ObjectMeta { objectId: #0, machine: machine(\"m0\"), creatingController: some(controller(\"c1\")), currentController: some(controller(\"c1\")) }"
        );
    }
}
