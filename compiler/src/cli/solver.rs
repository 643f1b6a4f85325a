//! `avmc run`'s solver flags (`--solver`, `--solver-cmd`, `--solver-timeout`,
//! `--emit-constraints`) and the SMT solver process.
//!
//! Takes the flags; produces the world's solver setup (`avm_vm::solver::NondetSetup`) with a
//! [`ProcessChannel`]: the solver command (`z3 -in` by default) started on first use and kept
//! for the run, SMT-LIB written to its stdin, its stdout read by a thread so that every answer
//! has a deadline (a solver that hangs is killed by pid; one that prints garbage is a clear
//! error). This file owns the process IO; the VM only sees the `Solver` trait. After the run it
//! prints the recorded constraint IR and the notes of `--solver smt`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};

use avm_compiler::diagnostics::driver::DriverError;
use avm_vm::solver::smtlib::{SmtChannel, SmtLibSolver, response_complete};
use avm_vm::solver::{Recording, SolverFailure, Strategy};
use avm_vm::world::World;

/// The solver command when `--solver-cmd` is not given.
pub const DEFAULT_SOLVER_CMD: &str = "z3 -in";

/// The answer deadline when `--solver-timeout` is not given (milliseconds).
pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;

/// The solver flags of `avmc run`.
#[derive(Args, Debug, Clone)]
pub struct SolverArgs {
    /// How `choose` / `require` are resolved at commit: depth-first re-runs (`dfs`, the
    /// default), an SMT solver (`smt`; requirements it cannot take keep the depth-first
    /// search, with a note why), or per transaction by problem size (`auto`).
    #[arg(long, value_enum, default_value_t = SolverKind::Dfs)]
    pub solver: SolverKind,
    /// The SMT solver command, reading SMT-LIB 2 on stdin [default: `z3 -in`]. Split at
    /// spaces: the program, then its arguments.
    #[arg(long)]
    pub solver_cmd: Option<String>,
    /// How long to wait for each solver answer, in milliseconds [default: 10000].
    #[arg(long)]
    pub solver_timeout: Option<u64>,
    /// Print the constraint IR of every transaction with choices or requirements to stdout
    /// (instead of the program's output): `json`, or `smt2` (SMT-LIB 2 for `z3 -in`).
    #[arg(long, value_enum)]
    pub emit_constraints: Option<ConstraintFormat>,
}

/// `--solver`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SolverKind {
    Dfs,
    Smt,
    Auto,
}

/// `--emit-constraints`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstraintFormat {
    Json,
    Smt2,
}

/// Whether `program` can be started: a path that exists, or a name found on `PATH`.
fn program_exists(program: &str) -> bool {
    if program.contains('/') {
        return std::path::Path::new(program).is_file();
    }
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| dir.join(program).is_file())
    })
}

/// Installs the solver setup in `world`. `--solver smt` with no solver program is E0016; an
/// empty `--solver-cmd` is E0017. `auto` without a solver program searches depth-first.
pub fn setup(args: &SolverArgs, world: &mut World) -> Result<(), DriverError> {
    let strategy = match args.solver {
        SolverKind::Dfs => Strategy::Dfs,
        SolverKind::Smt => Strategy::Smt,
        SolverKind::Auto => Strategy::Auto,
    };
    world.nondet.strategy = strategy;
    if args.emit_constraints.is_some() {
        world.nondet.recording = Recording::On;
    }
    if strategy == Strategy::Dfs {
        return Ok(());
    }
    let command = args.solver_cmd.as_deref().unwrap_or(DEFAULT_SOLVER_CMD);
    let words: Vec<String> = command.split_whitespace().map(str::to_string).collect();
    let Some(program) = words.first() else {
        return Err(DriverError::SolverCommandEmpty);
    };
    if !program_exists(program) {
        if strategy == Strategy::Smt {
            return Err(DriverError::SolverNotFound {
                program: program.clone(),
            });
        }
        return Ok(());
    }
    let timeout = Duration::from_millis(args.solver_timeout.unwrap_or(DEFAULT_TIMEOUT_MS));
    world.nondet.solver = Some(Box::new(SmtLibSolver(ProcessChannel::new(words, timeout))));
    Ok(())
}

