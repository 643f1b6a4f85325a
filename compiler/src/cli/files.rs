//! The files `avmc` reads and writes, with bounds: input files, the sources a `.tape` file's
//! `.source` table names, and the Tape file `compile -o` writes.
//!
//! Takes paths (and a Tape program to write); produces file contents or a [`DriverError`].
//! Every read takes a regular file only (never a device, pipe or socket: `/dev/zero` is
//! refused before a byte is read) and at most [`MAX_INPUT_BYTES`]. The `.source` names of a
//! loaded artifact are untrusted: [`tape_sources`] resolves them only inside the artifact's
//! folder, so a `.tape` file cannot make `avmc` read `/etc/passwd`.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use avm_compiler::diagnostics::driver::{DriverError, OutputKind, read_failure};
use avm_compiler::syntax::span::SourceMap;

/// The largest input file `avmc` reads (source, Tape, or a source a Tape file names): 64 MiB.
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// The bytes of the regular file `path`, at most [`MAX_INPUT_BYTES`] of them.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, DriverError> {
    let shown = || path.display().to_string();
    // Asked before opening: opening a named pipe would wait for a writer.
    let kind = |meta: &std::fs::Metadata| {
        if meta.is_dir() {
            Err(DriverError::IsDirectory { path: shown() })
        } else if !meta.is_file() {
            Err(DriverError::NotRegularFile { path: shown() })
        } else if meta.len() > MAX_INPUT_BYTES {
            Err(DriverError::TooLarge {
                path: shown(),
                limit: MAX_INPUT_BYTES,
            })
        } else {
            Ok(())
        }
    };
    kind(&std::fs::metadata(path).map_err(|e| read_failure(&shown(), &e))?)?;
    let file = std::fs::File::open(path).map_err(|e| read_failure(&shown(), &e))?;
    // The path may have been replaced in between: ask the opened file again.
    let meta = file.metadata().map_err(|e| read_failure(&shown(), &e))?;
    kind(&meta)?;
    // The file may grow while it is read: take one byte more than the limit to notice.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| read_failure(&shown(), &e))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(DriverError::TooLarge {
            path: shown(),
            limit: MAX_INPUT_BYTES,
        });
    }
    Ok(bytes)
}

/// The UTF-8 text of the regular file `path`, at most [`MAX_INPUT_BYTES`].
pub fn read_text(path: &Path) -> Result<String, DriverError> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|_| DriverError::NotUtf8 {
        path: path.display().to_string(),
    })
}

/// The source files a Tape program's `.source` table names, for rendering a runtime failure.
///
/// A name is looked up only inside `tape_file`'s folder: a relative name made of plain
/// components (no `..`, no root), or, for an absolute name (artifacts compiled from an
/// absolute path), its file name alone. The file must be a regular file whose real path
/// (symbolic links followed) stays inside the folder, and at most [`MAX_INPUT_BYTES`]. A name
/// that does not qualify is left out: a placeholder keeps the file ids in step with the
/// program's source indices, and its locations are reported without source text. Rendering
/// quotes only the lines a diagnostic's labels cover.
pub fn tape_sources(program: &avm_vm::tape::Program, tape_file: &Path) -> SourceMap {
    let mut map = SourceMap::new();
    let dir = match tape_file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    for name in &program.sources {
        match source_in(dir, name) {
            Ok(text) => map.add(name.clone(), text),
            Err(why) => map.add(format!("{name} ({why})"), String::new()),
        };
    }
    map
}

/// The text of the source `name` inside `dir`, or why it is not read.
fn source_in(dir: &Path, name: &str) -> Result<String, &'static str> {
    let relative =
        relative_inside(name).ok_or("not read: names a path outside the Tape file's folder")?;
    let path = dir.join(relative);
    let real_dir = dir.canonicalize().map_err(|_| "not found")?;
    let real = path
        .canonicalize()
        .map_err(|_| "not found next to the Tape file")?;
    if !real.starts_with(&real_dir) {
        return Err("not read: links outside the Tape file's folder");
    }
    read_text(&real).map_err(|e| match e {
        DriverError::NotRegularFile { .. } | DriverError::IsDirectory { .. } => {
            "not read: not a regular file"
        }
        DriverError::TooLarge { .. } => "not read: too large",
        DriverError::NotUtf8 { .. } => "not read: not UTF-8 text",
        _ => "not readable",
    })
}

/// The path to look `name` up at, relative to the artifact's folder: `name` itself when it is
/// relative and made only of plain components, the file name of an absolute `name`, else none.
fn relative_inside(name: &str) -> Option<PathBuf> {
    let path = Path::new(name);
    if path.is_absolute() {
        return path.file_name().map(PathBuf::from);
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// The Tape file formats `avmc compile -o` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TapeFormat {
    /// The binary format (`AVMT` header, compact, loaded without parsing): the default.
    Binary,
    /// The text format of `docs/tape.md` (what `--emit tape` prints).
    Text,
}

/// Writes `program` to `path` in `format`. The compiler keeps constants within the binary
/// format's depth, so the encoder refusing is reported like any failed write (E0005).
pub fn write_tape(
    path: &Path,
    program: &avm_vm::tape::Program,
    format: TapeFormat,
) -> Result<(), DriverError> {
    let bytes = match format {
        TapeFormat::Text => avm_vm::tape::text::print_program(program).into_bytes(),
        TapeFormat::Binary => {
            avm_vm::tape::binary::encode(program).map_err(|e| DriverError::Unwritable {
                path: path.display().to_string(),
                kind: OutputKind::Tape,
                reason: e.to_string(),
            })?
        }
    };
    std::fs::write(path, bytes).map_err(|e| DriverError::Unwritable {
        path: path.display().to_string(),
        kind: OutputKind::Tape,
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_names_and_the_file_names_of_absolute_ones_are_looked_up() {
        assert_eq!(relative_inside("a.avm"), Some(PathBuf::from("a.avm")));
        assert_eq!(relative_inside("./m/a.avm"), Some(PathBuf::from("m/a.avm")));
        assert_eq!(
            relative_inside("/etc/passwd"),
            Some(PathBuf::from("passwd"))
        );
        assert_eq!(relative_inside("../secret.avm"), None);
        assert_eq!(relative_inside("m/../../x"), None);
        assert_eq!(relative_inside(""), None);
        assert_eq!(relative_inside("/"), None);
    }
}
