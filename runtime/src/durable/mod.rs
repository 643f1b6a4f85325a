//! A durable world in one redb file.
//!
//! Takes a path (or, for fault-injection tests, a redb `StorageBackend`) and a compiled Tape
//! program; produces a VM `World` whose committed changes are written to the file, and the
//! program to run (the given one plus the stored code of older behaviour versions, under pinned
//! names). Opening reads only the format version, the clock, the pure registry and the code
//! table; objects and names are read on first use ([`backing::DurableBacking`]). Each commit is
//! one redb write transaction with redb's default durability (fsync before `commit` returns),
//! so a run that fails or is killed leaves the world as of its last commit. redb holds a lock on
//! the file while it is open: a second writer gets [`WorldError::Busy`].

pub mod backing;
pub mod code;
pub mod fault;
pub mod format;
pub mod inspect;

use avm_vm::cluster::InProcessCluster;
use avm_vm::pure::PureRegistry;
use avm_vm::tape::program::Program;
use avm_vm::world::World;
use format::{
    BehaviourInfo, CODE, CodeRecord, FORMAT_VERSION, KEY_CLOCK, KEY_FORMAT, META, PURE, PureRecord,
};
use redb::{Database, ReadableDatabase, ReadableTable, StorageBackend};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::rc::Rc;

pub use backing::DurableBacking;

/// Why a world cannot be opened, read or written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorldError {
    /// Another process has the world open for writing.
    Busy {
        /// The world's path.
        path: String,
    },
    /// The file was written by a newer format than this build reads.
    NewerFormat {
        /// The file's format version.
        found: u64,
        /// The newest this build reads.
        supported: u32,
    },
    /// The file is not a world (not a redb database, or a database without our tables).
    NotAWorld {
        /// The path.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A command that reads a world was given a path where none exists.
    Missing {
        /// The path.
        path: String,
    },
    /// The storage failed (I/O error, full disk, a write refused).
    Storage {
        /// What failed.
        message: String,
    },
    /// A stored record does not decode, or records contradict each other.
    Corrupt {
        /// What is wrong.
        message: String,
    },
    /// `import` into a world that already holds objects.
    NotEmpty {
        /// The path.
        path: String,
    },
    /// An export file that cannot be read as one.
    BadExport {
        /// What is wrong.
        message: String,
    },
    /// `show` of an id the world does not hold.
    NoSuchObject {
        /// The id asked for.
        id: u64,
    },
}

impl fmt::Display for WorldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorldError::Busy { path } => {
                write!(f, "the world `{path}` is open in another process")
            }
            WorldError::NewerFormat { found, supported } => write!(
                f,
                "the world was written in format {found}; this avmc reads formats up to {supported}"
            ),
            WorldError::NotAWorld { path, reason } => {
                write!(f, "`{path}` is not an AVM world: {reason}")
            }
            WorldError::Missing { path } => write!(f, "no world at `{path}`"),
            WorldError::Storage { message } => write!(f, "the world's storage failed: {message}"),
            WorldError::Corrupt { message } => write!(f, "the world is inconsistent: {message}"),
            WorldError::NotEmpty { path } => {
                write!(f, "the world `{path}` already holds objects")
            }
            WorldError::BadExport { message } => write!(f, "not a world export: {message}"),
            WorldError::NoSuchObject { id } => write!(f, "the world holds no object #{id}"),
        }
    }
}

impl std::error::Error for WorldError {}

/// A storage error of redb, in words.
pub(crate) fn storage(e: impl fmt::Display) -> WorldError {
    WorldError::Storage {
        message: e.to_string(),
    }
}

/// A record that does not decode.
pub(crate) fn corrupt(what: &str, e: impl fmt::Display) -> WorldError {
    WorldError::Corrupt {
        message: format!("{what}: {e}"),
    }
}

/// An open world file.
#[derive(Debug)]
pub struct WorldFile {
    db: Rc<Database>,
    path: String,
}

/// Whether opening may create a new world.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Create {
    /// Create the file when it does not exist (`avmc run --world`).
    IfMissing,
    /// The world must exist (`avmc world PATH ...`).
    No,
}

