//! The `avmc` command line: argument parsing (clap) and the commands `check`, `compile`, `run`,
//! `explain` and `repl` (its front end is [`repl`]).
//!
//! Takes the process arguments, files and environment; produces text on stdout/stderr and the
//! exit status: 0 success, 1 compile errors (or unreadable / invalid input files, or a usage
//! error), 2 runtime failure. This module is the only place the toolchain does IO.

mod loader;
mod repl;
mod world;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use avm_compiler::diagnostics::driver::{
    DriverError, OutputKind, PlainDiagnostic, SourceFlag, near_names, read_failure,
};
use avm_compiler::diagnostics::render::{
    ColorChoice, render_all, render_json, render_plain, render_plain_json,
};
use avm_compiler::diagnostics::runtime::runtime_failure;
use avm_compiler::diagnostics::{Code, Diagnostic, REGISTRY};
use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{CompileOutcome, Stage, compile};
use avm_compiler::syntax::span::SourceMap;
use avm_vm::itree::{Limits, RunConfig, RunResult};
use avm_vm::trace::{EventType, TraceMode, TraceView};
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
        /// Write the Tape program (text format) to this file; `avmc run OUT.tape` runs it.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
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
        /// Write a message sequence chart of the run (Mermaid) to this file.
        #[arg(long)]
        msc: Option<PathBuf>,
        /// The interpreter: the Tape interpreter (default) or the reference ITree interpreter.
        #[arg(long, value_enum)]
        engine: Option<Engine>,
        /// Stop after this many interpreter steps (an error, exit 2). Default: no limit.
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
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Engine {
    Tape,
    Itree,
}

/// Process exit statuses.
const EXIT_COMPILE: u8 = 1;
const EXIT_RUNTIME: u8 = 2;

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
    };
    let status = match cli.command {
        Command::Check { files } => check(&out, &files),
        Command::Compile { file, output, emit } => compile_cmd(&out, &file, output, emit),
        Command::Run {
            file,
            trace,
            msc,
            engine,
            fuel,
            max_depth,
            controller,
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
                world,
            },
        ),
        Command::World { path, action } => world::world_cmd(&out, &path, &action),
        Command::Explain { code, list } => explain(code, list),
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
            ErrorFormat::Json => eprintln!("{}", render_json(diags, sources)),
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
            ErrorFormat::Json => eprintln!("{}", render_plain_json(diag)),
        }
    }

    /// A file the command cannot use (E00xx).
    fn driver_error(&self, error: &DriverError) {
        self.plain(&error.to_plain());
    }
}

