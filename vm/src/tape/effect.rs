//! AVM instructions as Tape effect kinds.
//!
//! Takes nothing; produces [`EffectKind`], one variant per instruction of the ten AVM
//! instruction families (`/work/shared/spec/isa.md`), together with each instruction's
//! [`Family`], [`Safety`] index, register arity, function operand and text mnemonic.
//! The effect ops in [`super::op::Op`] carry an `EffectKind`; the verifier and the
//! text format read the tables here.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The safety index of an AVM instruction (spec `Safety`), also used for Tape functions:
/// only an [`Safety::Unsafe`] function may contain an unsafe effect op. The crate has one
/// safety type, `crate::isa::Safety`, shared with the instruction semantics.
pub use crate::isa::Safety;

impl Safety {
    /// The keyword used in the text format: `safe` or `unsafe`.
    pub fn keyword(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Unsafe => "unsafe",
        }
    }
}

/// The ten AVM instruction families (isa.md §2–§11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Family {
    /// Object lifecycle and messaging (`ObjInstruction`).
    Obj,
    /// Reading the current execution context (`IntrospectInstruction`).
    Introspect,
    /// Reading other objects' metadata (`ReflectInstruction`, all unsafe).
    Reflect,
    /// Turning context / transaction / constraint state into values (`ReifyInstruction`).
    Reify,
    /// Transactions (`TxInstruction`).
    Tx,
    /// The pure-function registry (`PureInstruction`).
    Pure,
    /// Machines and object placement (`MachineInstruction`).
    Machine,
    /// Controllers and ownership (`ControllerInstruction`).
    Controller,
    /// Finite-domain constraints (`FDInstruction`).
    Fd,
    /// Nondeterministic choice (`NondetInstruction`).
    Nondet,
}

/// What kind of immediate function operand an effect takes (besides its registers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FunctionOperand {
    /// The effect takes registers only (encoded as [`super::op::Op::Effect`]).
    None,
    /// A pure Tape function used as a predicate, with the given number of parameters
    /// (`scryMeta`: 1, the metadata; `scryDeep`: 2, behaviour and metadata).
    Predicate {
        /// The predicate's parameter count.
        params: u16,
    },
    /// A pure Tape function installed in the pure-function registry
    /// (`registerPure`, `updatePure`); its arity is not fixed.
    PureImplementation,
}

