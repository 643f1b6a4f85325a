//! Errors of the driver: the input or output files of an `avmc` command (codes `E00xx`).
//!
//! Takes what went wrong with a file (its path, the operation and the OS reason); produces a
//! [`PlainDiagnostic`]: a code, a message and a `help:` with a fix, but no source label, since
//! there is no source text to point at. [`crate::diagnostics::render::render_plain`] renders it.
//! The front end does the IO and classifies its `std::io::Error` with [`read_failure`].

use serde::Serialize;

use crate::diagnostics::Code;

/// A diagnostic that is not about source text: a code (when it has one), what went wrong, and
/// how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlainDiagnostic {
    pub code: Option<Code>,
    pub message: String,
    pub help: Option<String>,
}

impl PlainDiagnostic {
    /// A plain error with an optional code and help line.
    pub fn new(code: Option<Code>, message: impl Into<String>, help: Option<String>) -> Self {
        PlainDiagnostic {
            code,
            message: message.into(),
            help,
        }
    }
}

/// The file an `avmc` command writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// `avmc compile -o FILE`: the Tape program.
    Tape,
    /// `avmc run --msc FILE`: the message sequence chart.
    Chart,
    /// `avmc fmt FILE`: the formatted file, written back in place.
    Formatted,
}

/// A file the driver cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriverError {
    /// E0001: the input file does not exist; `suggestion` is an existing file the user may
    /// have meant (`x.avm` for `x`, `x/main.avm` for `x.avm`), found by the front end.
    NotFound {
        path: String,
        suggestion: Option<String>,
    },
    /// E0002: the input path names a directory.
    IsDirectory { path: String },
    /// E0003: the input file is not UTF-8 text.
    NotUtf8 { path: String },
    /// E0004: the input file exists but cannot be read for lack of permission.
    PermissionDenied { path: String },
    /// E0004: the input file cannot be read for another reason (the OS's words).
    Unreadable { path: String, reason: String },
    /// E0005: an output file cannot be written.
    Unwritable {
        path: String,
        kind: OutputKind,
        reason: String,
    },
    /// E0006: `check` or `compile` was given a `.tape` file.
    TapeGivenToSourceCommand { path: String },
    /// E0007: `avmc run FILE.tape` with a flag that only applies to `.avm` source.
    SourceFlagOnTape { path: String, flag: SourceFlag },
    /// E0008: the input path names a device, pipe or socket, not a regular file.
    NotRegularFile { path: String },
    /// E0009: the input file is larger than `limit` bytes.
    TooLarge { path: String, limit: u64 },
    /// E0016: `--solver smt` and the solver program (`z3` by default) is not found.
    SolverNotFound { program: String },
    /// E0017: `--solver-cmd` names no program.
    SolverCommandEmpty,
}

/// A `run` flag that only applies to `.avm` source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFlag {
    /// `--engine itree`: the ITree interpreter runs compiled source, not Tape.
    EngineItree,
    /// `--controller NAME`: the controller is compiled into a Tape file.
    Controller,
}

/// The files a user may have meant by a missing input `path`: `path.avm` when it has no
/// extension, `path/main.avm` (an example's layout) when it is `path.avm`. The front end
/// checks which exists.
pub fn near_names(path: &std::path::Path) -> Vec<std::path::PathBuf> {
    match path.extension() {
        None => vec![path.with_extension("avm")],
        Some(e) if e == "avm" => vec![path.with_extension("").join("main.avm")],
        Some(_) => Vec::new(),
    }
}

/// Classifies an error of reading the input file `path`.
pub fn read_failure(path: &str, error: &std::io::Error) -> DriverError {
    let path = path.to_string();
    match error.kind() {
        std::io::ErrorKind::NotFound => DriverError::NotFound {
            path,
            suggestion: None,
        },
        std::io::ErrorKind::IsADirectory => DriverError::IsDirectory { path },
        std::io::ErrorKind::InvalidData => DriverError::NotUtf8 { path },
        std::io::ErrorKind::PermissionDenied => DriverError::PermissionDenied { path },
        _ => DriverError::Unreadable {
            path,
            reason: error.to_string(),
        },
    }
}

