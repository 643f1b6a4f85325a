//! `avm-runtime`: the runtime floor above the VM.
//!
//! Takes compiled Tape programs and a path, and produces worlds that outlive a run. Today it
//! holds `durable`: a world kept in one redb file (objects loaded on first use and written back
//! at each commit, behaviour code by content hash, names, the pure-function registry, the
//! logical clock), its inspection (`avmc world ...`) and its JSON export / import. The VM stays
//! free of IO: it calls the world's `avm_vm::backing::Backing`, which this crate implements.

pub mod durable;
