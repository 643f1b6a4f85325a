//! The SMT solver process behind `avmc run --solver smt|auto`: an
//! `avm_vm::solver::smtlib::SmtChannel` over a child process.
//!
//! Takes the solver command (program and arguments) and an answer deadline; produces
//! [`ProcessChannel`]: the process is started on first use and kept for the run (each problem
//! begins with `(reset)`), SMT-LIB is written to its stdin, its stdout is read line by line by a
//! thread so that every answer has a deadline. A solver that hangs is killed (by its child
//! handle) and reaped; one that prints garbage or exits is a clear `SolverFailure`. This file is
//! the only place that starts solver processes (the benchmark `compiler/benches/solver.rs`
//! includes it by path).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use avm_vm::solver::SolverFailure;
use avm_vm::solver::smtlib::{SmtChannel, response_complete};

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
