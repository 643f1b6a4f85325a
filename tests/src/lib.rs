//! `avm-tests`: shared helpers for the integration test suites.
//!
//! [`corpus`]: the stage-sorted `.avm` corpus under `tests/corpus/`, its
//! header format and the per-stage runners.

pub mod corpus;