/// One AVM instruction. Operands are registers (see [`EffectKind::arity`]); the ones with a
/// function operand ([`EffectKind::function_operand`]) take a Tape function index as well.
///
/// Argument registers are listed in the order of the spec's arguments; every effect writes
/// its result (unit for `⊤` results) to a destination register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum EffectKind {
    /// `createObj(name: String, controller: Maybe ControllerId) -> ObjectId`. Safe.
    CreateObj,
    /// `destroyObj(oid: ObjectId) -> Bool`. Safe.
    DestroyObj,
    /// `call(oid: ObjectId, input: Val) -> Maybe Val`. Safe.
    Call,
    /// `receive() -> Maybe Val`. Safe.
    Receive,
    /// `self() -> ObjectId`. Safe.
    SelfId,
    /// `input() -> Val`. Safe.
    Input,
    /// `getCurrentMachine() -> MachineId`. Safe.
    GetCurrentMachine,
    /// `getState() -> List Val`. Safe.
    GetState,
    /// `setState(state: List Val) -> ()`. Safe.
    SetState,
    /// `sender() -> Maybe ObjectId`. Safe.
    Sender,
    /// `reflect(oid: ObjectId) -> Maybe ObjectMeta`. Unsafe.
    Reflect,
    /// `scryMeta(predicate) -> List (ObjectId × ObjectMeta)`; the predicate is a pure Tape
    /// function of one parameter. Unsafe.
    ScryMeta,
    /// `scryDeep(predicate) -> List RuntimeObjectWithId`; the predicate is a pure Tape
    /// function of two parameters (behaviour, metadata). Unsafe.
    ScryDeep,
    /// `reifyContext() -> ReifiedContext`. Safe.
    ReifyContext,
    /// `reifyTxState() -> Maybe ReifiedTxState`. Unsafe.
    ReifyTxState,
    /// `reifyConstraints() -> ReifiedConstraints`. Unsafe.
    ReifyConstraints,
    /// `beginTx(controller: Maybe ControllerId) -> TxId`. Safe.
    BeginTx,
    /// `commitTx(tx: TxId) -> Bool`. Safe.
    CommitTx,
    /// `abortTx(tx: TxId) -> ()`. Safe.
    AbortTx,
    /// Extension (not a spec instruction): `commitOrAbort(tx: TxId) -> Bool`, a commit whose
    /// read-set conflict aborts the transaction and yields `false` instead of failing (the
    /// compiled form of `try atomic`). Safe.
    CommitOrAbort,
    /// `callPure(name: String, args: List Val) -> Maybe Val`. Safe.
    CallPure,
    /// `registerPure(name: String, function) -> Bool`; the function is a pure Tape function.
    /// Unsafe.
    RegisterPure,
    /// `updatePure(name: String, function) -> Bool`; the function is a pure Tape function.
    /// Safe.
    UpdatePure,
    /// `getMachine(oid: ObjectId) -> Maybe MachineId`. Safe.
    GetMachine,
    /// `teleport(machine: MachineId) -> Bool`. Safe.
    Teleport,
    /// `moveObject(oid: ObjectId, machine: MachineId) -> Bool`. Safe.
    MoveObject,
    /// `fetch(oid: ObjectId) -> Bool`. Safe.
    Fetch,
    /// `getCurrentController() -> Maybe ControllerId`. Safe.
    GetCurrentController,
    /// `getController(oid: ObjectId) -> Maybe ControllerId`. Safe.
    GetController,
    /// `transferObject(oid: ObjectId, controller: ControllerId) -> Bool`. Safe.
    TransferObject,
    /// `freeze(oid: ObjectId) -> Maybe Bool`. Safe.
    Freeze,
    /// `newVar(domain: List Val) -> VarId`. Safe.
    NewVar,
    /// `narrow(var: VarId, domain: List Val) -> Bool`. Safe.
    Narrow,
    /// `post(constraint: Constraint) -> Bool`. Safe.
    Post,
    /// `label(var: VarId) -> Val`. Safe.
    Label,
    /// `choose(options: List Val) -> Val`. Safe.
    Choose,
    /// `require(condition: Bool) -> ()`. Safe.
    Require,
    /// Extension (not a spec instruction): `publish(name: String, oid: ObjectId) -> ()`, names
    /// an object in the world (buffered inside a transaction). Safe.
    Publish,
    /// Extension (not a spec instruction): `lookup(name: String, interface: Maybe String) ->
    /// Maybe ObjectId`, the live object published under `name`; with `just text`, the object's
    /// behaviour must have that interface (a run error otherwise). Safe.
    Lookup,
}

impl EffectKind {
    /// Every effect kind, in declaration order.
    pub const ALL: [EffectKind; 39] = [
        EffectKind::CreateObj,
        EffectKind::DestroyObj,
        EffectKind::Call,
        EffectKind::Receive,
        EffectKind::SelfId,
        EffectKind::Input,
        EffectKind::GetCurrentMachine,
        EffectKind::GetState,
        EffectKind::SetState,
        EffectKind::Sender,
        EffectKind::Reflect,
        EffectKind::ScryMeta,
        EffectKind::ScryDeep,
        EffectKind::ReifyContext,
        EffectKind::ReifyTxState,
        EffectKind::ReifyConstraints,
        EffectKind::BeginTx,
        EffectKind::CommitTx,
        EffectKind::AbortTx,
        EffectKind::CommitOrAbort,
        EffectKind::CallPure,
        EffectKind::RegisterPure,
        EffectKind::UpdatePure,
        EffectKind::GetMachine,
        EffectKind::Teleport,
        EffectKind::MoveObject,
        EffectKind::Fetch,
        EffectKind::GetCurrentController,
        EffectKind::GetController,
        EffectKind::TransferObject,
        EffectKind::Freeze,
        EffectKind::NewVar,
        EffectKind::Narrow,
        EffectKind::Post,
        EffectKind::Label,
        EffectKind::Choose,
        EffectKind::Require,
        EffectKind::Publish,
        EffectKind::Lookup,
    ];

    /// Whether the instruction is one of the spec's (false for the extension
    /// [`EffectKind::CommitOrAbort`]).
    pub fn is_spec(self) -> bool {
        !matches!(
            self,
            EffectKind::CommitOrAbort | EffectKind::Publish | EffectKind::Lookup
        )
    }

    /// The instruction's family.
    pub fn family(self) -> Family {
        use EffectKind::*;
        match self {
            CreateObj | DestroyObj | Call | Receive | Publish | Lookup => Family::Obj,
            SelfId | Input | GetCurrentMachine | GetState | SetState | Sender => Family::Introspect,
            Reflect | ScryMeta | ScryDeep => Family::Reflect,
            ReifyContext | ReifyTxState | ReifyConstraints => Family::Reify,
            BeginTx | CommitTx | AbortTx | CommitOrAbort => Family::Tx,
            CallPure | RegisterPure | UpdatePure => Family::Pure,
            GetMachine | Teleport | MoveObject | Fetch => Family::Machine,
            GetCurrentController | GetController | TransferObject | Freeze => Family::Controller,
            NewVar | Narrow | Post | Label => Family::Fd,
            Choose | Require => Family::Nondet,
        }
    }

