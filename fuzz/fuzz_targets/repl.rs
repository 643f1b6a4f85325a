//! Fuzz target: a REPL session, one input per line of the data.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let lines: Vec<&str> = text.split('\n').take(64).collect();
        avm_tests::fuzz::repl_session(&lines);
    }
});
