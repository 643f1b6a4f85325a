//! The file-system loader for imported modules.
//!
//! Takes a dotted module path; produces the module's file name and text, read from the
//! directory of the root file (`a.b` → `a/b.avm`) or, for `std.x`, from the std directory
//! (`AVM_STD_PATH` if set, else `std/` next to the compiler's sources at build time).

use std::path::PathBuf;

use avm_compiler::pipeline::SourceLoader;

/// Reads imported modules from disk.
pub struct FsLoader {
    /// The directory of the root file.
    pub root_dir: PathBuf,
    /// The std directory.
    pub std_dir: PathBuf,
}

impl FsLoader {
    /// A loader for a root file in `root_dir`.
    pub fn new(root_dir: PathBuf) -> FsLoader {
        let std_dir = std::env::var_os("AVM_STD_PATH")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../std")));
        FsLoader { root_dir, std_dir }
    }
}

impl SourceLoader for FsLoader {
    fn load_text(&mut self, path: &str) -> Option<(String, String)> {
        let (dir, rest) = match path.strip_prefix("std.") {
            Some(rest) => (&self.std_dir, rest),
            None => (&self.root_dir, path),
        };
        let file = dir.join(format!("{}.avm", rest.replace('.', "/")));
        // A module file is read under the same bounds as the root file.
        let text = super::files::read_text(&file).ok()?;
        Some((file.display().to_string(), text))
    }
}
