//! Reading a world back: the listings of `avmc world PATH ...`, the integrity check, and the
//! JSON export / import.
//!
//! Takes an open [`WorldFile`]; produces plain data (rows, texts, problems) for the CLI to
//! print, and the export document ([`Export`], serde_json) that `import` reads back into an
//! empty world.

use super::format::{
    self, CODE, CodeRecord, KEY_CLOCK, KEY_COMMITS, LOG, LogRecord, META, NAMES, OBJECTS,
    ObjectRecord, PURE, PureRecord,
};
use super::{WorldError, WorldFile, corrupt, storage};
use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One row of `avmc world PATH objects`.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectRow {
    /// The object id.
    pub id: u64,
    /// Its record.
    pub record: ObjectRecord,
}

impl WorldFile {
    /// Every object record, by ascending id.
    pub fn objects(&self) -> Result<Vec<ObjectRow>, WorldError> {
        let read = self.db().begin_read().map_err(storage)?;
        let t = read.open_table(OBJECTS).map_err(storage)?;
        let mut rows = Vec::new();
        for row in t.iter().map_err(storage)? {
            let (k, v) = row.map_err(storage)?;
            let record: ObjectRecord = format::decode(v.value())
                .map_err(|e| corrupt(&format!("object #{}", k.value()), e))?;
            rows.push(ObjectRow {
                id: k.value(),
                record,
            });
        }
        Ok(rows)
    }

    /// The number of stored object ids (without decoding them).
    pub fn object_count(&self) -> Result<u64, WorldError> {
        let read = self.db().begin_read().map_err(storage)?;
        let t = read.open_table(OBJECTS).map_err(storage)?;
        t.len().map_err(storage)
    }

    /// One object's record.
    pub fn object(&self, id: u64) -> Result<ObjectRecord, WorldError> {
        let read = self.db().begin_read().map_err(storage)?;
        let t = read.open_table(OBJECTS).map_err(storage)?;
        let v = t
            .get(id)
            .map_err(storage)?
            .ok_or(WorldError::NoSuchObject { id })?;
        format::decode(v.value()).map_err(|e| corrupt(&format!("object #{id}"), e))
    }

    /// The code record stored under `code`, if any.
    pub fn code(&self, code: u64) -> Result<Option<CodeRecord>, WorldError> {
        let read = self.db().begin_read().map_err(storage)?;
        let t = read.open_table(CODE).map_err(storage)?;
        let Some(v) = t.get(code).map_err(storage)? else {
            return Ok(None);
        };
        format::decode(v.value())
            .map(Some)
            .map_err(|e| corrupt("code record", e))
    }

    /// Every published name with its object, sorted by name.
    pub fn names(&self) -> Result<Vec<(String, u64)>, WorldError> {
        let read = self.db().begin_read().map_err(storage)?;
        let t = read.open_table(NAMES).map_err(storage)?;
        let mut out = Vec::new();
        for row in t.iter().map_err(storage)? {
            let (k, v) = row.map_err(storage)?;
            out.push((k.value().to_string(), v.value()));
        }
        Ok(out)
    }

    /// The last `limit` commits, oldest first, with their numbers.
    pub fn log(&self, limit: usize) -> Result<Vec<(u64, LogRecord)>, WorldError> {
        let read = self.db().begin_read().map_err(storage)?;
        let t = read.open_table(LOG).map_err(storage)?;
        let mut out = Vec::new();
        for row in t.iter().map_err(storage)?.rev().take(limit) {
            let (k, v) = row.map_err(storage)?;
            let rec: LogRecord = format::decode(v.value()).map_err(|e| corrupt("log record", e))?;
            out.push((k.value(), rec));
        }
        out.reverse();
        Ok(out)
    }

    /// The stored clock and commit count.
    pub fn counters(&self) -> Result<(u64, u64), WorldError> {
        let read = self.db().begin_read().map_err(storage)?;
        let meta = read.open_table(META).map_err(storage)?;
        let get = |k: &str| -> Result<u64, WorldError> {
            Ok(meta.get(k).map_err(storage)?.map_or(0, |v| v.value()))
        };
        Ok((get(KEY_CLOCK)?, get(KEY_COMMITS)?))
    }

    /// The integrity check: redb's own (page checksums and tree structure), then ours (every
    /// record decodes, ids are below the clock, every live object's code is stored, every name
    /// names a stored object). Returns the problems found (empty = healthy).
    pub fn check(&mut self) -> Result<Vec<String>, WorldError> {
        let mut problems = Vec::new();
        if let Some(db) = std::rc::Rc::get_mut(&mut self.db) {
            match db.check_integrity() {
                Ok(true) => {}
                Ok(false) => problems.push("redb repaired the file on open".to_string()),
                Err(e) => problems.push(format!("redb integrity check failed: {e}")),
            }
        }
        let (clock, _) = self.counters()?;
        let code: BTreeMap<u64, CodeRecord> = self.code_records()?.into_iter().collect();
        let objects = match self.objects() {
            Ok(o) => o,
            Err(e) => {
                problems.push(e.to_string());
                Vec::new()
            }
        };
        let mut ids = std::collections::BTreeSet::new();
        for row in &objects {
            ids.insert(row.id);
            if row.id >= clock && row.id != u64::MAX {
                problems.push(format!(
                    "object #{} is not below the clock ({clock})",
                    row.id
                ));
            }
            if let Some(h) = &row.record.object
                && h.code != 0
                && !code.contains_key(&h.code)
            {
                problems.push(format!(
                    "object #{}: the code of `{}` ({:016x}) is missing",
                    row.id, h.behaviour, h.code
                ));
            }
        }
        for (name, id) in self.names()? {
            if !ids.contains(&id) {
                problems.push(format!("name `{name}` names #{id}, which is not stored"));
            }
        }
        for (hash, rec) in &code {
            if let Err(e) = avm_vm::tape::binary::decode(&rec.tape) {
                problems.push(format!("code {hash:016x} (`{}`): {e}", rec.name));
            }
        }
        Ok(problems)
    }

