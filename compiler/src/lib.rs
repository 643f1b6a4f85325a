//! `avm-compiler`: the AVM language compiler.
pub mod tape;