impl DriverError {
    /// The diagnostic for this error.
    pub fn to_plain(&self) -> PlainDiagnostic {
        let (code, message, help) = match self {
            DriverError::NotFound { path, suggestion } => (
                Code::E0001,
                format!("cannot read `{path}`: no such file"),
                match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "check the file name; a relative path is taken from the directory avmc runs in (`ls` lists it)".to_string(),
                },
            ),
            DriverError::IsDirectory { path } => (
                Code::E0002,
                format!("cannot read `{path}`: it is a directory"),
                format!(
                    "give a file, not a directory, e.g. `{}`",
                    std::path::Path::new(path).join("main.avm").display()
                ),
            ),
            DriverError::NotUtf8 { path } => (
                Code::E0003,
                format!("cannot read `{path}`: it is not UTF-8 text"),
                "source files must be UTF-8 text; this looks like a binary or differently encoded file (convert it with `iconv -t UTF-8`)".to_string(),
            ),
            DriverError::PermissionDenied { path } => (
                Code::E0004,
                format!("cannot read `{path}`: permission denied"),
                format!("make the file readable (`chmod +r {path}`) or run avmc as its owner"),
            ),
            DriverError::Unreadable { path, reason } => (
                Code::E0004,
                format!("cannot read `{path}`: {reason}"),
                "check that the file can be read, e.g. with `cat`; copy it to a local file if it is on a device or network share".to_string(),
            ),
            DriverError::Unwritable {
                path,
                kind: OutputKind::Formatted,
                reason,
            } => (
                Code::E0005,
                format!("cannot write `{path}`: {reason}"),
                format!(
                    "make the file writable (`chmod u+w {path}`), or use `avmc fmt --check` to see the changes without writing"
                ),
            ),
            DriverError::Unwritable { path, kind, reason } => {
                let flag = match kind {
                    OutputKind::Tape => "-o",
                    OutputKind::Chart | OutputKind::Formatted => "--msc",
                };
                let dir = std::path::Path::new(path)
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .map(|d| format!("`{}`", d.display()))
                    .unwrap_or_else(|| "the current directory".to_string());
                (
                    Code::E0005,
                    format!("cannot write `{path}`: {reason}"),
                    format!(
                        "give `{flag}` a path in a directory that exists and that you can write to ({dir} here)"
                    ),
                )
            }
            DriverError::SourceFlagOnTape { path, flag } => {
                let source = std::path::Path::new(path).with_extension("avm");
                match flag {
                    SourceFlag::EngineItree => (
                        Code::E0007,
                        format!(
                            "`--engine itree` cannot run `{path}`: a `.tape` file runs on the Tape interpreter"
                        ),
                        format!(
                            "drop `--engine itree`, or run the source: `avmc run {} --engine itree`",
                            source.display()
                        ),
                    ),
                    SourceFlag::Controller => (
                        Code::E0007,
                        format!(
                            "`--controller` has no effect on `{path}`: the controller is compiled into a `.tape` file"
                        ),
                        format!(
                            "drop `--controller`, or run the source: `avmc run {} --controller NAME`",
                            source.display()
                        ),
                    ),
                }
            }
            DriverError::NotRegularFile { path } => (
                Code::E0008,
                format!("cannot read `{path}`: it is not a regular file (a device, pipe or socket)"),
                "give a regular file; to use the output of a command, save it to a file first (`cmd > prog.avm`)".to_string(),
            ),
            DriverError::TooLarge { path, limit } => (
                Code::E0009,
                format!(
                    "cannot read `{path}`: it is larger than the {} MiB an input file may have",
                    limit >> 20
                ),
                "split the program into modules (`import`), each a file under the limit".to_string(),
            ),
            DriverError::SolverNotFound { program } => (
                Code::E0016,
                format!("`--solver smt` needs the SMT solver `{program}`, which is not on PATH"),
                "install z3 (`apt-get install z3`, or `pip install z3-solver`), give another solver with `--solver-cmd 'cvc5 --lang smt2 --incremental'`, or use `--solver dfs`".to_string(),
            ),
            DriverError::SolverCommandEmpty => (
                Code::E0017,
                "`--solver-cmd` is empty: it must name the solver program".to_string(),
                "give the program and its arguments, e.g. `--solver-cmd 'z3 -in'`, or leave the flag out".to_string(),
            ),
            DriverError::TapeGivenToSourceCommand { path } => (
                Code::E0006,
                format!("`{path}` is a Tape file; `check` and `compile` take `.avm` source"),
                format!("run it with `avmc run {path}`"),
            ),
        };
        PlainDiagnostic::new(Some(code), message, Some(help))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_are_classified_with_their_codes() {
        let cases = [
            (std::io::ErrorKind::NotFound, Code::E0001),
            (std::io::ErrorKind::IsADirectory, Code::E0002),
            (std::io::ErrorKind::InvalidData, Code::E0003),
            (std::io::ErrorKind::PermissionDenied, Code::E0004),
            (std::io::ErrorKind::Interrupted, Code::E0004),
        ];
        for (kind, code) in cases {
            let plain = read_failure("a.avm", &std::io::Error::from(kind)).to_plain();
            assert_eq!(plain.code, Some(code), "{kind:?}");
            assert!(plain.message.contains("`a.avm`"), "{plain:?}");
            assert!(plain.help.is_some(), "{plain:?}");
        }
    }

    #[test]
    fn a_suggestion_replaces_the_generic_help() {
        let plain = DriverError::NotFound {
            path: "examples/counter.avm".into(),
            suggestion: Some("examples/counter/main.avm".into()),
        }
        .to_plain();
        assert_eq!(
            plain.help.as_deref(),
            Some("did you mean `examples/counter/main.avm`?")
        );
        let p = std::path::Path::new;
        assert_eq!(near_names(p("a/b")), vec![p("a/b.avm").to_path_buf()]);
        assert_eq!(
            near_names(p("a/b.avm")),
            vec![p("a/b/main.avm").to_path_buf()]
        );
        assert!(near_names(p("a/b.tape")).is_empty());
    }

    #[test]
    fn write_help_names_the_flag_and_the_directory() {
        let plain = DriverError::Unwritable {
            path: "out/x.tape".into(),
            kind: OutputKind::Tape,
            reason: "No such file or directory (os error 2)".into(),
        }
        .to_plain();
        assert_eq!(plain.code, Some(Code::E0005));
        let help = plain.help.unwrap_or_default();
        assert!(help.contains("`-o`") && help.contains("`out`"), "{help}");
    }
}
