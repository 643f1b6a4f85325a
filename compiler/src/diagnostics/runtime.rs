//! Runtime failures as diagnostics (E0701).
//!
//! Takes the AVM error that ended a run and the run's [`Backtrace`] (source locations from the
//! program's `Term::At` marks or Tape span table); produces the [`Diagnostic`] that `avmc run`
//! renders: the primary label on the failing source span, the AVM error as the message, a
//! `help:` with a fix for that kind of error, and one note per caller ("called from
//! file:line:column"). `None` when the backtrace has no location in a file of the source map
//! (the runner then prints the bare error; the REPL labels the whole input with
//! [`runtime_failure_of_input`]). Source indices of the backtrace are the [`FileId`]s of the
//! map the program was compiled with.

use avm_vm::error::{AvmError, ExecError, LimitError, ObjError};
use avm_vm::srcloc::{Backtrace, SrcLoc};

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::syntax::span::{FileId, SourceMap, Span};

/// The E0701 diagnostic of a failed run, if the failure has a source location.
pub fn runtime_failure(
    error: &AvmError,
    backtrace: &Backtrace,
    map: &SourceMap,
) -> Option<Diagnostic> {
    let loc = backtrace.innermost()?;
    map.get(FileId(loc.source))?;
    let mut diag = Diagnostic::new(
        runtime_code(error),
        format!("runtime failure: {error}"),
        Label::new(FileId(loc.source), span(loc), "the run failed here"),
    )
    .with_help(help(error));
    // Consecutive identical call sites (a recursion) make one note with a count.
    let mut callers = backtrace.frames.iter().skip(1).peekable();
    while let Some(caller) = callers.next() {
        let mut times = 1;
        while callers.next_if_eq(&caller).is_some() {
            times += 1;
        }
        let at = position(*caller, map);
        diag = diag.with_note(if times == 1 {
            format!("called from {at}")
        } else {
            format!("called from {at} ({times} times)")
        });
    }
    if backtrace.omitted > 0 {
        diag = diag.with_note(format!("... and {} more callers", backtrace.omitted));
    }
    Some(diag)
}

/// The E0701 diagnostic of a failed run that has no source location (or none the user wrote),
/// labelled at the whole input that ran (`span` of `file`: a REPL input or Tape-mode line).
pub fn runtime_failure_of_input(error: &AvmError, file: FileId, span: Span) -> Diagnostic {
    Diagnostic::new(
        runtime_code(error),
        format!("runtime failure: {error}"),
        Label::new(file, span, "the run of this input failed"),
    )
    .with_help(help(error))
}

fn span(loc: SrcLoc) -> Span {
    Span {
        start: loc.start,
        end: loc.end.max(loc.start),
    }
}

/// `file:line:column` of a location (the byte range when the file is not in the map).
pub fn position(loc: SrcLoc, map: &SourceMap) -> String {
    match map.get(FileId(loc.source)) {
        Some(file) => {
            let lc = file.line_col(loc.start);
            format!("{}:{}:{}", file.name, lc.line, lc.column)
        }
        None => format!("<source {}> bytes {}..{}", loc.source, loc.start, loc.end),
    }
}

/// The code of a failed run: E0701, or the durable world's own codes for a storage failure
/// (E0905) and a `lookup` interface mismatch (E0907).
pub fn runtime_code(error: &AvmError) -> Code {
    match error {
        AvmError::Exec(ExecError::Storage { .. }) => Code::E0905,
        AvmError::Exec(ExecError::InterfaceMismatch { .. }) => Code::E0907,
        _ => Code::E0701,
    }
}

/// A concrete fix for the kind of failure.
fn help(error: &AvmError) -> String {
    match error {
        AvmError::Exec(ExecError::Storage { .. }) => {
            "the world on disk is as of the last commit before this line; free space or fix the device and run again".into()
        }
        AvmError::Exec(ExecError::InterfaceMismatch { .. }) => {
            "the stored object keeps the code it was created with: declare the type with its interface, or publish a new object under another name".into()
        }
        AvmError::Exec(ExecError::DivisionByZero) => {
            "check the divisor first, e.g. `if d != 0 { n / d } else { … }`".into()
        }
        AvmError::Exec(ExecError::IntegerOverflow { .. }) => {
            "the result does not fit in 64 bits; keep the operands smaller or test them before the operation".into()
        }
        AvmError::Exec(ExecError::IndexOutOfBounds { .. }) => {
            "compare the index with `len(xs)` before indexing, or `match` on the list".into()
        }
        AvmError::Exec(ExecError::NoMatchingArm { .. }) => {
            "add an arm for this value (or a `_ =>` arm) to the `match`".into()
        }
        AvmError::Exec(ExecError::Failed(_)) => {
            "this failure is raised by the program itself (`reject`, `abort`, an unwrapped `none`); handle it with `try` where it may happen".into()
        }
        AvmError::Fd(_) | AvmError::Nondet(_) => {
            "run the constraint code inside `try atomic { … }` to get `none` instead of a failure".into()
        }
        AvmError::Limit(LimitError::OutOfFuel { .. }) => {
            "the run took more steps than `--fuel` allows: raise it, or look for a loop that does not end".into()
        }
        AvmError::Limit(LimitError::CallDepthExceeded { .. }) => {
            "raise `--max-depth`, or make the recursion a tail call (the last thing the function does)".into()
        }
        AvmError::Obj(ObjError::ErrObjectNotFound(_) | ObjError::ErrObjectAlreadyDestroyed(_)) => {
            "the object was destroyed (or never created) before this line used it; do not use a reference after `destroy`".into()
        }
        AvmError::Tx(_) => {
            "check that every transaction is committed or aborted once, in the order it was begun".into()
        }
        _ => "check the values this line passes to the AVM; `avmc explain E0701` lists the runtime failures".into(),
    }
}
