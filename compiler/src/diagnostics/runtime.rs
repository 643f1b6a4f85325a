//! Runtime failures as diagnostics (E0701; E0702 for the memory limit; E0730 / E0731 for
//! the SMT solver's; E0905 / E0907 for a durable world's storage failure and `lookup`
//! interface mismatch).
//!
//! Takes the AVM error that ended a run and the run's [`Backtrace`] (source locations from the
//! program's `Term::At` marks or Tape span table); produces the [`Diagnostic`] that `avmc run`
//! renders: the primary label on the failing source span, the AVM error as the message, a
//! `help:` with a fix for that kind of error, and one note per caller ("called from
//! file:line:column"). `None` when the backtrace has no location in a file of the source map
//! (the runner then prints the bare error; the REPL labels the whole input with
//! [`runtime_failure_of_input`]). Source indices of the backtrace are the [`FileId`]s of the
//! map the program was compiled with.

use avm_vm::error::{
    AvmError, ControllerError, ExecError, LimitError, NondetError, ObjError, TxError,
};
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
        code_of(error),
        format!("runtime failure: {error}"),
        Label::new(FileId(loc.source), span(loc), "the run failed here"),
    )
    .with_help(help(error));
    for note in requirement_notes(error) {
        diag = diag.with_note(note);
    }
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
        code_of(error),
        format!("runtime failure: {error}"),
        Label::new(file, span, "the run of this input failed"),
    )
    .with_help(help(error))
}

/// The code of a runtime failure: E0702 when the memory limit stopped the run, E0730 / E0731
/// for the SMT solver's, E0905 / E0907 for a durable world's storage failure and `lookup`
/// interface mismatch, else E0701.
pub fn code_of(error: &AvmError) -> Code {
    match error {
        AvmError::Limit(LimitError::MemoryLimitExceeded { .. }) => Code::E0702,
        AvmError::Nondet(NondetError::ErrSolver { .. }) => Code::E0730,
        AvmError::Nondet(NondetError::ErrModelRejected { .. }) => Code::E0731,
        AvmError::Exec(ExecError::Storage { .. }) => Code::E0905,
        AvmError::Exec(ExecError::InterfaceMismatch { .. }) => Code::E0907,
        _ => Code::E0701,
    }
}

/// One note per conflicting requirement of an unsatisfiable commit ("requirement at
/// file:line:column: `text`").
pub fn requirement_notes(error: &AvmError) -> Vec<String> {
    match error {
        AvmError::Nondet(NondetError::ErrUnsatisfiable { places, .. }) => places
            .iter()
            .map(|p| format!("conflicting requirement at {p}"))
            .collect(),
        _ => Vec::new(),
    }
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

/// The `help:` of a failed run that has no source location: the run failed before any
/// statement of the program ran (a call depth limit too small for `main` itself).
pub fn unlocated_help(error: &AvmError) -> String {
    match error {
        AvmError::Limit(LimitError::CallDepthExceeded { max_depth }) => format!(
            "the limit of {max_depth} was reached on entering `main`, before any of its statements ran: give `--max-depth` at least 2 (the entry and `main`'s own frame; the default is {})",
            avm_vm::itree::Limits::default().max_call_depth
        ),
        other => help(other),
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
        AvmError::Nondet(NondetError::ErrSolver { .. }) => {
            "check `--solver-cmd` (it must read SMT-LIB 2 on stdin, e.g. `z3 -in`), raise `--solver-timeout`, or use `--solver dfs`".into()
        }
        AvmError::Nondet(NondetError::ErrModelRejected { .. }) => {
            "the solver's model is wrong: use `z3 -in` or `--solver dfs`; `--emit-constraints smt2` shows what the solver was given".into()
        }
        AvmError::Fd(_) | AvmError::Nondet(_) => {
            "run the constraint code inside `try atomic { … }` to get `none` instead of a failure".into()
        }
        AvmError::Limit(LimitError::OutOfFuel { .. }) => {
            "the run took more steps than `--fuel` allows: raise it, or look for a loop that does not end".into()
        }
        AvmError::Limit(LimitError::MemoryLimitExceeded { .. }) => {
            "a value or the call stack grew past `--max-memory`: raise it, or build smaller values (a list or string doubled in a loop grows exponentially)".into()
        }
        AvmError::Limit(LimitError::CallDepthExceeded { .. }) => {
            "raise `--max-depth`, or make the recursion a tail call (the last thing the function does)".into()
        }
        AvmError::Obj(ObjError::ErrObjectNotFound(_) | ObjError::ErrObjectAlreadyDestroyed(_)) => {
            "the object was destroyed (or never created) before this line used it; do not use a reference after `destroy`".into()
        }
        AvmError::Controller(ControllerError::ErrObjectHasNoController(_)) => {
            "`freeze` uses the transaction's controller: run it inside `atomic by k { … }`; other operations need an object created with a controller (`create O by some(k)`)".into()
        }
        AvmError::Tx(TxError::ErrInvalidDuringTx(what)) if &**what == "teleport" => {
            "`teleport` moves the whole program to another machine, so it must run outside every `atomic` block (also outside functions called from one): teleport before the block begins or after it ends".into()
        }
        AvmError::Tx(TxError::ErrInvalidDuringTx(_)) => {
            "a nested `atomic by c` must name the controller of the block around it; drop `by c` from the inner block".into()
        }
        AvmError::Tx(_) => {
            "check that every transaction is committed or aborted once, in the order it was begun".into()
        }
        _ => "check the values this line passes to the AVM; `avmc explain E0701` lists the runtime failures".into(),
    }
}
