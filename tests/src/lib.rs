//! `avm-tests`: shared helpers for the integration test suites.
//!
//! [`corpus`]: the stage-sorted `.avm` corpus under `tests/corpus/`, its
//! header format and the per-stage runners. [`fuzz`]: the fuzz targets of the untrusted
//! inputs (Tape loaders, front end, REPL), shared with the cargo-fuzz targets in `fuzz/`.

pub mod corpus;
pub mod fuzz;