/// What [`WorldFile::prepare`] produces for one run.
#[derive(Debug)]
pub struct Prepared {
    /// The program to run: the given one plus pinned older behaviour code.
    pub program: Program,
    /// The world on the file.
    pub world: World,
    /// Behaviour interfaces by VM behaviour name (the given ones and the pinned ones).
    pub interfaces: FxHashMap<Rc<str>, Rc<str>>,
}

impl WorldFile {
    /// Opens the world at `path` (creating it if `create` allows).
    pub fn open(path: &Path, create: Create) -> Result<WorldFile, WorldError> {
        let shown = path.display().to_string();
        if create == Create::No && !path.exists() {
            return Err(WorldError::Missing { path: shown });
        }
        if path.is_dir() {
            return Err(WorldError::NotAWorld {
                path: shown,
                reason: "it is a directory".into(),
            });
        }
        let db = Database::create(path).map_err(|e| open_error(&shown, e))?;
        WorldFile::init(db, shown)
    }

    /// Opens (or creates) a world on a custom storage backend (fault-injection tests).
    pub fn open_with_backend(backend: impl StorageBackend) -> Result<WorldFile, WorldError> {
        let db = Database::builder()
            .create_with_backend(backend)
            .map_err(|e| open_error("<backend>", e))?;
        WorldFile::init(db, "<backend>".into())
    }

    fn init(db: Database, path: String) -> Result<WorldFile, WorldError> {
        // Read the format first: a newer world is refused before anything is written.
        let found = {
            let read = db.begin_read().map_err(storage)?;
            match read.open_table(META) {
                Ok(t) => t.get(KEY_FORMAT).map_err(storage)?.map(|v| v.value()),
                Err(redb::TableError::TableDoesNotExist(_)) => None,
                Err(e) => return Err(storage(e)),
            }
        };
        match found {
            Some(v) if v > u64::from(FORMAT_VERSION) => {
                return Err(WorldError::NewerFormat {
                    found: v,
                    supported: FORMAT_VERSION,
                });
            }
            Some(_) => {}
            None => {
                let w = db.begin_write().map_err(storage)?;
                {
                    let mut meta = w.open_table(META).map_err(storage)?;
                    meta.insert(KEY_FORMAT, u64::from(FORMAT_VERSION))
                        .map_err(storage)?;
                    meta.insert(KEY_CLOCK, 0).map_err(storage)?;
                    w.open_table(format::OBJECTS).map_err(storage)?;
                    w.open_table(format::NAMES).map_err(storage)?;
                    w.open_table(PURE).map_err(storage)?;
                    w.open_table(CODE).map_err(storage)?;
                    w.open_table(format::LOG).map_err(storage)?;
                }
                w.commit().map_err(storage)?;
            }
        }
        Ok(WorldFile {
            db: Rc::new(db),
            path,
        })
    }

    /// The path the world was opened at.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The redb database (for inspection).
    pub(crate) fn db(&self) -> &Database {
        &self.db
    }