    /// The whole world as an export document.
    pub fn export(&self) -> Result<Export, WorldError> {
        let (clock, commits) = self.counters()?;
        let read = self.db().begin_read().map_err(storage)?;
        let t = read.open_table(PURE).map_err(storage)?;
        let mut pure = Vec::new();
        for row in t.iter().map_err(storage)? {
            let (k, v) = row.map_err(storage)?;
            let rec: PureRecord = format::decode(v.value()).map_err(|e| corrupt("pure", e))?;
            pure.push((k.value().to_string(), rec));
        }
        Ok(Export {
            format: format::FORMAT_VERSION,
            clock,
            commits,
            objects: self
                .objects()?
                .into_iter()
                .map(|r| (r.id, r.record))
                .collect(),
            names: self.names()?,
            pure,
            code: self
                .code_records()?
                .into_iter()
                .map(|(h, rec)| ExportCode {
                    hash: format!("{h:016x}"),
                    name: rec.name,
                    interface: rec.interface,
                    fields: rec.fields,
                    tape: hex(&rec.tape),
                })
                .collect(),
        })
    }

    /// Reads an export into this world, which must hold no objects, in one write transaction.
    pub fn import(&self, export: &Export) -> Result<(), WorldError> {
        if export.format > format::FORMAT_VERSION {
            return Err(WorldError::NewerFormat {
                found: u64::from(export.format),
                supported: format::FORMAT_VERSION,
            });
        }
        if self.object_count()? > 0 {
            return Err(WorldError::NotEmpty {
                path: self.path().to_string(),
            });
        }
        let w = self.db().begin_write().map_err(storage)?;
        {
            let mut meta = w.open_table(META).map_err(storage)?;
            meta.insert(KEY_CLOCK, export.clock).map_err(storage)?;
            meta.insert(KEY_COMMITS, export.commits).map_err(storage)?;
            let mut objects = w.open_table(OBJECTS).map_err(storage)?;
            for (id, rec) in &export.objects {
                let bytes = format::encode(rec).map_err(|e| corrupt("object", e))?;
                objects.insert(*id, bytes.as_slice()).map_err(storage)?;
            }
            let mut names = w.open_table(NAMES).map_err(storage)?;
            for (n, id) in &export.names {
                names.insert(n.as_str(), *id).map_err(storage)?;
            }
            let mut pure = w.open_table(PURE).map_err(storage)?;
            for (n, rec) in &export.pure {
                let bytes = format::encode(rec).map_err(|e| corrupt("pure", e))?;
                pure.insert(n.as_str(), bytes.as_slice()).map_err(storage)?;
            }
            let mut code = w.open_table(CODE).map_err(storage)?;
            for c in &export.code {
                let hash = u64::from_str_radix(&c.hash, 16).map_err(|e| WorldError::BadExport {
                    message: format!("code hash `{}`: {e}", c.hash),
                })?;
                let tape = unhex(&c.tape).ok_or_else(|| WorldError::BadExport {
                    message: format!("code `{}`: the tape is not hexadecimal", c.hash),
                })?;
                let rec = CodeRecord {
                    name: c.name.clone(),
                    interface: c.interface.clone(),
                    fields: c.fields.clone(),
                    tape,
                };
                let bytes = format::encode(&rec).map_err(|e| corrupt("code", e))?;
                code.insert(hash, bytes.as_slice()).map_err(storage)?;
            }
        }
        w.commit().map_err(storage)
    }
}

/// A world as JSON (`avmc world PATH export --json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Export {
    /// The world format version.
    pub format: u32,
    /// The logical clock.
    pub clock: u64,
    /// The number of commits so far.
    pub commits: u64,
    /// Object records by id.
    pub objects: Vec<(u64, ObjectRecord)>,
    /// Published names.
    pub names: Vec<(String, u64)>,
    /// The pure-function registry.
    pub pure: Vec<(String, PureRecord)>,
    /// Behaviour code by hash.
    pub code: Vec<ExportCode>,
}

/// One behaviour's code in an export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportCode {
    /// The content hash, 16 hex digits.
    pub hash: String,
    /// The behaviour's source name.
    pub name: String,
    /// Its interface text.
    pub interface: String,
    /// Its state fields' source names.
    pub fields: Vec<String>,
    /// The code unit's binary Tape form, in hexadecimal.
    pub tape: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}
