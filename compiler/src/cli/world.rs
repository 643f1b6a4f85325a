//! `avmc run --world PATH` and `avmc world PATH ...`: durable worlds on the command line.
//!
//! Takes the run flags or a world subcommand; opens the world file (`avm_runtime::durable`),
//! runs the program against it on the Tape engine with outputs printed as the run goes (each
//! commit is durable before any output that follows it is printed), or prints the world's
//! objects, names and log, checks it, exports or imports it. Exit statuses as `avmc run`: 0,
//! 1 for unusable input (E09xx), 2 for a failed run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use avm_compiler::diagnostics::Code;
use avm_compiler::diagnostics::driver::SourceFlag;
use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::Stage;
use avm_compiler::syntax::span::SourceMap;
use avm_runtime::durable::format::{BehaviourInfo, ObjectRecord};
use avm_runtime::durable::inspect::Export;
use avm_runtime::durable::{Create, WorldError, WorldFile};

use super::{
    EXIT_COMPILE, Engine, Output, RunArgs, RunSetup, compile_file, files, load_tape,
    register_tape_pure, report_run, run_loop, solver,
};

/// What `avmc world PATH` does.
#[derive(Subcommand, Debug)]
pub enum WorldAction {
    /// List the objects: id, behaviour (with its code hash), controller, machine, version.
    Objects,
    /// Print one object's state in source syntax (`show 12` or `show #12`).
    Show {
        /// The object id.
        id: String,
    },
    /// List the published names and the objects they name.
    Names,
    /// The most recent commits: clock, run, objects written, names, registry changes.
    Log {
        /// How many commits to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Check the world's integrity (storage and records); exit 1 on a problem.
    Check,
    /// Print the whole world as JSON (for backup and migration).
    Export {
        /// JSON (the only export format; required so that later formats can be added).
        #[arg(long, required = true)]
        json: bool,
    },
    /// Build the world (new or empty) from a JSON export.
    Import {
        /// The export file.
        file: PathBuf,
    },
}

/// The code and message of a world error.
fn world_error(out: &Output, e: &WorldError) -> u8 {
    let (code, help) = match e {
        WorldError::Busy { .. } => (
            Code::E0901,
            "wait for the other process to finish; a world has one writer at a time",
        ),
        WorldError::NewerFormat { .. } => (
            Code::E0902,
            "use the avmc that wrote this world, or a newer one",
        ),
        WorldError::NotAWorld { .. } => (
            Code::E0903,
            "give a new file name (e.g. `state.avmw`) or a world an earlier run created",
        ),
        WorldError::Missing { .. } => (
            Code::E0904,
            "create it with `avmc run --world PATH main.avm`",
        ),
        WorldError::Storage { .. } => (
            Code::E0905,
            "free space or fix the device and run again; the world is as of its last commit",
        ),
        WorldError::Corrupt { .. } => (
            Code::E0906,
            "keep a copy of the file; `export --json` writes out what can be read",
        ),
        WorldError::NotEmpty { .. } => (
            Code::E0909,
            "import into a new path: `avmc world NEW.avmw import FILE`",
        ),
        WorldError::BadExport { .. } => (
            Code::E0910,
            "give a file written by `avmc world PATH export --json`",
        ),
        WorldError::NoSuchObject { .. } => (
            Code::E0911,
            "`avmc world PATH objects` lists the stored ids",
        ),
    };
    out.plain_error_with_help(Some(code), &e.to_string(), Some(help));
    EXIT_COMPILE
}

/// `avmc run --world PATH FILE`.
pub(super) fn run_in_world(out: &Output, args: &RunArgs, setup: &RunSetup, path: &Path) -> u8 {
    if args.engine == Some(Engine::Itree) {
        out.plain_error_with_help(
            Some(Code::E0908),
            "`--world` cannot run on the ITree engine",
            Some("leave out `--engine itree`: a durable world runs on the Tape engine"),
        );
        return EXIT_COMPILE;
    }
    let is_tape = args.file.extension().is_some_and(|e| e == "tape");
    let mut info: BTreeMap<String, BehaviourInfo> = BTreeMap::new();
    let mut initial_pure = Vec::new();
    let (program, mut sources) = if is_tape {
        if args.controller.is_some() {
            out.driver_error(
                &avm_compiler::diagnostics::driver::DriverError::SourceFlagOnTape {
                    path: args.file.display().to_string(),
                    flag: SourceFlag::Controller,
                },
            );
            return EXIT_COMPILE;
        }
        let Some(program) = load_tape(out, &args.file) else {
            return EXIT_COMPILE;
        };
        (program, SourceMap::new())
    } else {
        let options = LowerOptions {
            default_controller: Some(args.controller.clone().unwrap_or_else(|| "main".into())),
        };
        let Some(outcome) = compile_file(out, &args.file, Stage::Tape, &options) else {
            return EXIT_COMPILE;
        };
        out.diagnostics(&outcome);
        if outcome.has_errors() {
            return EXIT_COMPILE;
        }
        let (Some(itree), Some(tape), Some(typed)) =
            (&outcome.itree, &outcome.tape, &outcome.typed)
        else {
            return EXIT_COMPILE;
        };
        for (name, (interface, fields)) in avm_compiler::typeck::interface::object_interfaces(typed)
        {
            info.insert(name, BehaviourInfo { interface, fields });
        }
        initial_pure = itree
            .pure_registry
            .iter()
            .map(|(n, f)| (n.clone(), f.clone()))
            .collect();
        (tape.clone(), outcome.sources.clone())
    };
    let file = match WorldFile::open(path, Create::IfMissing) {
        Ok(f) => f,
        Err(e) => return world_error(out, &e),
    };
    let run_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prepared = match file.prepare(&program, &info, &run_name) {
        Ok(p) => p,
        Err(e) => return world_error(out, &e),
    };
    let mut world = prepared.world;
    if is_tape {
        register_tape_pure(&program, &mut world);
    }
    for (name, function) in initial_pure {
        if world.pure.get(&name).is_none() {
            let _ = world.pure.register(name, function);
        }
    }
    if let Err(e) = solver::setup(&args.solver, &mut world) {
        out.driver_error(&e);
        return EXIT_COMPILE;
    }
    let tape_config = avm_vm::tape::interp::RunConfig::from(&setup.config);
    // The top-level pseudo-object's state is kept like any object's.
    if let Err(e) = world.touch(tape_config.self_id) {
        out.plain_error(Some(Code::E0905), &e.to_string());
        return EXIT_COMPILE;
    }
    // Outputs stream after each slice (`run_loop`); output inside a transaction is held back
    // until no transaction is open, and every commit is durable when its instruction returns,
    // so a printed line is always backed by a commit on disk.
    let driven = match run_loop::run_tape(
        &prepared.program,
        &mut world,
        &tape_config,
        &args.bounds,
        setup.keep,
        setup.sink,
    ) {
        Ok(d) => d,
        Err(e) => {
            out.plain_error(Some(Code::E0601), &format!("compiled Tape rejected: {e}"));
            return EXIT_COMPILE;
        }
    };
    if is_tape && driven.failed() {
        sources = files::tape_sources(&program, &args.file);
    }
    report_run(out, args, &driven, &world, &sources)
}

/// `avmc world PATH ACTION`.
pub(super) fn world_cmd(out: &Output, path: &Path, action: &WorldAction) -> u8 {
    let create = match action {
        WorldAction::Import { .. } => Create::IfMissing,
        _ => Create::No,
    };
    let mut file = match WorldFile::open(path, create) {
        Ok(f) => f,
        Err(e) => return world_error(out, &e),
    };
    let result = match action {
        WorldAction::Objects => objects(&file),
        WorldAction::Show { id } => show(&file, id),
        WorldAction::Names => file.names().map(|names| {
            for (name, id) in names {
                println!("{name}  #{id}");
            }
        }),
        WorldAction::Log { limit } => file.log(*limit).map(|rows| {
            for (n, rec) in rows {
                let objects: Vec<String> = rec.objects.iter().map(|i| format!("#{i}")).collect();
                let mut line = format!("{n:>6}  clock {:<8} {:<16}", rec.clock, rec.run);
                if !objects.is_empty() {
                    line.push_str(&format!(" wrote {}", objects.join(" ")));
                }
                if !rec.names.is_empty() {
                    line.push_str(&format!(" published {}", rec.names.join(" ")));
                }
                if rec.pure {
                    line.push_str(" pure registry changed");
                }
                println!("{}", line.trim_end());
            }
        }),
        WorldAction::Check => match file.check() {
            Ok(problems) if problems.is_empty() => {
                let (clock, commits) = file.counters().unwrap_or((0, 0));
                let objects = file.object_count().unwrap_or(0);
                println!("ok: {objects} objects, {commits} commits, clock {clock}");
                Ok(())
            }
            Ok(problems) => Err(WorldError::Corrupt {
                message: problems.join("; "),
            }),
            Err(e) => Err(e),
        },
        WorldAction::Export { .. } => file.export().and_then(|export| {
            serde_json::to_string_pretty(&export)
                .map(|text| println!("{text}"))
                .map_err(|e| WorldError::Corrupt {
                    message: e.to_string(),
                })
        }),
        WorldAction::Import { file: source } => import(&file, source),
    };
    match result {
        Ok(()) => 0,
        Err(e) => world_error(out, &e),
    }
}

fn objects(file: &WorldFile) -> Result<(), WorldError> {
    println!(
        "{:<8} {:<28} {:<14} {:<10} {:>7}",
        "id", "behaviour", "controller", "machine", "version"
    );
    for row in file.objects()? {
        let ObjectRecord {
            object, version, ..
        } = &row.record;
        let (behaviour, controller, machine) = match object {
            Some(h) => (
                format!("{}@{:08x}", h.behaviour, h.code >> 32),
                h.current_controller.clone().unwrap_or_else(|| "-".into()),
                h.machine.clone(),
            ),
            None => ("(destroyed)".to_string(), "-".into(), "-".into()),
        };
        println!(
            "{:<8} {behaviour:<28} {controller:<14} {machine:<10} {version:>7}",
            format!("#{}", row.id)
        );
    }
    Ok(())
}

fn show(file: &WorldFile, id: &str) -> Result<(), WorldError> {
    let n: u64 = id
        .trim_start_matches('#')
        .parse()
        .map_err(|_| WorldError::NoSuchObject { id: u64::MAX })?;
    let rec = file.object(n)?;
    let fields = match &rec.object {
        Some(h) => file.code(h.code)?.map(|c| c.fields).unwrap_or_default(),
        None => Vec::new(),
    };
    match &rec.object {
        Some(h) => println!(
            "#{n}: {} (code {:016x}) on {}, controller {}, version {}",
            h.behaviour,
            h.code,
            h.machine,
            h.current_controller.as_deref().unwrap_or("-"),
            rec.version
        ),
        None => println!("#{n}: destroyed, version {}", rec.version),
    }
    for (i, v) in rec.state.iter().flatten().enumerate() {
        let name = fields
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("field{i}"));
        println!("  {name} = {v}");
    }
    Ok(())
}

fn import(file: &WorldFile, source: &Path) -> Result<(), WorldError> {
    let text = std::fs::read_to_string(source).map_err(|e| WorldError::BadExport {
        message: format!("{}: {e}", source.display()),
    })?;
    let export: Export = serde_json::from_str(&text).map_err(|e| WorldError::BadExport {
        message: format!("{}: {e}", source.display()),
    })?;
    file.import(&export)?;
    println!(
        "imported {} objects, {} names",
        export.objects.len(),
        export.names.len()
    );
    Ok(())
}
