//! The editor sample programs type-check.
//!
//! Takes every `editors/samples/*.avm` (found by listing the directory, so a
//! new sample is included without editing this file) and runs the `avmc`
//! binary's `check` on each; a sample passes when `avmc check` exits 0 and
//! prints no diagnostic. The samples are what the grammar tests highlight
//! (`scripts/test-editors`), so they should be programs the compiler accepts.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `editors/samples/` of the repository.
fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("editors")
        .join("samples")
}

/// Every `editors/samples/*.avm`, sorted.
fn avm_samples() -> Vec<PathBuf> {
    let entries = std::fs::read_dir(samples_dir()).expect("editors/samples/ is readable");
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "avm"))
        .collect();
    found.sort();
    found
}

#[test]
fn every_editor_sample_passes_avmc_check() {
    let samples = avm_samples();
    assert!(
        samples.len() >= 5,
        "expected the .avm samples under editors/samples/, found {samples:?}"
    );
    let mut failures = Vec::new();
    for sample in &samples {
        let name = sample
            .file_name()
            .expect("a listed file has a name")
            .to_string_lossy()
            .into_owned();
        let out = Command::new(env!("CARGO_BIN_EXE_avmc"))
            .args(["--color", "never", "check", &name])
            .current_dir(samples_dir())
            .env("NO_COLOR", "1")
            .output()
            .expect("avmc runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(0) || !stderr.is_empty() {
            failures.push(format!(
                "== avmc check editors/samples/{name}: exit {:?}\n{stderr}",
                out.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