/// A running solver process.
struct Running {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

/// An SMT solver process as an [`SmtChannel`]: started on first use, killed on a timeout or a
/// pipe failure (the next use starts a new one) and when dropped.
#[derive(Debug)]
pub struct ProcessChannel {
    words: Vec<String>,
    timeout: Duration,
    running: Option<RunningHandle>,
}

/// [`Running`] with a `Debug` that shows the pid.
struct RunningHandle(Running);

impl std::fmt::Debug for RunningHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "solver pid {}", self.0.child.id())
    }
}

impl ProcessChannel {
    /// A channel to `words` (program and arguments) with an answer deadline.
    pub fn new(words: Vec<String>, timeout: Duration) -> Self {
        ProcessChannel {
            words,
            timeout,
            running: None,
        }
    }

    fn start(&mut self) -> Result<&mut Running, SolverFailure> {
        if self.running.is_none() {
            let (program, rest) = self.words.split_first().ok_or(SolverFailure::Start {
                command: String::new(),
                reason: "empty command".into(),
            })?;
            let mut child = Command::new(program)
                .args(rest)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| SolverFailure::Start {
                    command: self.words.join(" "),
                    reason: e.to_string(),
                })?;
            let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
                let _ = child.kill();
                let _ = child.wait();
                return Err(SolverFailure::Io("the solver's pipes are missing".into()));
            };
            let (tx, rx) = channel();
            // The reader ends when the process's stdout closes (it exits or is killed).
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
            self.running = Some(RunningHandle(Running {
                child,
                stdin,
                lines: rx,
            }));
        }
        match self.running.as_mut() {
            Some(r) => Ok(&mut r.0),
            None => Err(SolverFailure::Io("the solver is not running".into())),
        }
    }

    /// Kills the process (by its handle's pid) and reaps it.
    fn stop(&mut self) {
        if let Some(RunningHandle(mut r)) = self.running.take() {
            let _ = r.child.kill();
            let _ = r.child.wait();
        }
    }
}

impl Drop for ProcessChannel {
    fn drop(&mut self) {
        self.stop();
    }
}

impl SmtChannel for ProcessChannel {
    fn send(&mut self, text: &str) -> Result<(), SolverFailure> {
        let running = self.start()?;
        let written = running
            .stdin
            .write_all(text.as_bytes())
            .and_then(|()| running.stdin.flush());
        if let Err(e) = written {
            self.stop();
            return Err(SolverFailure::Io(e.to_string()));
        }
        Ok(())
    }

    fn receive(&mut self) -> Result<String, SolverFailure> {
        let timeout = self.timeout;
        let deadline = Instant::now() + timeout;
        let running = self.start()?;
        let mut response = String::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match running.lines.recv_timeout(left) {
                Ok(line) => {
                    if response.is_empty() && line.trim().is_empty() {
                        continue;
                    }
                    response.push_str(&line);
                    response.push('\n');
                    if response_complete(&response) {
                        return Ok(response);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    self.stop();
                    return Err(SolverFailure::Timeout {
                        millis: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
                    });
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.stop();
                    return Err(if response.trim().is_empty() {
                        SolverFailure::Io("the solver exited without answering".into())
                    } else {
                        SolverFailure::Garbled { response }
                    });
                }
            }
        }
    }
}

/// After the run: the recorded constraint IR on stdout (when asked for).
pub fn emit(args: &SolverArgs, world: &World) {
    match args.emit_constraints {
        Some(ConstraintFormat::Json) => {
            let text = avm_compiler::constraints::to_json(&world.nondet.recorded, world);
            // A closed pipe (`| head`) ends the output quietly.
            let _ = writeln!(std::io::stdout().lock(), "{text}");
        }
        Some(ConstraintFormat::Smt2) => {
            let text = avm_compiler::constraints::to_smt2(&world.nondet.recorded);
            let _ = write!(std::io::stdout().lock(), "{text}");
        }
        None => {}
    }
}

/// The notes of `--solver smt` (requirements that kept the depth-first search) on stderr.
pub fn print_notes(format: super::ErrorFormat, world: &World) {
    for note in &world.nondet.notes {
        match format {
            super::ErrorFormat::Human => eprintln!("note: {note}"),
            super::ErrorFormat::Json => eprintln!(
                "{}",
                serde_json::json!({ "severity": "note", "message": note.to_string() })
            ),
        }
    }
}
