//! Solving commit-time nondeterminism (runtime guidance R1): the constraint IR, its SMT-LIB
//! translation and the [`Solver`] interface.
//!
//! Takes a transaction's recorded run (choice points, requirement values) and the FD store;
//! produces a [`ir::Problem`] and, through a [`Solver`], a model (an option index per choice)
//! or an unsat core. The VM never trusts a model: `isa::nondet` replays the transaction with
//! it and every `require` is evaluated again before the commit.
//!
//! The VM does no IO: a [`Solver`] that talks to a process (`z3 -in`) is the host's to provide
//! (`avmc`'s is in `compiler/src/cli/solver.rs`); it plugs into the world's [`NondetSetup`]
//! like the cluster transport does.

pub mod ir;
pub mod smtlib;

use std::fmt;

use crate::ids::TxId;
use ir::{Problem, RequirePlace, Untranslatable};
use smtlib::Query;

/// How a transaction's commit-time choices are resolved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Strategy {
    /// Depth-first re-runs of the transaction (the reference behaviour).
    #[default]
    Dfs,
    /// The SMT solver when every requirement translates; else depth-first (with a note).
    Smt,
    /// Per transaction: the SMT solver when every requirement translates, a solver is set and
    /// the depth-first search space is larger than [`AUTO_DFS_LIMIT`]; else depth-first.
    Auto,
}

/// `auto` searches depth-first when the product of the option counts is at most this (a
/// solver process round trip costs about as much as this many re-runs of a small body).
pub const AUTO_DFS_LIMIT: u128 = 256;

/// A solver's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A model: the option index of each choice.
    Sat(Vec<usize>),
    /// No model; the requirement indices of an unsat core.
    Unsat(Vec<usize>),
}

/// Why a solver gave no verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SolverFailure {
    /// The solver process could not be started.
    Start {
        /// The command.
        command: String,
        /// The OS's reason.
        reason: String,
    },
    /// Reading or writing the solver's pipes failed, or it exited.
    Io(String),
    /// No complete answer within the time limit.
    Timeout {
        /// The limit in milliseconds.
        millis: u64,
    },
    /// An answer that is not the SMT-LIB response expected (or an error message).
    Garbled {
        /// What the solver said.
        response: String,
    },
    /// The solver answered `unknown`.
    Unknown,
}

impl fmt::Display for SolverFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SolverFailure::Start { command, reason } => {
                write!(f, "cannot start the solver `{command}`: {reason}")
            }
            SolverFailure::Io(reason) => write!(f, "the solver's pipe failed: {reason}"),
            SolverFailure::Timeout { millis } => {
                write!(f, "the solver did not answer within {millis} ms")
            }
            SolverFailure::Garbled { response } => {
                let shown: String = response.chars().take(120).collect();
                write!(f, "the solver's answer is not SMT-LIB: `{shown}`")
            }
            SolverFailure::Unknown => f.write_str("the solver answered `unknown`"),
        }
    }
}

/// A solver of commit-time problems.
pub trait Solver {
    /// Solves a query (see [`smtlib::encode`]).
    fn solve(&mut self, query: &Query) -> Result<Answer, SolverFailure>;
}

/// Something the strategy decided that the user asked to hear about (`--solver smt`).
#[derive(Clone, Debug, PartialEq)]
pub enum SolverNote {
    /// A requirement kept the transaction on the depth-first search.
    KeptDfs {
        /// The transaction.
        tx: TxId,
        /// The requirement's place, when known.
        place: Option<RequirePlace>,
        /// Its position among the run's `require`s (0-based).
        index: usize,
        /// Why it does not translate.
        reason: Untranslatable,
    },
}

impl fmt::Display for SolverNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SolverNote::KeptDfs {
                tx,
                place,
                index,
                reason,
            } => {
                match place {
                    Some(p) => write!(f, "requirement at {p}")?,
                    None => write!(f, "requirement #{}", index + 1)?,
                }
                write!(
                    f,
                    " cannot go to the SMT solver ({reason}); transaction {tx} is solved depth-first"
                )
            }
        }
    }
}

/// Whether problems are recorded for `--emit-constraints`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Recording {
    /// Nothing is kept.
    #[default]
    Off,
    /// The problem of every transaction with choices or requirements is kept.
    On,
}

/// The world's solver service: strategy, solver, recorded problems and notes.
#[derive(Default)]
pub struct NondetSetup {
    /// How choices are resolved.
    pub strategy: Strategy,
    /// The solver `smt` / `auto` use (none: always depth-first).
    pub solver: Option<Box<dyn Solver>>,
    /// Whether to record problems.
    pub recording: Recording,
    /// Recorded problems (first run of each transaction, in commit order).
    pub recorded: Vec<Problem>,
    /// Notes for the user.
    pub notes: Vec<SolverNote>,
}

impl fmt::Debug for NondetSetup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NondetSetup")
            .field("strategy", &self.strategy)
            .field("solver", &self.solver.is_some())
            .field("recording", &self.recording)
            .field("recorded", &self.recorded.len())
            .field("notes", &self.notes)
            .finish()
    }
}

/// The depth-first search space of a problem (the product of its option counts).
pub fn search_space(problem: &Problem) -> u128 {
    problem
        .choices
        .iter()
        .fold(1u128, |acc, c| acc.saturating_mul(c.options.len() as u128))
}