    /// The instruction's safety index as given by the spec.
    pub fn safety(self) -> Safety {
        use EffectKind::*;
        match self {
            Reflect | ScryMeta | ScryDeep | ReifyTxState | ReifyConstraints | RegisterPure => {
                Safety::Unsafe
            }
            _ => Safety::Safe,
        }
    }

    /// How many argument registers the instruction reads (its function operand not counted).
    pub fn arity(self) -> u16 {
        use EffectKind::*;
        match self {
            Receive | SelfId | Input | GetCurrentMachine | GetState | Sender | ScryMeta
            | ScryDeep | ReifyContext | ReifyTxState | ReifyConstraints | GetCurrentController => 0,
            DestroyObj | SetState | Reflect | BeginTx | CommitTx | AbortTx | CommitOrAbort
            | RegisterPure | UpdatePure | GetMachine | Teleport | Fetch | GetController
            | Freeze | NewVar | Post | Label | Choose | Require => 1,
            CreateObj | Call | CallPure | MoveObject | TransferObject | Narrow | Publish
            | Lookup => 2,
        }
    }

    /// The immediate function operand the instruction takes, if any.
    pub fn function_operand(self) -> FunctionOperand {
        match self {
            EffectKind::ScryMeta => FunctionOperand::Predicate { params: 1 },
            EffectKind::ScryDeep => FunctionOperand::Predicate { params: 2 },
            EffectKind::RegisterPure | EffectKind::UpdatePure => {
                FunctionOperand::PureImplementation
            }
            _ => FunctionOperand::None,
        }
    }

    /// The spec's instruction name (`createObj`, `scryMeta`, ...). The text format writes
    /// effects as `fx.<name>`.
    pub fn name(self) -> &'static str {
        use EffectKind::*;
        match self {
            CreateObj => "createObj",
            DestroyObj => "destroyObj",
            Call => "call",
            Receive => "receive",
            SelfId => "self",
            Input => "input",
            GetCurrentMachine => "getCurrentMachine",
            GetState => "getState",
            SetState => "setState",
            Sender => "sender",
            Reflect => "reflect",
            ScryMeta => "scryMeta",
            ScryDeep => "scryDeep",
            ReifyContext => "reifyContext",
            ReifyTxState => "reifyTxState",
            ReifyConstraints => "reifyConstraints",
            BeginTx => "beginTx",
            CommitTx => "commitTx",
            AbortTx => "abortTx",
            CommitOrAbort => "commitOrAbort",
            CallPure => "callPure",
            RegisterPure => "registerPure",
            UpdatePure => "updatePure",
            GetMachine => "getMachine",
            Teleport => "teleport",
            MoveObject => "moveObject",
            Fetch => "fetch",
            GetCurrentController => "getCurrentController",
            GetController => "getController",
            TransferObject => "transferObject",
            Freeze => "freeze",
            NewVar => "newVar",
            Narrow => "narrow",
            Post => "post",
            Label => "label",
            Choose => "choose",
            Require => "require",
            Publish => "publish",
            Lookup => "lookup",
        }
    }

    /// The effect kind with the given spec name, if any.
    pub fn from_name(name: &str) -> Option<EffectKind> {
        EffectKind::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

impl fmt::Display for EffectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for kind in EffectKind::ALL {
            assert_eq!(EffectKind::from_name(kind.name()), Some(kind));
        }
        let mut names: Vec<_> = EffectKind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EffectKind::ALL.len());
    }

    #[test]
    fn unsafe_set_matches_the_spec() {
        let unsafe_kinds: Vec<_> = EffectKind::ALL
            .into_iter()
            .filter(|k| k.safety() == Safety::Unsafe)
            .map(EffectKind::name)
            .collect();
        assert_eq!(
            unsafe_kinds,
            [
                "reflect",
                "scryMeta",
                "scryDeep",
                "reifyTxState",
                "reifyConstraints",
                "registerPure"
            ]
        );
    }

    #[test]
    fn every_family_is_covered() {
        let mut families: Vec<_> = EffectKind::ALL.iter().map(|k| k.family()).collect();
        families.sort_by_key(|f| *f as u8);
        families.dedup();
        assert_eq!(families.len(), 10);
    }
}
