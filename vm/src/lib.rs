//! `avm-vm`: the Anoma Virtual Machine.
pub mod tape;