    /// Gets a run ready: stores the code of `program`'s behaviours (by content hash), merges
    /// the stored code of older versions into the program under pinned names, and builds the
    /// world (clock and pure registry read now, objects and names on first use). `info`
    /// gives each behaviour's interface and field names; `run` names the run in the log.
    pub fn prepare(
        &self,
        program: &Program,
        info: &BTreeMap<String, BehaviourInfo>,
        run: &str,
    ) -> Result<Prepared, WorldError> {
        let mut current: FxHashMap<String, u64> = FxHashMap::default();
        let mut units: Vec<(u64, CodeRecord)> = Vec::new();
        for b in &program.behaviours {
            let unit = code::extract(program, b);
            let Some((hash, tape)) = code::unit_hash(&unit) else {
                continue;
            };
            current.insert(b.name.clone(), hash);
            let known = info.get(&b.name).cloned().unwrap_or_default();
            units.push((
                hash,
                CodeRecord {
                    name: b.name.clone(),
                    interface: known.interface,
                    fields: known.fields,
                    tape,
                },
            ));
        }
        // Store the code not yet in the world (one write transaction, only when needed).
        let stored: Vec<(u64, CodeRecord)> = self.code_records()?;
        let known: rustc_hash::FxHashSet<u64> = stored.iter().map(|(h, _)| *h).collect();
        let missing: Vec<&(u64, CodeRecord)> =
            units.iter().filter(|(h, _)| !known.contains(h)).collect();
        if !missing.is_empty() {
            let w = self.db.begin_write().map_err(storage)?;
            {
                let mut t = w.open_table(CODE).map_err(storage)?;
                for (hash, rec) in missing {
                    let bytes = format::encode(rec).map_err(|e| corrupt("code record", e))?;
                    t.insert(*hash, bytes.as_slice()).map_err(storage)?;
                }
            }
            w.commit().map_err(storage)?;
        }
        let mut merged = program.clone();
        let mut iface: FxHashMap<Rc<str>, Rc<str>> = info
            .iter()
            .map(|(k, v)| (Rc::from(k.as_str()), Rc::from(v.interface.as_str())))
            .collect();
        for (hash, rec) in &stored {
            if current.get(&rec.name) == Some(hash) {
                continue;
            }
            let unit = avm_vm::tape::binary::decode(&rec.tape)
                .map_err(|e| corrupt(&format!("code {hash:016x}"), e))?;
            code::merge(&mut merged, &unit, *hash);
            iface.insert(
                Rc::from(format::pinned_name(&rec.name, *hash)),
                Rc::from(rec.interface.as_str()),
            );
        }
        let (clock, pure) = self.clock_and_pure()?;
        let backing = DurableBacking::new(self.db.clone(), current, run.to_string());
        let mut world = World::with_backing(
            Box::new(InProcessCluster::default()),
            Box::new(backing),
            pure,
            clock,
        );
        world.interfaces = iface.clone();
        Ok(Prepared {
            program: merged,
            world,
            interfaces: iface,
        })
    }

    /// Every stored code record, by hash.
    pub fn code_records(&self) -> Result<Vec<(u64, CodeRecord)>, WorldError> {
        let read = self.db.begin_read().map_err(storage)?;
        let t = read.open_table(CODE).map_err(storage)?;
        let mut out = Vec::new();
        for row in t.iter().map_err(storage)? {
            let (k, v) = row.map_err(storage)?;
            let rec: CodeRecord =
                format::decode(v.value()).map_err(|e| corrupt("code record", e))?;
            out.push((k.value(), rec));
        }
        Ok(out)
    }

    /// The stored clock and pure-function registry.
    pub fn clock_and_pure(&self) -> Result<(u64, PureRegistry), WorldError> {
        let read = self.db.begin_read().map_err(storage)?;
        let meta = read.open_table(META).map_err(storage)?;
        let clock = meta
            .get(KEY_CLOCK)
            .map_err(storage)?
            .map_or(0, |v| v.value());
        let t = read.open_table(PURE).map_err(storage)?;
        let mut entries = Vec::new();
        for row in t.iter().map_err(storage)? {
            let (k, v) = row.map_err(storage)?;
            let rec: PureRecord =
                format::decode(v.value()).map_err(|e| corrupt("pure record", e))?;
            entries.push((k.value().to_string(), rec));
        }
        let mut pure = PureRegistry::new();
        for (name, rec) in entries {
            pure.restore(
                Rc::from(name.as_str()),
                Rc::from(rec.implementation.as_str()),
                rec.version,
            );
        }
        Ok((clock, pure))
    }
}

/// The error for a database that cannot be opened.
fn open_error(path: &str, e: redb::DatabaseError) -> WorldError {
    match e {
        redb::DatabaseError::DatabaseAlreadyOpen => WorldError::Busy { path: path.into() },
        redb::DatabaseError::UpgradeRequired(v) => WorldError::NotAWorld {
            path: path.into(),
            reason: format!("its redb file format ({v}) is not the one this avmc writes"),
        },
        redb::DatabaseError::Storage(redb::StorageError::Io(io))
            if !matches!(
                io.kind(),
                std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof
            ) =>
        {
            storage(io)
        }
        other => WorldError::NotAWorld {
            path: path.into(),
            reason: other.to_string(),
        },
    }
}