/// The driver error for an input file that cannot be read; for a missing file, a near name
/// that exists (`x.avm` for `x`, `x/main.avm` for `x.avm`).
fn read_error(file: &Path, e: &std::io::Error) -> DriverError {
    match read_failure(&file.display().to_string(), e) {
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
    match std::fs::read_to_string(file) {
        Ok(t) => Some(t),
        Err(e) => {
            out.driver_error(&read_error(file, &e));
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

fn compile_cmd(out: &Output, file: &Path, output: Option<PathBuf>, emit: Option<Emit>) -> u8 {
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
        None => {}
    }
    if let Some(path) = output {
        let Some(t) = &outcome.tape else {
            return EXIT_COMPILE;
        };
        if let Err(e) = std::fs::write(&path, avm_vm::tape::text::print_program(t)) {
            out.driver_error(&DriverError::Unwritable {
                path: path.display().to_string(),
                kind: OutputKind::Tape,
                reason: e.to_string(),
            });
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
    world: Option<PathBuf>,
}

fn run_cmd(out: &Output, args: &RunArgs) -> u8 {
    if let Some(path) = &args.world {
        return world::run_in_world(out, args, path);
    }
    let config = run_config(args);
    let is_tape = args.file.extension().is_some_and(|e| e == "tape");
    let mut world = World::new();
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
        let result = match avm_vm::tape::interp::run_program(&program, &mut world, &tape_config) {
            Ok(r) => r,
            Err(e) => {
                out.plain_error(Some(Code::E0601), &format!("{}: {e}", args.file.display()));
                return EXIT_COMPILE;
            }
        };
        if result.outcome.is_err() {
            sources = tape_sources(&program, &args.file);
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
            (Engine::Itree, Some(program), _) => avm_vm::itree::run(program, &mut world, &config),
            (Engine::Tape, Some(itree), Some(program)) => {
                // The initial pure registry is the runner's to install (docs/tape.md).
                for (name, function) in &itree.pure_registry {
                    if world.pure.get(name).is_none() {
                        let _ = world.pure.register(name.clone(), function.clone());
                    }
                }
                let tape_config = avm_vm::tape::interp::RunConfig::from(&config);
                match avm_vm::tape::interp::run_program(program, &mut world, &tape_config) {
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

/// The interpreter configuration `avmc run` flags give.
fn run_config(args: &RunArgs) -> RunConfig {
    let mut limits = Limits::default();
    if let Some(f) = args.fuel {
        limits.fuel = f;
    }
    if let Some(d) = args.max_depth {
        limits.max_call_depth = d;
    }
    // Without `--trace` or `--msc` only the output is kept: a long run's trace would cost
    // memory nobody reads.
    let trace_mode = if args.trace || args.msc.is_some() {
        TraceMode::On
    } else {
        TraceMode::Outputs
    };
    RunConfig {
        limits,
        trace_mode,
        ..RunConfig::default()
    }
}

/// Reads a `.tape` file (text or binary); reports E0601 and gives `None` when it is not one.
fn load_tape(out: &Output, file: &Path) -> Option<avm_vm::tape::Program> {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            out.driver_error(&read_error(file, &e));
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

/// The source files a Tape program's span tables name, read for rendering a runtime failure
/// (as given, else next to the `.tape` file); files that cannot be read are left out, and a
/// location in one of them is reported without source text.
fn tape_sources(program: &avm_vm::tape::Program, tape_file: &Path) -> SourceMap {
    let mut map = SourceMap::new();
    let dir = tape_file.parent().unwrap_or(Path::new("."));
    for name in &program.sources {
        let text = std::fs::read_to_string(name)
            .or_else(|_| std::fs::read_to_string(dir.join(name)))
            .ok();
        match text {
            Some(text) => map.add(name.clone(), text),
            // A placeholder keeps the file ids in step with the program's source indices.
            None => map.add(format!("{name} (not found)"), String::new()),
        };
    }
    map
}

fn report_run(
    out: &Output,
    args: &RunArgs,
    result: &RunResult,
    world: &World,
    sources: &SourceMap,
) -> u8 {
    print_outputs(result.trace.entries(), world);
    report_outcome(out, args, result, world, sources)
}

/// Prints the `print` outputs among trace entries, one a line.
fn print_outputs(entries: &[avm_vm::trace::LogEntry], world: &World) {
    for e in entries {
        if let EventType::Output(v) = &e.event {
            match v {
                avm_vm::value::Val::Str(s) => println!("{s}"),
                other => println!("{}", avm_compiler::value_text::value(other, world)),
            }
        }
    }
}

/// Everything `avmc run` reports after the outputs: the trace, the chart, `main`'s value or
/// the failure; the exit status.
fn report_outcome(
    out: &Output,
    args: &RunArgs,
    result: &RunResult,
    world: &World,
    sources: &SourceMap,
) -> u8 {
    if args.trace {
        eprint!("{}", result.trace.render(TraceView::Full));
    }
    // A chart that cannot be written is reported, but does not hide the run's own result.
    let mut msc_failed = false;
    if let Some(path) = &args.msc {
        let chart = avm_compiler::msc::render(&result.trace, world);
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
            println!("{}", avm_compiler::value_text::value(v, world));
            if msc_failed { EXIT_COMPILE } else { 0 }
        }
        Err(e) => {
            match runtime_failure(e, &result.backtrace, sources) {
                Some(diag) => out.print(&[diag], sources),
                None => out.plain_error(
                    Some(avm_compiler::diagnostics::runtime::runtime_code(e)),
                    &format!("runtime failure: {e}"),
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
