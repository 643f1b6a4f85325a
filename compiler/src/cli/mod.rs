//! The `avmc` command line: argument parsing (clap) and the commands `check`, `compile`, `run`,
//! `explain`, `fmt` ([`fmt`]), `lsp` ([`lsp`]) and `repl` (its front end is [`repl`]).
//!
//! Takes the process arguments, files and environment; produces text on stdout/stderr and the
//! exit status: 0 success, 1 compile errors (or unreadable / invalid input files, or a usage
//! error), 2 runtime failure. This module is the only place the toolchain does IO.

mod files;
mod fmt;
mod loader;
mod lsp;
mod repl;
mod run_limits;
mod run_loop;
mod solver;
mod solver_process;
mod world;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use avm_compiler::diagnostics::driver::{
    DriverError, OutputKind, PlainDiagnostic, SourceFlag, near_names,
};
use avm_compiler::diagnostics::render::{
    ColorChoice, json_document, json_items, plain_json_item, render_all, render_plain,
};
use avm_compiler::diagnostics::runtime::runtime_failure;
use avm_compiler::diagnostics::{Code, Diagnostic, REGISTRY};
use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{CompileOutcome, Stage, compile};
use avm_compiler::syntax::span::SourceMap;
use avm_vm::itree::{Limits, RunConfig};
use avm_vm::trace::{TraceMode, TraceView};
use avm_vm::world::World;

