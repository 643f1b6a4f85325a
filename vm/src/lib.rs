//! `avm-vm`: the Anoma Virtual Machine.
