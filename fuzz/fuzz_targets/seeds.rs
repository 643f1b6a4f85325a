//! Writes the seed corpora of the fuzz targets (the examples' sources and the Tape artifacts
//! compiled from them) under `fuzz/corpus/<target>/`: `cargo run --bin seeds` in `fuzz/`.
fn main() -> std::io::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let write = |target: &str, name: String, bytes: &[u8]| -> std::io::Result<()> {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(name), bytes)
    };
    for (i, src) in avm_tests::fuzz::seed_sources().iter().enumerate() {
        write("front_end", format!("example{i}.avm"), src.as_bytes())?;
        write("repl", format!("example{i}.avm"), src.as_bytes())?;
    }
    for (i, (bytes, text)) in avm_tests::fuzz::seed_artifacts().iter().enumerate() {
        write("tape_binary", format!("example{i}.tape"), bytes)?;
        write("tape_text", format!("example{i}.tape"), text.as_bytes())?;
    }
    Ok(())
}