/// The AVM toolchain: check, compile and run `.avm` programs.
#[derive(Parser, Debug)]
#[command(name = "avmc", version, about, long_about = None)]
struct Cli {
    /// When to colour diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// How to print diagnostics: ariadne text for people, or a JSON array for tools.
    #[arg(long, global = true, value_enum, default_value_t = ErrorFormat::Human)]
    error_format: ErrorFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Parse, resolve and type-check files; print diagnostics. Exit 1 on any error.
    Check {
        /// The `.avm` files to check (each is a root; its imports are loaded next to it).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Compile a file; print an intermediate form (`--emit`) and/or write the Tape program (`-o`).
    ///
    /// With neither `--emit` nor `-o`, only reports whether the file compiles (diagnostics on
    /// stderr, exit 1 on an error, no output otherwise).
    Compile {
        /// The root `.avm` file.
        file: PathBuf,
        /// Write the Tape program to this file; `avmc run OUT.tape` runs it.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// The format of the `-o` file: binary (compact, the default) or text (`docs/tape.md`).
        #[arg(long, value_enum, requires = "output")]
        format: Option<files::TapeFormat>,
        /// Print this stage's result to stdout.
        #[arg(long, value_enum)]
        emit: Option<Emit>,
    },
    /// Run a program (`.avm` source or `.tape` text/binary) and print `main`'s value.
    ///
    /// Lines printed by `print(v)` come first, then the value of `main` in source syntax.
    /// Exit status 2 and the AVM error on stderr when the run fails.
    Run {
        /// The `.avm` or `.tape` file.
        file: PathBuf,
        /// Print the trace (spec convention, plus output and state-update events) to stderr.
        #[arg(long)]
        trace: bool,
        /// Write a message sequence chart of the run to this file: a self-contained HTML page
        /// for `.html` (lanes, arrows, transaction boxes; open it in a browser), Mermaid text
        /// for any other name (`.mmd`).
        #[arg(long)]
        msc: Option<PathBuf>,
        /// The interpreter: the Tape interpreter (default) or the reference ITree interpreter.
        #[arg(long, value_enum)]
        engine: Option<Engine>,
        /// Stop after this many steps of work (an error, exit 2): one per op, plus one per 64
        /// elements an op copies or scans (`docs/tape.md`). Default: no limit.
        #[arg(long)]
        fuel: Option<u64>,
        /// The maximum number of nested frames (calls of functions and objects). Default:
        /// 10000000.
        #[arg(long)]
        max_depth: Option<usize>,
        /// The controller that objects created without `by` get [default: main]. It is
        /// compiled into the program, so a `.tape` file keeps the one it was compiled with.
        #[arg(long)]
        controller: Option<String>,
        #[command(flatten)]
        bounds: run_limits::RunBounds,
        #[command(flatten)]
        solver: solver::SolverArgs,
        /// Run against the durable world stored in this file (created on first use): objects,
        /// names, code, the pure registry and the clock outlive the run (`docs/world.md`).
        #[arg(long)]
        world: Option<PathBuf>,
    },
    /// Inspect a durable world: its objects, names and commits; check, export or import it.
    World {
        /// The world file.
        path: PathBuf,
        #[command(subcommand)]
        action: world::WorldAction,
    },
    /// Start the interactive REPL (`docs/repl.md`).
    Repl {
        /// Do not read or write the history file.
        #[arg(long)]
        no_history: bool,
        /// Start in raw Tape mode (one Tape op a line).
        #[arg(long)]
        tape: bool,
        /// The step budget of each input's run (default 100000000).
        #[arg(long)]
        fuel: Option<u64>,
    },
    /// Start the language server on stdin/stdout (for editors; see `editors/README.md`).
    Lsp,
    /// Format `.avm` files in place in the one canonical layout (comments kept).
    ///
    /// A file with syntax errors is left alone (its errors are printed, exit 1).
    Fmt {
        /// The `.avm` files to format.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Write nothing: print a diff of each file that is not formatted and exit 1 if any.
        #[arg(long)]
        check: bool,
    },
    /// Explain a diagnostic code (`avmc explain E0401`), or list all codes (`--list`).
    Explain {
        /// The code, e.g. `E0401`.
        code: Option<String>,
        /// List every code with its title.
        #[arg(long)]
        list: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ErrorFormat {
    Human,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Emit {
    /// The root file's tokens, `start..end Token` a line.
    Tokens,
    /// The parsed modules, pretty-printed.
    Ast,
    /// The type of every function, object field and method after type checking.
    Typed,
    /// The ITree program: behaviours, functions, the pure registry, the entry.
    Itree,
    /// The Tape program in the text format (`docs/tape.md`).
    Tape,
    /// The control-flow graph of every Tape function, as Mermaid flowcharts.
    Cfg,
    /// The control-flow graphs as pictures: one self-contained HTML page of SVG drawings
    /// (`avmc compile f.avm --emit cfg-html > cfg.html`).
    CfgHtml,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Engine {
    Tape,
    Itree,
}

/// Process exit statuses.
const EXIT_COMPILE: u8 = 1;
const EXIT_RUNTIME: u8 = 2;
/// The run stopped because its stdout was closed (128 + SIGPIPE, what a shell reports for a
/// program killed by the signal).
pub(crate) const EXIT_OUTPUT_CLOSED: u8 = 141;

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    // A usage error exits 1 like any other invalid input (clap's own status, 2, is the status
    // of a runtime failure); `--help` and `--version` print on stdout and exit 0.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_COMPILE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let color = match cli.color {
        Color::Always => ColorChoice::On,
        Color::Never => ColorChoice::Off,
        Color::Auto => {
            if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
                ColorChoice::On
            } else {
                ColorChoice::Off
            }
        }
    };
    let out = Output {
        color,
        format: cli.error_format,
        json: std::cell::RefCell::new(Vec::new()),
    };
    let reports = matches!(
        cli.command,
        Command::Check { .. } | Command::Compile { .. } | Command::Run { .. }
    );
    let status = match cli.command {
        Command::Check { files } => check(&out, &files),
        Command::Compile {
            file,
            output,
            format,
            emit,
        } => compile_cmd(
            &out,
            &file,
            output.map(|o| (o, format.unwrap_or(files::TapeFormat::Binary))),
            emit,
        ),
        Command::Run {
            file,
            trace,
            msc,
            engine,
            fuel,
            max_depth,
            controller,
            bounds,
            solver,
            world,
        } => run_cmd(
            &out,
            &RunArgs {
                file,
                trace,
                msc,
                engine,
                fuel,
                max_depth,
                controller,
                bounds,
                solver,
                world,
            },
        ),
        Command::World { path, action } => world::world_cmd(&out, &path, &action),
        Command::Explain { code, list } => explain(code, list),
        Command::Lsp => lsp::run(),
        Command::Fmt { files, check } => fmt::run(
            &out,
            &files,
            if check {
                fmt::FmtMode::Check
            } else {
                fmt::FmtMode::Write
            },
        ),
        Command::Repl {
            no_history,
            tape,
            fuel,
        } => repl::run(&repl::Options {
            color: repl_color(cli.color),
            history: if no_history {
                repl::History::Off
            } else {
                repl::History::Keep
            },
            mode: if tape {
                avm_compiler::repl::Mode::Tape
            } else {
                avm_compiler::repl::Mode::Avm
            },
            fuel,
        }),
    };
    if reports {
        out.finish();
    }
    ExitCode::from(status)
}

/// The REPL's colour: it prints to stdout, so `auto` asks whether stdout is a terminal.
fn repl_color(color: Color) -> ColorChoice {
    match color {
        Color::Always => ColorChoice::On,
        Color::Never => ColorChoice::Off,
        Color::Auto
            if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() =>
        {
            ColorChoice::On
        }
        Color::Auto => ColorChoice::Off,
    }
}

/// How diagnostics are printed.
struct Output {
    color: ColorChoice,
    format: ErrorFormat,
    /// With `--error-format json`, every diagnostic of the invocation, printed as one JSON
    /// array by [`Output::finish`].
    json: std::cell::RefCell<Vec<String>>,
}

impl Output {
    fn diagnostics(&self, outcome: &CompileOutcome) {
        self.print(&outcome.diagnostics, &outcome.sources);
    }

    fn print(&self, diags: &[Diagnostic], sources: &avm_compiler::syntax::span::SourceMap) {
        if diags.is_empty() && self.format == ErrorFormat::Human {
            return;
        }
        match self.format {
            ErrorFormat::Human => eprint!("{}", render_all(diags, sources, self.color)),
            ErrorFormat::Json => self.json.borrow_mut().extend(json_items(diags, sources)),
        }
    }

    /// An error that is not about source text (a bad `.tape`, a flag that does not apply).
    fn plain_error(&self, code: Option<Code>, message: &str) {
        self.plain_error_with_help(code, message, None);
    }

    /// An error without a source span, with an optional `help:` line.
    fn plain_error_with_help(&self, code: Option<Code>, message: &str, help: Option<&str>) {
        self.plain(&PlainDiagnostic::new(
            code,
            message,
            help.map(str::to_string),
        ));
    }

    /// A diagnostic without a source span, in the chosen format.
    fn plain(&self, diag: &PlainDiagnostic) {
        match self.format {
            ErrorFormat::Human => eprint!("{}", render_plain(diag)),
            ErrorFormat::Json => self.json.borrow_mut().push(plain_json_item(diag)),
        }
    }

    /// Prints the one JSON document of the invocation (`[]` when nothing was reported).
    fn finish(&self) {
        if self.format == ErrorFormat::Json {
            eprintln!("{}", json_document(&self.json.take()));
        }
    }

    /// A file the command cannot use (E00xx).
    fn driver_error(&self, error: &DriverError) {
        self.plain(&error.to_plain());
    }
}

/// The driver error for an input file that cannot be read; for a missing file, a near name
/// that exists (`x.avm` for `x`, `x/main.avm` for `x.avm`).
fn with_near_name(file: &Path, e: DriverError) -> DriverError {
    match e {
        DriverError::NotFound { path, .. } => DriverError::NotFound {
            path,
            suggestion: near_names(file)
                .into_iter()
                .find(|p| p.is_file())
                .map(|p| p.display().to_string()),
        },
        other => other,
    }
}

fn read(out: &Output, file: &Path) -> Option<String> {
    match files::read_text(file) {
        Ok(t) => Some(t),
        Err(e) => {
            out.driver_error(&with_near_name(file, e));
            None
        }
    }
}

fn compile_file(
    out: &Output,
    file: &Path,
    stop_after: Stage,
    options: &LowerOptions,
) -> Option<CompileOutcome> {
    if file.extension().is_some_and(|e| e == "tape") {
        out.driver_error(&DriverError::TapeGivenToSourceCommand {
            path: file.display().to_string(),
        });
        return None;
    }
    let text = read(out, file)?;
    let dir = file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let mut loader = loader::FsLoader::new(dir);
    Some(compile(
        &file.display().to_string(),
        &text,
        &mut loader,
        stop_after,
        options,
    ))
}

fn check(out: &Output, files: &[PathBuf]) -> u8 {
    let mut status = 0;
    for file in files {
        match compile_file(out, file, Stage::Typed, &LowerOptions::default()) {
            None => status = EXIT_COMPILE,
            Some(outcome) => {
                out.diagnostics(&outcome);
                if outcome.has_errors() {
                    status = EXIT_COMPILE;
                }
            }
        }
    }
    status
}

fn compile_cmd(
    out: &Output,
    file: &Path,
    output: Option<(PathBuf, files::TapeFormat)>,
    emit: Option<Emit>,
) -> u8 {
    let stage = match emit {
        Some(Emit::Tokens) => Stage::Tokens,
        Some(Emit::Ast) => Stage::Ast,
        Some(Emit::Typed) => Stage::Typed,
        Some(Emit::Itree) if output.is_none() => Stage::Itree,
        _ => Stage::Tape,
    };
    let Some(outcome) = compile_file(out, file, stage, &LowerOptions::default()) else {
        return EXIT_COMPILE;
    };
    out.diagnostics(&outcome);
    if outcome.has_errors() {
        return EXIT_COMPILE;
    }
    match emit {
        Some(Emit::Tokens) => print!("{}", outcome.tokens),
        Some(Emit::Ast) => {
            if let Some(p) = &outcome.program {
                for m in &p.modules {
                    print!("{}", avm_compiler::syntax::pretty::print_module(&m.module));
                }
            }
        }
        Some(Emit::Typed) => {
            if let Some(t) = &outcome.typed {
                print!("{}", typed_summary(t));
            }
        }
        Some(Emit::Itree) => {
            if let Some(p) = &outcome.itree {
                print!("{p}");
            }
        }
        Some(Emit::Tape) => {
            if let Some(t) = &outcome.tape {
                print!("{}", avm_vm::tape::text::print_program(t));
            }
        }
        Some(Emit::Cfg) => {
            if let Some(t) = &outcome.tape {
                for f in &t.functions {
                    let cfg = avm_vm::tape::cfg::Cfg::build(f);
                    println!("{}", cfg.to_mermaid(f));
                }
            }
        }
        Some(Emit::CfgHtml) => {
            if let Some(t) = &outcome.tape {
                let title = file.display().to_string();
                print!("{}", avm_vm::tape::cfg_svg::program_page(t, &title));
            }
        }
        None => {}
    }
    if let Some((path, format)) = output {
        let Some(t) = &outcome.tape else {
            return EXIT_COMPILE;
        };
        if let Err(e) = files::write_tape(&path, t, format) {
            out.driver_error(&e);
            return EXIT_COMPILE;
        }
    }
    0
}

/// The signatures of a typed program: one line per function, object field and method.
fn typed_summary(t: &avm_compiler::typeck::TypedProgram) -> String {
    let defs = &t.resolution.defs;
    let mut s = String::new();
    let sig_line = |f: &avm_compiler::typeck::signatures::FnSig| -> String {
        let params: Vec<String> = f
            .param_names
            .iter()
            .zip(&f.params)
            .map(|(n, ty)| format!("{n}: {}", ty.display(defs, &f.generics)))
            .collect();
        format!(
            "fn {}({}) -> {}",
            f.name,
            params.join(", "),
            f.ret.display(defs, &f.generics)
        )
    };
    for f in &t.signatures.fns {
        s.push_str(&sig_line(f));
        s.push('\n');
    }
    for (i, o) in t.signatures.objects.iter().enumerate() {
        s.push_str(&format!("object {} {{\n", defs.objects[i].name));
        for f in &o.fields {
            s.push_str(&format!(
                "  state {}: {}\n",
                f.name,
                f.ty.display(defs, &[])
            ));
        }
        if let Some(init) = &o.init {
            s.push_str(&format!("  {}\n", sig_line(init)));
        }
        for m in &o.methods {
            s.push_str(&format!("  {}\n", sig_line(m)));
        }
        s.push_str("}\n");
    }
    s
}

struct RunArgs {
    file: PathBuf,
    trace: bool,
    msc: Option<PathBuf>,
    engine: Option<Engine>,
    fuel: Option<u64>,
    max_depth: Option<usize>,
    controller: Option<String>,
    bounds: run_limits::RunBounds,
    solver: solver::SolverArgs,
    world: Option<PathBuf>,
}

/// How `avmc run` flags configure the interpreter and the streamed output.
struct RunSetup {
    config: RunConfig,
    keep: run_loop::KeepTrace,
    sink: run_loop::OutputSink,
}

/// Checks the flags that are refused before any run (an unwritable `--msc` path)
/// and builds the interpreter configuration; `None` after reporting the refusal.
fn run_setup(out: &Output, args: &RunArgs) -> Option<RunSetup> {
    // A chart path that cannot be written is refused before the run, not after it.
    if let Some(path) = &args.msc
        && let Err(e) = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
    {
        out.driver_error(&DriverError::Unwritable {
            path: path.display().to_string(),
            kind: OutputKind::Chart,
            reason: e.to_string(),
        });
        return None;
    }
    let mut limits = Limits::default();
    if let Some(f) = args.fuel {
        limits.fuel = f;
    }
    if let Some(d) = args.max_depth {
        limits.max_call_depth = d;
    }
    limits.max_memory = args.bounds.max_memory();
    let keep = if args.trace || args.msc.is_some() {
        run_loop::KeepTrace::All
    } else {
        run_loop::KeepTrace::OutputOnly
    };
    // Without `--trace` or `--msc` only the output is kept: a long run's trace would cost
    // memory nobody reads.
    let trace_mode = if args.trace || args.msc.is_some() {
        TraceMode::On
    } else {
        TraceMode::Outputs
    };
    let config = RunConfig {
        limits,
        trace_mode,
        ..RunConfig::default()
    };
    // `--emit-constraints` writes the constraint IR on stdout instead of the program's output.
    let sink = if args.solver.emit_constraints.is_some() {
        run_loop::OutputSink::Discard
    } else {
        run_loop::OutputSink::Stdout
    };
    Some(RunSetup { config, keep, sink })
}

fn run_cmd(out: &Output, args: &RunArgs) -> u8 {
    let Some(setup) = run_setup(out, args) else {
        return EXIT_COMPILE;
    };
    if let Some(path) = &args.world {
        return world::run_in_world(out, args, &setup, path);
    }
    let RunSetup { config, keep, sink } = setup;
    let is_tape = args.file.extension().is_some_and(|e| e == "tape");
    let mut world = World::new();
    if let Err(e) = solver::setup(&args.solver, &mut world) {
        out.driver_error(&e);
        return EXIT_COMPILE;
    }
    // The sources a runtime failure's location points into.
    let mut sources = SourceMap::new();
    let result = if is_tape {
        let flag = if args.engine == Some(Engine::Itree) {
            Some(SourceFlag::EngineItree)
        } else if args.controller.is_some() {
            Some(SourceFlag::Controller)
        } else {
            None
        };
        if let Some(flag) = flag {
            out.driver_error(&DriverError::SourceFlagOnTape {
                path: args.file.display().to_string(),
                flag,
            });
            return EXIT_COMPILE;
        }
        let Some(program) = load_tape(out, &args.file) else {
            return EXIT_COMPILE;
        };
        register_tape_pure(&program, &mut world);
        let tape_config = avm_vm::tape::interp::RunConfig::from(&config);
        let result = match run_loop::run_tape(
            &program,
            &mut world,
            &tape_config,
            &args.bounds,
            keep,
            sink,
        ) {
            Ok(r) => r,
            Err(e) => {
                out.plain_error(Some(Code::E0601), &format!("{}: {e}", args.file.display()));
                return EXIT_COMPILE;
            }
        };
        if result.failed() {
            sources = files::tape_sources(&program, &args.file);
        }
        result
    } else {
        let engine = args.engine.unwrap_or(Engine::Tape);
        let options = LowerOptions {
            default_controller: Some(args.controller.clone().unwrap_or_else(|| "main".into())),
        };
        let stage = match engine {
            Engine::Tape => Stage::Tape,
            Engine::Itree => Stage::Itree,
        };
        let Some(outcome) = compile_file(out, &args.file, stage, &options) else {
            return EXIT_COMPILE;
        };
        out.diagnostics(&outcome);
        if outcome.has_errors() {
            return EXIT_COMPILE;
        }
        sources = outcome.sources.clone();
        if let Some(typed) = &outcome.typed {
            avm_compiler::typeck::interface::install_interfaces(
                &mut world,
                &avm_compiler::typeck::interface::object_interfaces(typed),
            );
        }
        match (engine, &outcome.itree, &outcome.tape) {
            (Engine::Itree, Some(program), _) => {
                run_loop::run_itree(program, &mut world, &config, &args.bounds, keep, sink)
            }
            (Engine::Tape, Some(itree), Some(program)) => {
                // The initial pure registry is the runner's to install (docs/tape.md).
                for (name, function) in &itree.pure_registry {
                    if world.pure.get(name).is_none() {
                        let _ = world.pure.register(name.clone(), function.clone());
                    }
                }
                let tape_config = avm_vm::tape::interp::RunConfig::from(&config);
                match run_loop::run_tape(
                    program,
                    &mut world,
                    &tape_config,
                    &args.bounds,
                    keep,
                    sink,
                ) {
                    Ok(r) => r,
                    Err(e) => {
                        out.plain_error(Some(Code::E0601), &format!("compiled Tape rejected: {e}"));
                        return EXIT_COMPILE;
                    }
                }
            }
            _ => return EXIT_COMPILE,
        }
    };
    report_run(out, args, &result, &world, &sources)
}

/// How `print` shows a value: a string as its text, anything else in source syntax.
fn printed(v: &avm_vm::value::Val, _world: &World) -> String {
    match v {
        avm_vm::value::Val::Str(s) => s.to_string(),
        other => avm_compiler::value_text::value(other),
    }
}

/// Reads a `.tape` file (text or binary); reports E0601 and gives `None` when it is not one.
fn load_tape(out: &Output, file: &Path) -> Option<avm_vm::tape::Program> {
    let bytes = match files::read_bytes(file) {
        Ok(b) => b,
        Err(e) => {
            out.driver_error(&with_near_name(file, e));
            return None;
        }
    };
    let program = if bytes.starts_with(&avm_vm::tape::binary::MAGIC) {
        avm_vm::tape::binary::load(&bytes).map_err(|e| e.to_string())
    } else {
        match String::from_utf8(bytes) {
            Ok(text) => avm_vm::tape::parse::parse_program(&text)
                .map_err(|e| format!("{}:{}:{}: {}", file.display(), e.line, e.column, e.kind)),
            Err(_) => Err("the file is neither Tape text (UTF-8) nor Tape binary".to_string()),
        }
    };
    match program {
        Ok(p) => Some(p),
        Err(message) => {
            out.plain_error(Some(Code::E0601), &message);
            None
        }
    }
}

/// A Tape file does not carry the initial pure-function registry; `avmc` registers every
/// source-level pure function (generated helpers have `$` or `.pred` in their names) under its
/// own name, as the compiler's ITree program does.
fn register_tape_pure(program: &avm_vm::tape::Program, world: &mut World) {
    for f in &program.functions {
        if f.kind == avm_vm::tape::FunctionKind::Pure
            && !f.name.contains('$')
            && !f.name.contains(".pred")
            && world.pure.get(f.name.as_str()).is_none()
        {
            let n: std::rc::Rc<str> = std::rc::Rc::from(f.name.as_str());
            let _ = world.pure.register(n.clone(), n);
        }
    }
}

fn report_run(
    out: &Output,
    args: &RunArgs,
    driven: &run_loop::Driven,
    world: &World,
    sources: &SourceMap,
) -> u8 {
    if driven.ended == run_loop::Ended::OutputClosed {
        // The reader is gone (`avmc run prog.avm | head`): there is no one to tell.
        return EXIT_OUTPUT_CLOSED;
    }
    let result = match &driven.result {
        Some(result) => result,
        None => {
            out.plain_error_with_help(
                Some(Code::E0703),
                &format!(
                    "the run was stopped after {} (`--timeout`)",
                    args.bounds.timeout_text()
                ),
                Some("raise `--timeout`, or look for a loop that does not end (`--fuel N` stops a run after N steps of work, the same on every machine)"),
            );
            return EXIT_RUNTIME;
        }
    };
    solver::print_notes(out.format, world);
    let emitting = args.solver.emit_constraints.is_some();
    solver::emit(&args.solver, world);
    // What the run printed after the last slice, and output held back in a transaction that
    // was still open when the run ended, except against a durable world: there a printed line
    // promises that its transaction is committed on disk (`docs/world.md`).
    if !emitting {
        let rest = result.trace.since(driven.written);
        let rest = if world.is_durable() {
            &rest[..driven
                .settled
                .saturating_sub(driven.written)
                .min(rest.len())]
        } else {
            rest
        };
        let wrote =
            run_loop::write_outputs(&mut std::io::stdout().lock(), rest, world, &printed, false);
        if wrote.is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
            return EXIT_OUTPUT_CLOSED;
        }
    }
    if args.trace {
        eprint!("{}", result.trace.render(TraceView::Full));
    }
    // A chart that cannot be written is reported, but does not hide the run's own result.
    let mut msc_failed = false;
    if let Some(path) = &args.msc {
        let format = avm_compiler::msc::ChartFormat::for_file_name(&path.display().to_string());
        let title = args.file.display().to_string();
        let chart = avm_compiler::msc::render_as(format, &result.trace, &title);
        if let Err(e) = std::fs::write(path, chart) {
            out.driver_error(&DriverError::Unwritable {
                path: path.display().to_string(),
                kind: OutputKind::Chart,
                reason: e.to_string(),
            });
            msc_failed = true;
        }
    }
    match &result.outcome {
        Ok(v) => {
            if !emitting {
                let shown = avm_compiler::value_text::value(v);
                if std::io::Write::write_fmt(&mut std::io::stdout(), format_args!("{shown}\n"))
                    .is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
                {
                    return EXIT_OUTPUT_CLOSED;
                }
            }
            if msc_failed { EXIT_COMPILE } else { 0 }
        }
        Err(e) => {
            match runtime_failure(e, &result.backtrace, sources) {
                Some(diag) => out.print(&[diag], sources),
                None => out.plain_error_with_help(
                    Some(avm_compiler::diagnostics::runtime::code_of(e)),
                    &format!("runtime failure: {e}"),
                    Some(&avm_compiler::diagnostics::runtime::unlocated_help(e)),
                ),
            }
            EXIT_RUNTIME
        }
    }
}

fn explain(code: Option<String>, list: bool) -> u8 {
    if list {
        for info in REGISTRY {
            println!("{}  {}", info.code.as_str(), info.title);
        }
        return 0;
    }
    let Some(code) = code else {
        eprint!(
            "{}",
            render_plain(&PlainDiagnostic::new(
                None,
                "give a code (`avmc explain E0401`) or `--list`",
                Some("`avmc explain --list` lists every code with its title".to_string()),
            ))
        );
        return EXIT_COMPILE;
    };
    match Code::parse(code.trim()) {
        Some(c) => {
            print!("{}", c.explanation());
            0
        }
        None => {
            // `401`, `0401` or `E401`: name the codes with that number.
            let trimmed = code.trim();
            let (letters, digits): (&[&str], &str) = match trimmed.chars().next() {
                Some('E' | 'e') => (&["E"], &trimmed[1..]),
                Some('W' | 'w') => (&["W"], &trimmed[1..]),
                _ => (&["E", "W"], trimmed),
            };
            let mut near: Vec<String> = Vec::new();
            if !digits.is_empty() && digits.len() <= 4 && digits.bytes().all(|b| b.is_ascii_digit())
            {
                near = letters
                    .iter()
                    .map(|p| format!("{p}{digits:0>4}"))
                    .filter(|c| Code::parse(c).is_some())
                    .map(|c| format!("`avmc explain {c}`"))
                    .collect();
            }
            let help = if near.is_empty() {
                "`avmc explain --list` lists every code".to_string()
            } else {
                format!(
                    "codes are a letter and four digits: did you mean {}?",
                    near.join(" or ")
                )
            };
            eprint!(
                "{}",
                render_plain(&PlainDiagnostic::new(
                    None,
                    format!("unknown code `{code}`"),
                    Some(help),
                ))
            );
            EXIT_COMPILE
        }
    }
}
