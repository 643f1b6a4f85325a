//! The REPL session, IO-free: `avmc repl`'s engine.
//!
//! Takes input strings (a definition, statements, a `:command`, or in Tape mode one Tape op)
//! and a [`ReplHost`] that reads and writes files for `:load` and `:msc`; produces a [`Reply`]:
//! structured outputs (printed lines, values with their types, diagnostics with their sources,
//! runtime errors) that [`Reply::render`] turns into text. The session keeps the definitions,
//! the bindings made at the prompt, one `World` (objects and their state persist across
//! inputs), the trace of every run since the start or `:reset`, and the Tape mode's registers.
//! The rustyline front end is `cli/repl.rs`; the semantics are documented in `docs/repl.md`.
//!
//! [`command`] parses `:commands`, [`program`] builds the program text an input compiles to,
//! [`eval`] compiles and runs language input, [`load`] does `:load`, [`show`] does `:type`,
//! `:itree` and `:tape`, [`tape_mode`] runs single Tape ops, [`inspect`]
//! answers `:objects`, `:state` and `:msc`, [`complete`] does Tab completion and [`error`]
//! holds the REPL's own errors (codes `E08xx`).

pub mod command;
pub mod complete;
pub mod error;
pub mod eval;
pub mod inspect;
pub mod load;
pub mod program;
pub mod show;
pub mod tape_mode;

use avm_vm::trace::Trace;
use avm_vm::value::Val;
use avm_vm::world::World;

use crate::diagnostics::Diagnostic;
use crate::diagnostics::render::{ColorChoice, render_all};
use crate::pipeline::SourceLoader;
use crate::syntax::span::{FileId, SourceMap, Span};

use command::Command;
pub use command::{Mode, Tracing};
use error::ReplError;
use program::BindingDecl;

/// What the session needs from the outside world: imported modules (through
/// [`SourceLoader`]) and whole files for `:load` and `:msc`.
pub trait ReplHost: SourceLoader {
    /// The text of a file (`Err` says why it cannot be read; a file that is not UTF-8 is
    /// `ErrorKind::InvalidData`, as `std::fs::read_to_string` reports it).
    fn read_file(&mut self, path: &str) -> Result<String, std::io::Error>;
    /// Writes a file (`Err` says why it cannot).
    fn write_file(&mut self, path: &str, text: &str) -> Result<(), std::io::Error>;
    /// Whether `path` names an existing file (for "did you mean" after a failed `:load`).
    fn is_file(&mut self, path: &str) -> bool;
}

/// One thing the REPL has to show.
#[derive(Debug, Clone)]
pub enum Output {
    /// A line the program printed with `print`.
    Printed(String),
    /// A value: `- : Int = 3`, or `val x : Int = 3` for a binding.
    Value {
        name: Option<String>,
        ty: String,
        value: String,
    },
    /// Informational text (help, `:type`, `:objects`, …), printed as is.
    Text(String),
    /// Compile or REPL errors, with the sources their labels point into.
    Diagnostics {
        diagnostics: Vec<Diagnostic>,
        sources: SourceMap,
    },
    /// The Tape interpreter refused the compiled program (a compiler bug). AVM failures of a
    /// run are [`Output::Diagnostics`] (E0701, labelled at the input).
    RuntimeError(String),
}

/// Whether the REPL goes on after this input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Continue,
    Quit,
}

/// The answer to one input.
#[derive(Debug, Clone)]
pub struct Reply {
    pub outputs: Vec<Output>,
    pub control: Control,
}

impl Reply {
    fn new() -> Reply {
        Reply {
            outputs: Vec::new(),
            control: Control::Continue,
        }
    }

    fn text(s: impl Into<String>) -> Reply {
        let mut r = Reply::new();
        r.outputs.push(Output::Text(s.into()));
        r
    }

    /// Whether any output is an error.
    pub fn has_errors(&self) -> bool {
        self.outputs.iter().any(|o| match o {
            Output::Diagnostics { diagnostics, .. } => crate::diagnostics::has_errors(diagnostics),
            Output::RuntimeError(_) => true,
            _ => false,
        })
    }

