//! Lowering to ITree terms: for each construct, the printed ITree program (insta snapshot) and
//! the value, output and errors of running it on the reference interpreter.

use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{NoSources, Stage, compile};
use avm_vm::itree::{RunConfig, run};
use avm_vm::trace::EventType;
use avm_vm::world::World;

/// Compiles `src`; panics with the diagnostics when it does not compile (a test failure).
fn lower(src: &str) -> avm_vm::itree::Program {
    let out = compile(
        "test.avm",
        src,
        &mut NoSources,
        Stage::Itree,
        &LowerOptions::default(),
    );
    match out.itree {
        Some(p) if !out.has_errors() => p,
        _ => panic!(
            "does not compile:\n{}",
            avm_compiler::diagnostics::render::render_all(
                &out.diagnostics,
                &out.sources,
                avm_compiler::diagnostics::render::ColorChoice::Off
            )
        ),
    }
}

/// Runs `src` on the ITree interpreter: printed outputs then `=> value` or `!! error`.
fn run_src(src: &str) -> String {
    let program = lower(src);
    let mut world = World::new();
    let r = run(&program, &mut world, &RunConfig::default());
    let mut out = String::new();
    for e in r.trace.entries() {
        if let EventType::Output(v) = &e.event {
            out.push_str(&format!("{v}\n"));
        }
    }
    match r.outcome {
        Ok(v) => out.push_str(&format!("=> {v}")),
        Err(e) => out.push_str(&format!("!! {e}")),
    }
    out
}

/// The source, the printed ITree program and the run's result, for a snapshot.
fn show(src: &str) -> String {
    format!(
        "{}\n---- itree ----\n{}---- run ----\n{}\n",
        src.trim(),
        lower(src),
        run_src(src)
    )
}

#[test]
fn counter_object() {
    let src = r#"
object Counter {
    state count: Int = 0
    fn add(n: Int) -> Int {
        count = count + n
        count
    }
    fn get() -> Int { count }
}

fn main() -> Int {
    let c = create Counter
    c.add(5)
    c.add(7)
    c.get()
}
"#;
    assert!(run_src(src).ends_with("=> 12"), "{}", run_src(src));
    insta::assert_snapshot!(show(src));
}
