//! Compiled artifacts do not depend on where the source lives: every program of `examples/`
//! is copied into two different folders and compiled there (`avmc compile main.avm -o
//! main.tape`, run inside each copy); the two `.tape` files must be byte-identical.

use std::path::{Path, PathBuf};
use std::process::Command;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// Copies the `.avm` files of `from` into `to` (created).
fn copy_sources(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy's folder");
    for entry in std::fs::read_dir(from).expect("read the example") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|e| e == "avm") {
            let name = path.file_name().expect("a file name");
            std::fs::copy(&path, to.join(name)).expect("copy a source file");
        }
    }
}

/// Compiles `main.avm` in `dir` to `main.tape` there; returns the artifact's bytes.
fn compile_in(dir: &Path) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_avmc"))
        .args(["compile", "main.avm", "-o", "main.tape"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("avmc runs");
    assert!(
        out.status.success(),
        "{}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(dir.join("main.tape")).expect("the artifact was written")
}

#[test]
fn examples_compiled_in_two_folders_give_identical_tape_files() {
    let root = std::env::temp_dir().join(format!("avmc-reproducible-{}", std::process::id()));
    let mut compared = 0;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(examples())
        .expect("examples/ exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.join("main.avm").is_file())
        .collect();
    dirs.sort();
    for example in dirs {
        let name = example.file_name().expect("a folder name");
        let first = root.join("one").join(name);
        let second = root.join("two/deeper/still").join(name);
        copy_sources(&example, &first);
        copy_sources(&example, &second);
        let (a, b) = (compile_in(&first), compile_in(&second));
        assert!(
            a == b,
            "{}: the .tape files differ between {} and {}",
            name.to_string_lossy(),
            first.display(),
            second.display()
        );
        compared += 1;
    }
    let _ = std::fs::remove_dir_all(&root);
    assert!(compared >= 5, "only {compared} examples compared");
}