    /// The reply as text, one output after another, each ending in a newline.
    pub fn render(&self, color: ColorChoice) -> String {
        let mut s = String::new();
        for o in &self.outputs {
            match o {
                Output::Printed(line) => {
                    s.push_str(line);
                    s.push('\n');
                }
                Output::Value { name, ty, value } => {
                    match name {
                        Some(n) => s.push_str(&format!("val {n} : {ty} = {value}")),
                        None => s.push_str(&format!("- : {ty} = {value}")),
                    }
                    s.push('\n');
                }
                Output::Text(t) => {
                    s.push_str(t);
                    if !t.ends_with('\n') {
                        s.push('\n');
                    }
                }
                Output::Diagnostics {
                    diagnostics,
                    sources,
                } => s.push_str(&render_all(diagnostics, sources, color)),
                Output::RuntimeError(e) => {
                    s.push_str(&format!("error[E0701]: runtime failure: {e}\n"));
                }
            }
        }
        s
    }
}

/// A definition kept by the session: its name, kind word and source text, and where that
/// text was typed or loaded (so later diagnostics and runtime failures point there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    pub name: String,
    pub kind: &'static str,
    pub text: String,
    pub origin: Option<DefOrigin>,
}

/// The input (`<repl:N>`) or file (`:load`) a definition came from, and the offset of the
/// definition's text in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefOrigin {
    pub name: String,
    pub text: std::rc::Rc<str>,
    pub offset: usize,
}

/// A binding made at the prompt, with its current value.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub decl: BindingDecl,
    pub value: Val,
}

/// A REPL session.
#[derive(Debug)]
pub struct Session {
    world: World,
    defs: Vec<Definition>,
    bindings: Vec<Binding>,
    trace: Trace,
    tracing: Tracing,
    mode: Mode,
    /// Inputs read so far (the `N` of `<repl:N>`).
    count: usize,
    last_load: Option<String>,
    tape: tape_mode::TapeState,
    /// The step budget of each run.
    fuel: u64,
}

/// The default step budget of one input's run: an endless loop ends with an out-of-fuel error
/// after a few seconds instead of hanging the REPL.
pub const DEFAULT_FUEL: u64 = 100_000_000;

impl Default for Session {
    fn default() -> Self {
        Session::new(Mode::Avm)
    }
}

impl Session {
    /// A fresh session reading `mode` input.
    pub fn new(mode: Mode) -> Session {
        Session {
            world: World::new(),
            defs: Vec::new(),
            bindings: Vec::new(),
            trace: Trace::new(),
            tracing: Tracing::Off,
            mode,
            count: 0,
            last_load: None,
            tape: tape_mode::TapeState::new(),
            fuel: DEFAULT_FUEL,
        }
    }

    /// Sets the step budget of each run (`avmc repl --fuel N`).
    pub fn set_fuel(&mut self, fuel: u64) {
        self.fuel = fuel;
    }

