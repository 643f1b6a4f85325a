//! `avmc repl`: the terminal front end of `avm_compiler::repl::Session`.
//!
//! Takes the terminal (rustyline: line editing, history, Tab completion, multi-line input that
//! continues while the parser reports only an unexpected end of input) or, when stdin is not a
//! terminal, plain lines; produces the session's replies on stdout. Does the IO the session
//! leaves out: reading `:load` files and imported modules, writing `:msc` charts, the history
//! file (`$XDG_STATE_HOME/avmc/history`, else `~/.avmc_history`; none with `--no-history`).

use std::borrow::Cow;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Editor, Helper};

use avm_compiler::diagnostics::render::ColorChoice;
use avm_compiler::pipeline::SourceLoader;
use avm_compiler::repl::{Control, Mode, ReplHost, Session};

use super::loader::FsLoader;

/// Whether the history file is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    Keep,
    Off,
}

/// Files relative to the current directory; imports next to it (and `std`).
struct Host {
    loader: FsLoader,
}

impl SourceLoader for Host {
    fn load_text(&mut self, path: &str) -> Option<(String, String)> {
        self.loader.load_text(path)
    }
}

impl ReplHost for Host {
    fn read_file(&mut self, path: &str) -> Result<String, std::io::Error> {
        let text = std::fs::read_to_string(path)?;
        // Imports of a loaded file are found next to it.
        if let Some(dir) = std::path::Path::new(path).parent() {
            self.loader.root_dir = if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir.to_path_buf()
            };
        }
        Ok(text)
    }

    fn write_file(&mut self, path: &str, text: &str) -> Result<(), std::io::Error> {
        std::fs::write(path, text)
    }

    fn is_file(&mut self, path: &str) -> bool {
        std::path::Path::new(path).is_file()
    }
}

/// The rustyline helper: owns the session so completion and validation can ask it.
struct ReplHelper {
    session: Session,
    color: ColorChoice,
}

impl Completer for ReplHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(self.session.complete(line, pos))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}

impl Highlighter for ReplHelper {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        match self.color {
            ColorChoice::On => Cow::Owned(format!("\x1b[1;32m{prompt}\x1b[0m")),
            ColorChoice::Off => Cow::Borrowed(prompt),
        }
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        if self.session.needs_more(ctx.input()) {
            Ok(ValidationResult::Incomplete)
        } else {
            Ok(ValidationResult::Valid(None))
        }
    }
}

impl Helper for ReplHelper {}

/// The history file: `$XDG_STATE_HOME/avmc/history`, else `~/.avmc_history`.
fn history_path() -> Option<PathBuf> {
    if let Some(state) = std::env::var_os("XDG_STATE_HOME").filter(|s| !s.is_empty()) {
        let dir = PathBuf::from(state).join("avmc");
        std::fs::create_dir_all(&dir).ok()?;
        return Some(dir.join("history"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".avmc_history"))
}

/// How `avmc repl` was started.
pub struct Options {
    pub color: ColorChoice,
    pub history: History,
    pub mode: Mode,
    /// The step budget of each run (`--fuel`), or the session's default.
    pub fuel: Option<u64>,
}

/// Runs the REPL until `:quit` or end of input. Returns the exit status.
pub fn run(options: &Options) -> u8 {
    let (color, history) = (options.color, options.history);
    let mut host = Host {
        loader: FsLoader::new(PathBuf::from(".")),
    };
    let mut session = Session::new(options.mode);
    if let Some(fuel) = options.fuel {
        session.set_fuel(fuel);
    }
    if !std::io::stdin().is_terminal() {
        return run_plain(session, &mut host, color);
    }
    let mut editor: Editor<ReplHelper, DefaultHistory> = match Editor::new() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot start the line editor: {e}");
            return 1;
        }
    };
    editor.set_helper(Some(ReplHelper { session, color }));
    let history_file = match history {
        History::Keep => history_path(),
        History::Off => None,
    };
    if let Some(path) = &history_file {
        // A missing history file is normal on the first run.
        let _ = editor.load_history(path);
    }
    println!("avmc repl — :help for commands, :quit to leave");
    loop {
        let prompt = match editor.helper() {
            Some(h) => h.session.prompt(),
            None => "avm> ",
        };
        match editor.readline(prompt) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                let Some(helper) = editor.helper_mut() else {
                    break;
                };
                let reply = helper.session.eval(&line, &mut host);
                print!("{}", reply.render(color));
                let _ = std::io::stdout().flush();
                if reply.control == Control::Quit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("error: {e}");
                break;
            }
        }
    }
    if let Some(path) = &history_file
        && let Err(e) = editor.save_history(path)
    {
        eprintln!(
            "warning: cannot write the history file {}: {e}",
            path.display()
        );
    }
    0
}

/// Reads inputs from a pipe: lines join while the input needs more.
fn run_plain(mut session: Session, host: &mut Host, color: ColorChoice) -> u8 {
    let stdin = std::io::stdin();
    let mut pending = String::new();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(&line);
        if session.needs_more(&pending) {
            continue;
        }
        let reply = session.eval(&pending, host);
        pending.clear();
        print!("{}", reply.render(color));
        if reply.control == Control::Quit {
            return 0;
        }
    }
    if !pending.is_empty() {
        print!("{}", session.eval(&pending, host).render(color));
    }
    0
}
