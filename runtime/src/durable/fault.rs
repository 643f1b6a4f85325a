//! A redb storage backend that fails on purpose, for fault-injection tests.
//!
//! Takes a file and a [`Fault`] plan; produces a `StorageBackend` that behaves like redb's own
//! file backend until the planned fault, then fails writes (an I/O error, or "no space left on
//! device"), or stops doing any I/O after the Nth operation as if the machine had crashed
//! (every later call fails, nothing more reaches the file). Modelled on the crash backends of
//! redb's own tests.

use redb::StorageBackend;
use redb::backends::FileBackend;
use std::fs::File;
use std::io;
use std::ops::Bound;
use std::sync::atomic::{AtomicU64, Ordering};

/// When and how the backend fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Every write after the first `n` writes fails with an I/O error.
    FailWritesAfter(u64),
    /// Every write or length change after the first `n` fails: no space left on device.
    DiskFullAfter(u64),
    /// After `n` I/O operations (reads, writes, syncs, length changes) the "machine crashes":
    /// that operation and every later one fail and write nothing.
    CrashAfter(u64),
}

/// A file backend with a planned fault.
#[derive(Debug)]
pub struct FaultyBackend {
    inner: FileBackend,
    fault: Fault,
    writes: AtomicU64,
    ops: AtomicU64,
}

impl FaultyBackend {
    /// A backend on `file` that fails as `fault` says.
    pub fn new(file: File, fault: Fault) -> io::Result<Self> {
        let inner = FileBackend::new(file).map_err(io::Error::other)?;
        Ok(FaultyBackend {
            inner,
            fault,
            writes: AtomicU64::new(0),
            ops: AtomicU64::new(0),
        })
    }

    fn crashed(&self) -> io::Result<()> {
        let n = self.ops.fetch_add(1, Ordering::SeqCst);
        match self.fault {
            Fault::CrashAfter(limit) if n >= limit => {
                Err(io::Error::other("injected crash: the device is gone"))
            }
            _ => Ok(()),
        }
    }

    fn write_allowed(&self) -> io::Result<()> {
        let n = self.writes.fetch_add(1, Ordering::SeqCst);
        match self.fault {
            Fault::FailWritesAfter(limit) if n >= limit => {
                Err(io::Error::other("injected write failure"))
            }
            Fault::DiskFullAfter(limit) if n >= limit => Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "no space left on device (injected)",
            )),
            _ => Ok(()),
        }
    }
}

impl StorageBackend for FaultyBackend {
    fn len(&self) -> Result<u64, io::Error> {
        self.crashed()?;
        self.inner.len()
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), io::Error> {
        self.crashed()?;
        self.inner.read(offset, out)
    }

    fn set_len(&self, len: u64) -> Result<(), io::Error> {
        self.crashed()?;
        if let Fault::DiskFullAfter(_) = self.fault {
            self.write_allowed()?;
        }
        self.inner.set_len(len)
    }

    fn sync_data(&self) -> Result<(), io::Error> {
        self.crashed()?;
        self.inner.sync_data()
    }

    fn write(&self, offset: u64, data: &[u8]) -> Result<(), io::Error> {
        self.crashed()?;
        self.write_allowed()?;
        self.inner.write(offset, data)
    }

    fn close(&self) -> Result<(), io::Error> {
        self.inner.close()
    }

    fn try_lock_range(
        &self,
        start: Bound<u64>,
        end: Bound<u64>,
    ) -> Result<bool, redb::BackendError> {
        self.inner.try_lock_range(start, end)
    }

    fn try_lock_shared_range(
        &self,
        start: Bound<u64>,
        end: Bound<u64>,
    ) -> Result<bool, redb::BackendError> {
        self.inner.try_lock_shared_range(start, end)
    }

    fn lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), redb::BackendError> {
        self.inner.lock_range(start, end)
    }

    fn lock_shared_range(
        &self,
        start: Bound<u64>,
        end: Bound<u64>,
    ) -> Result<(), redb::BackendError> {
        self.inner.lock_shared_range(start, end)
    }

    fn unlock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), redb::BackendError> {
        self.inner.unlock_range(start, end)
    }

    fn query_lock_range(
        &self,
        start: Bound<u64>,
        end: Bound<u64>,
    ) -> Result<bool, redb::BackendError> {
        self.inner.query_lock_range(start, end)
    }
}
