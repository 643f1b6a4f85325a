//! The on-disk format of a durable world: redb tables and the records stored in them.
//!
//! Takes the VM's slots, pure entries and names; produces postcard-encoded records (and back).
//! The format has a version ([`FORMAT_VERSION`], kept in the `meta` table): a world written by
//! a newer `avmc` is refused with a clear error instead of being misread. Object ids are the
//! VM's ids (the clock at creation), stable across runs because the clock is stored too.

use avm_vm::ids::{ControllerId, MachineId, ObjectId};
use avm_vm::meta::ObjectMeta;
use avm_vm::store::{Slot, StoredObject};
use avm_vm::value::Val;
use redb::TableDefinition;
use serde::{Deserialize, Serialize};

/// The format this build writes and reads. Bump on any change to the records below.
pub const FORMAT_VERSION: u32 = 1;

/// `meta`: format version, clock, commit count.
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// `objects`: object id → [`ObjectRecord`].
pub const OBJECTS: TableDefinition<u64, &[u8]> = TableDefinition::new("objects");
/// `names`: published name → object id.
pub const NAMES: TableDefinition<&str, u64> = TableDefinition::new("names");
/// `pure`: registry name → [`PureRecord`].
pub const PURE: TableDefinition<&str, &[u8]> = TableDefinition::new("pure");
/// `code`: content hash → [`CodeRecord`].
pub const CODE: TableDefinition<u64, &[u8]> = TableDefinition::new("code");
/// `log`: commit number → [`LogRecord`].
pub const LOG: TableDefinition<u64, &[u8]> = TableDefinition::new("log");

/// Key of the format version in `meta`.
pub const KEY_FORMAT: &str = "format";
/// Key of the logical clock in `meta`.
pub const KEY_CLOCK: &str = "clock";
/// Key of the number of commits so far in `meta`.
pub const KEY_COMMITS: &str = "commits";

/// Everything stored about one object id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectRecord {
    /// The live object, `None` once destroyed (its state outlives it, as in the spec).
    pub object: Option<ObjectHead>,
    /// The id's state (`None` = never written).
    pub state: Option<Vec<Val>>,
    /// The slot's version (bumped on every committed change; transactions validate it).
    pub version: u64,
}

/// A live object's behaviour and metadata.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectHead {
    /// The behaviour's source name (`Bank`).
    pub behaviour: String,
    /// The content hash of the behaviour's code in the `code` table (0: code not stored).
    pub code: u64,
    /// The machine it lives on.
    pub machine: String,
    /// The controller that created it.
    pub creating_controller: Option<String>,
    /// The controller that owns it now.
    pub current_controller: Option<String>,
}

/// A pure-function registry entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PureRecord {
    /// The implementing function's name.
    pub implementation: String,
    /// 0 at registration, +1 per update.
    pub version: u64,
    /// The VM's content hash of the implementation.
    pub content_hash: u64,
}

/// The code of one behaviour, stored once per content hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeRecord {
    /// The behaviour's source name.
    pub name: String,
    /// Its interface (methods and their types), as the compiler prints it.
    pub interface: String,
    /// Its state fields' source names, in state order (empty if unknown).
    pub fields: Vec<String>,
    /// A Tape program (binary form) holding the behaviour and the functions it reaches.
    pub tape: Vec<u8>,
}

/// What the compiler knows about a behaviour that its Tape code does not say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BehaviourInfo {
    /// Its interface text (methods and their types).
    pub interface: String,
    /// Its state fields' source names.
    pub fields: Vec<String>,
}

/// One commit, for `avmc world PATH log`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogRecord {
    /// The clock after the commit.
    pub clock: u64,
    /// The run that made it (the program's file name).
    pub run: String,
    /// Ids whose slots it wrote.
    pub objects: Vec<u64>,
    /// Names it published.
    pub names: Vec<String>,
    /// Whether it changed the pure-function registry.
    pub pure: bool,
}

/// Encodes a record with postcard.
pub fn encode<T: Serialize>(record: &T) -> Result<Vec<u8>, postcard::Error> {
    postcard::to_stdvec(record)
}

/// Decodes a record with postcard.
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, postcard::Error> {
    postcard::from_bytes(bytes)
}

/// The record of a slot; `code_of` gives the source name and code hash of a VM behaviour name.
pub fn slot_record(slot: &Slot, code_of: impl Fn(&str) -> (String, u64)) -> ObjectRecord {
    ObjectRecord {
        object: slot.object.as_ref().map(|o| {
            let (behaviour, code) = code_of(&o.behaviour);
            ObjectHead {
                behaviour,
                code,
                machine: o.meta.machine.name().to_string(),
                creating_controller: o.meta.creating_controller.as_ref().map(|c| c.0.to_string()),
                current_controller: o.meta.current_controller.as_ref().map(|c| c.0.to_string()),
            }
        }),
        state: slot.state.clone(),
        version: slot.version,
    }
}

/// The slot of a record; `vm_name` gives the VM behaviour name for a (source name, code hash).
pub fn record_slot(id: ObjectId, rec: ObjectRecord, vm_name: impl Fn(&str, u64) -> String) -> Slot {
    Slot {
        object: rec.object.map(|h| StoredObject {
            behaviour: vm_name(&h.behaviour, h.code).into(),
            meta: ObjectMeta {
                object_id: id,
                machine: MachineId::new(&h.machine),
                creating_controller: h.creating_controller.as_deref().map(ControllerId::new),
                current_controller: h.current_controller.as_deref().map(ControllerId::new),
            },
        }),
        state: rec.state,
        version: rec.version,
    }
}

/// The VM behaviour name of stored code that differs from the running program's behaviour of
/// the same name: `Bank@00ab…` (16 hex digits of the code hash).
pub fn pinned_name(name: &str, code: u64) -> String {
    format!("{name}@{code:016x}")
}

/// A stable 64-bit content hash (FNV-1a) of bytes; used for behaviour code.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // 0 means "no code stored"; never produce it.
    h.max(1)
}
