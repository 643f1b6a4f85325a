//! Fuzz target: the text Tape loader (and a bounded run of what loads).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        avm_tests::fuzz::text_loader(text);
    }
});
