//! `avmc run`'s solver flags (`--solver`, `--solver-cmd`, `--solver-timeout`,
//! `--emit-constraints`).
//!
//! Takes the flags; produces the world's solver setup (`avm_vm::solver::NondetSetup`) with a
//! [`ProcessChannel`] to the solver command (`z3 -in` by default; the process IO is in
//! `solver_process.rs`, the VM only sees the `Solver` trait). After the run it prints the
//! recorded constraint IR and the notes of `--solver smt`.

use std::io::Write;
use std::time::Duration;

use clap::{Args, ValueEnum};

use avm_compiler::diagnostics::driver::DriverError;
use avm_vm::solver::smtlib::SmtLibSolver;
use avm_vm::solver::{Recording, Strategy};
use avm_vm::world::World;

use super::solver_process::ProcessChannel;

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
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
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
