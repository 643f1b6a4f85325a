//! Fuzz target: the front end, source to Tape (both `-o` formats must load back).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(source) = std::str::from_utf8(data) {
        avm_tests::fuzz::front_end(source);
    }
});
