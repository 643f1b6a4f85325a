//! Errors of the REPL itself (not of the program it runs): an unknown command, a file that
//! cannot be read or written, a bad command argument, a Tape instruction the raw mode refuses.
//!
//! Takes what went wrong, with its data, and the span of the input it is about; produces a
//! [`Diagnostic`] with an `E08xx` code, a primary label and a `help:` line. Rendering happens in
//! `crate::diagnostics::render`, like every other diagnostic.

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::syntax::span::{FileId, Span};

/// One REPL error, with the data its message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplError {
    /// `:frob`: no such command; `suggestion` is the closest known command.
    UnknownCommand {
        name: String,
        suggestion: Option<&'static str>,
    },
    /// A file named by `:load`, `:reload` or `:msc` could not be read or written.
    File {
        command: &'static str,
        path: String,
        problem: FileProblem,
        reason: String,
    },
    /// A command got a missing or invalid argument.
    BadArgument {
        command: &'static str,
        found: String,
        expected: &'static str,
    },
    /// Raw Tape mode: the line is not an instruction the REPL can run.
    BadInstruction { reason: String },
}

/// What kind of problem a file had (it decides the `help:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// No such file; `suggestion` is an existing file the user may have meant.
    NotFound {
        suggestion: Option<String>,
    },
    IsDirectory,
    NotUtf8,
    PermissionDenied,
    /// A `.tape` file given to `:load`, which reads source.
    TapeFile,
    Other,
}

impl ReplError {
    /// The error of `command` failing on the file `path`.
    pub fn file(command: &'static str, path: String, error: &std::io::Error) -> ReplError {
        let problem = match error.kind() {
            std::io::ErrorKind::NotFound => FileProblem::NotFound { suggestion: None },
            std::io::ErrorKind::IsADirectory => FileProblem::IsDirectory,
            std::io::ErrorKind::InvalidData => FileProblem::NotUtf8,
            std::io::ErrorKind::PermissionDenied => FileProblem::PermissionDenied,
            _ => FileProblem::Other,
        };
        ReplError::File {
            command,
            path,
            problem,
            reason: error.to_string(),
        }
    }

    /// The diagnostic for this error, labelled at `span` of the input `file`.
    pub fn to_diagnostic(&self, file: FileId, span: Span) -> Diagnostic {
        match self {
            ReplError::UnknownCommand { name, suggestion } => {
                let help = match suggestion {
                    Some(s) => format!("did you mean `{s}`? `:help` lists every command"),
                    None => "type `:help` for the list of commands".to_string(),
                };
                Diagnostic::new(
                    Code::E0801,
                    format!("unknown REPL command `:{name}`"),
                    Label::new(file, span, "not a command"),
                )
                .with_help(help)
            }
            ReplError::File {
                command,
                path,
                problem,
                reason,
            } => Diagnostic::new(
                Code::E0802,
                format!("`{command}` cannot use the file `{path}`: {reason}"),
                Label::new(file, span, "this file"),
            )
            .with_help(file_help(command, path, problem)),
            ReplError::BadArgument {
                command,
                found,
                expected,
            } => {
                let shown = if found.is_empty() {
                    "nothing".to_string()
                } else {
                    format!("`{found}`")
                };
                Diagnostic::new(
                    Code::E0803,
                    format!("`{command}` expects {expected}, found {shown}"),
                    Label::new(file, span, "here"),
                )
                .with_help(usage_help(command))
            }
            ReplError::BadInstruction { reason } => Diagnostic::new(
                Code::E0804,
                format!("not a Tape instruction the REPL can run: {reason}"),
                Label::new(file, span, "this line"),
            )
            .with_help(
                "write one op as `avmc compile --emit tape` prints it, e.g. `int 5 -> r0` or `fx.self -> r1`; `:regs` shows the registers",
            ),
        }
    }
}

/// `help:` for a file a command cannot use, by kind of problem.
fn file_help(command: &str, path: &str, problem: &FileProblem) -> String {
    if command == ":msc" {
        return match problem {
            FileProblem::IsDirectory => {
                format!("`:msc` writes one file; name a file in it, e.g. `:msc {path}/session.mmd`")
            }
            _ => "give `:msc` a path in a directory that exists and that you can write to, e.g. `:msc session.mmd`".to_string(),
        };
    }
    match problem {
        FileProblem::NotFound {
            suggestion: Some(s),
        } => format!("there is no `{path}`; did you mean `{command} {s}`?"),
        FileProblem::NotFound { suggestion: None } => format!(
            "there is no `{path}`: a relative path is taken from the directory `avmc repl` was started in; check the spelling or give an absolute path"
        ),
        FileProblem::IsDirectory => format!(
            "`{command}` takes one `.avm` file, e.g. `:load {}`",
            std::path::Path::new(path).join("main.avm").display()
        ),
        FileProblem::NotUtf8 => {
            "`:load` reads `.avm` source, which is UTF-8 text; this file looks binary or differently encoded".to_string()
        }
        FileProblem::TapeFile => format!(
            "`{command}` reads `.avm` source; run a Tape file with `avmc run {path}`, or type its ops one at a time after `:mode tape`"
        ),
        FileProblem::PermissionDenied => {
            format!("make the file readable (`chmod +r {path}`), then `:reload`")
        }
        FileProblem::Other => format!("check that the file can be read, e.g. with `cat {path}`"),
    }
}

/// `help:` for a misused command: how it is written, from the command table.
fn usage_help(command: &str) -> String {
    let usage = crate::repl::command::COMMANDS
        .iter()
        .find(|(name, _, _)| *name == command)
        .map(|(name, arg, _)| {
            if arg.is_empty() {
                name.to_string()
            } else {
                format!("{name} {arg}")
            }
        })
        .unwrap_or_else(|| command.to_string());
    format!("the command is written `{usage}`; `:help` lists every command")
}
