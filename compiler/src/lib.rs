//! `avm-compiler`: the AVM language compiler.
