//! `avm-vm`: the Anoma Virtual Machine.

pub mod fd;