    /// The current mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The prompt for the next input.
    pub fn prompt(&self) -> &'static str {
        match self.mode {
            Mode::Avm => "avm> ",
            Mode::Tape => "tape> ",
        }
    }

    /// The world the session runs against.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The definitions kept so far, in order.
    pub fn definitions(&self) -> &[Definition] {
        &self.defs
    }

    /// The bindings made at the prompt.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// Whether `text` needs more lines: it is language input (not a command, not Tape mode)
    /// and the parser reports only that the input ended too early.
    pub fn needs_more(&self, text: &str) -> bool {
        if self.mode == Mode::Tape || text.trim_start().starts_with(':') {
            return false;
        }
        crate::syntax::parse_repl(FileId(0), text).completeness
            == crate::syntax::Completeness::Incomplete
    }

    /// Evaluates one (possibly multi-line) input.
    pub fn eval(&mut self, input: &str, host: &mut dyn ReplHost) -> Reply {
        self.count += 1;
        let name = format!("<repl:{}>", self.count);
        if input.trim().is_empty() {
            return Reply::new();
        }
        if input.trim_start().starts_with(':') {
            return match command::parse(input) {
                Ok(c) => self.command(c, &name, input, host),
                Err(e) => error_reply(&e, &name, input),
            };
        }
        match self.mode {
            Mode::Avm => self.eval_avm(&name, input, host),
            Mode::Tape => self.eval_tape_op(&name, input, host),
        }
    }

    fn command(&mut self, c: Command, name: &str, input: &str, host: &mut dyn ReplHost) -> Reply {
        match c {
            Command::Help => Reply::text(command::help()),
            Command::Quit => {
                let mut r = Reply::new();
                r.control = Control::Quit;
                r
            }
            Command::Load(path) => self.load(name, input, &path, host),
            Command::Reload => match self.last_load.clone() {
                Some(path) => self.load(name, input, &path, host),
                None => error_reply(
                    &ReplError::BadArgument {
                        command: ":reload",
                        found: String::new(),
                        expected: "an earlier `:load FILE`",
                    },
                    name,
                    input,
                ),
            },
            Command::Reset => {
                let (mode, count, fuel) = (self.mode, self.count, self.fuel);
                *self = Session::new(mode);
                self.count = count;
                self.fuel = fuel;
                Reply::text("session reset: no definitions, no bindings, an empty world")
            }
            Command::Type(expr) => self.show_type(name, input, &expr, host),
            Command::Itree(expr) => self.show_code(name, input, &expr, show::Code::Itree, host),
            Command::Tape(expr) => self.show_code(name, input, &expr, show::Code::Tape, host),
            Command::Trace(t) => {
                self.tracing = t;
                Reply::text(match t {
                    Tracing::On => "trace on",
                    Tracing::Off => "trace off",
                })
            }
            Command::Objects => Reply::text(inspect::objects(&self.world)),
            Command::State(obj) => match inspect::state(self, &obj) {
                Ok(text) => Reply::text(text),
                Err(e) => error_reply(&e, name, input),
            },
            Command::Msc(path) => {
                let chart = crate::msc::render(&self.trace);
                match host.write_file(&path, &chart) {
                    Ok(()) => Reply::text(format!("wrote {path}")),
                    Err(e) => error_reply(&ReplError::file(":msc", path, &e), name, input),
                }
            }
            Command::Mode(m) => {
                self.mode = m;
                Reply::text(match m {
                    Mode::Avm => "mode avm: definitions and statements",
                    Mode::Tape => "mode tape: one Tape op a line (`:regs` shows the registers)",
                })
            }
            Command::Regs => Reply::text(self.tape.regs_text()),
        }
    }
}

/// A reply holding one REPL error, labelled at what it is about: the command word of an
/// unknown command, the argument of a bad one (the end of the line when it is missing), the
/// whole line otherwise.
fn error_reply(e: &ReplError, name: &str, input: &str) -> Reply {
    let mut sources = SourceMap::new();
    let file = sources.add(name, input);
    let trimmed = input.trim_end();
    let start = trimmed.len() - trimmed.trim_start().len();
    let word_end = trimmed[start..]
        .find(char::is_whitespace)
        .map_or(trimmed.len(), |i| start + i);
    let find = |needle: &str| {
        trimmed[word_end..]
            .find(needle)
            .filter(|_| !needle.is_empty())
            .map(|i| Span::new(word_end + i, word_end + i + needle.len()))
    };
    let span = match e {
        ReplError::UnknownCommand { .. } => Span::new(start, word_end),
        ReplError::BadArgument { found, .. } if found.is_empty() => Span::point(trimmed.len()),
        ReplError::BadArgument { found, .. } => {
            find(found).unwrap_or(Span::new(start, trimmed.len()))
        }
        ReplError::File { path, .. } => find(path).unwrap_or(Span::new(start, trimmed.len())),
        ReplError::BadInstruction { .. } => Span::new(start, trimmed.len()),
    };
    let d = e.to_diagnostic(file, span);
    let mut r = Reply::new();
    r.outputs.push(Output::Diagnostics {
        diagnostics: vec![d],
        sources,
    });
    r
}
