//! The VM's `Backing` on a redb world: loads slots and names on first use, writes each commit.
//!
//! Takes the open database and the running program's behaviour hashes; produces the slots the
//! VM asks for (behaviour names mapped to the running program's or to pinned ones) and, per
//! commit, one redb write transaction holding the changed slots, published names, the pure
//! registry when it changed, the clock and a log record.

use super::format::{
    self, KEY_CLOCK, KEY_COMMITS, LOG, LogRecord, META, NAMES, OBJECTS, PURE, PureRecord,
};
use avm_vm::backing::{Backing, BackingFault, Commit};
use avm_vm::ids::ObjectId;
use avm_vm::store::Slot;
use redb::{Database, ReadableDatabase, ReadableTable};
use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt::Display;
use std::rc::Rc;

/// The durable store below a world (see the module documentation).
#[derive(Debug)]
pub struct DurableBacking {
    db: Rc<Database>,
    /// The running program's behaviours: source name → code hash.
    current: FxHashMap<String, u64>,
    /// The run's name for the log.
    run: String,
}

fn fault(e: impl Display) -> BackingFault {
    BackingFault::new(e.to_string())
}

impl DurableBacking {
    /// A backing on `db` for a program whose behaviours have the code hashes `current`.
    pub fn new(db: Rc<Database>, current: FxHashMap<String, u64>, run: String) -> Self {
        DurableBacking { db, current, run }
    }

    /// Source name and code hash of a VM behaviour name (pinned names carry their hash).
    fn code_of(&self, vm_name: &str) -> (String, u64) {
        if let Some((name, hex)) = vm_name.rsplit_once('@')
            && let Ok(code) = u64::from_str_radix(hex, 16)
        {
            return (name.to_string(), code);
        }
        (
            vm_name.to_string(),
            self.current.get(vm_name).copied().unwrap_or(0),
        )
    }

    /// The VM behaviour name of stored (source name, code hash).
    fn vm_name(&self, name: &str, code: u64) -> String {
        if code == 0 || self.current.get(name) == Some(&code) {
            name.to_string()
        } else {
            format::pinned_name(name, code)
        }
    }
}

impl Backing for DurableBacking {
    fn load(&mut self, id: ObjectId) -> Result<Option<Slot>, BackingFault> {
        let read = self.db.begin_read().map_err(fault)?;
        let t = read.open_table(OBJECTS).map_err(fault)?;
        let Some(v) = t.get(id.0).map_err(fault)? else {
            return Ok(None);
        };
        let rec: format::ObjectRecord = format::decode(v.value())
            .map_err(|e| BackingFault::new(format!("object #{}: {e}", id.0)))?;
        Ok(Some(format::record_slot(id, rec, |n, c| {
            self.vm_name(n, c)
        })))
    }

    fn ids(&mut self) -> Result<Vec<ObjectId>, BackingFault> {
        let read = self.db.begin_read().map_err(fault)?;
        let t = read.open_table(OBJECTS).map_err(fault)?;
        let mut ids = Vec::new();
        for row in t.iter().map_err(fault)? {
            let (k, _) = row.map_err(fault)?;
            ids.push(ObjectId(k.value()));
        }
        Ok(ids)
    }

    fn name(&mut self, name: &str) -> Result<Option<ObjectId>, BackingFault> {
        let read = self.db.begin_read().map_err(fault)?;
        let t = read.open_table(NAMES).map_err(fault)?;
        Ok(t.get(name).map_err(fault)?.map(|v| ObjectId(v.value())))
    }

    fn commit(&mut self, c: Commit<'_>) -> Result<(), BackingFault> {
        let w = self.db.begin_write().map_err(fault)?;
        let mut written: Vec<u64> = Vec::new();
        {
            let mut objects = w.open_table(OBJECTS).map_err(fault)?;
            let mut seen: FxHashSet<ObjectId> = FxHashSet::default();
            for id in c.changed {
                if !seen.insert(*id) {
                    continue;
                }
                match c.store.slot(*id) {
                    Some(slot) => {
                        let rec = format::slot_record(slot, |n| self.code_of(n));
                        let bytes = format::encode(&rec).map_err(fault)?;
                        objects.insert(id.0, bytes.as_slice()).map_err(fault)?;
                        written.push(id.0);
                    }
                    None => {
                        objects.remove(id.0).map_err(fault)?;
                    }
                }
            }
        }
        if !c.names_changed.is_empty() {
            let mut names = w.open_table(NAMES).map_err(fault)?;
            for n in c.names_changed {
                if let Some(id) = c.names.get(n) {
                    names.insert(n.as_ref(), id.0).map_err(fault)?;
                }
            }
        }
        if c.pure_changed {
            let mut pure = w.open_table(PURE).map_err(fault)?;
            for name in c.pure.names() {
                if let Some(e) = c.pure.get(&name) {
                    let rec = PureRecord {
                        implementation: e.implementation.to_string(),
                        version: e.version,
                        content_hash: e.content_hash,
                    };
                    let bytes = format::encode(&rec).map_err(fault)?;
                    pure.insert(name.as_ref(), bytes.as_slice())
                        .map_err(fault)?;
                }
            }
        }
        {
            let mut meta = w.open_table(META).map_err(fault)?;
            // Ids are taken from the clock before it ticks: the next run starts past every id
            // this commit can hold.
            let clock = c.clock.saturating_add(1);
            meta.insert(KEY_CLOCK, clock).map_err(fault)?;
            let n = meta
                .get(KEY_COMMITS)
                .map_err(fault)?
                .map_or(0, |v| v.value())
                + 1;
            meta.insert(KEY_COMMITS, n).map_err(fault)?;
            let mut log = w.open_table(LOG).map_err(fault)?;
            let rec = LogRecord {
                clock,
                run: self.run.clone(),
                objects: written,
                names: c.names_changed.iter().map(|n| n.to_string()).collect(),
                pure: c.pure_changed,
            };
            let bytes = format::encode(&rec).map_err(fault)?;
            log.insert(n, bytes.as_slice()).map_err(fault)?;
        }
        w.commit().map_err(fault)?;
        Ok(())
    }
}
