//! Fuzz target: the binary Tape loader (and a bounded run of what loads).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    avm_tests::fuzz::binary_loader(data);
});
