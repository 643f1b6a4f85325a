//! Benchmark: commit-time choices resolved depth-first (`dfs`), by z3 (`smt`) and per
//! transaction (`auto`), on the problem where depth-first replay is exponential: `n` choices
//! over `1..=20` whose linear requirements (`x0 + … + x{n-1} == 20 * n`, `x0 - x{n-1} == 0`)
//! only the last values satisfy, so the search re-runs the transaction `20^n` times.
//!
//! Each iteration runs the compiled Tape program on a fresh world with a fresh solver setup,
//! as `avmc run --solver …` does (for `smt` / `auto` that includes starting `z3 -in`).
//! `dfs` is measured for n = 2, 3, 4 (20^12 runs are out of reach: its time grows twenty-fold
//! per choice); `smt` and `auto` for n = 2, 3, 4 and 12. Skipped with a message when `z3` is
//! not on PATH. Run with
//! `cargo bench -p avm-compiler --bench solver -- --warm-up-time 1 --measurement-time 2`.

use std::time::Duration;

use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{NoSources, Stage, compile};
use avm_vm::itree::RunConfig;
use avm_vm::solver::Strategy;
use avm_vm::solver::smtlib::SmtLibSolver;
use avm_vm::tape;
use avm_vm::trace::TraceMode;
use avm_vm::world::World;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

#[path = "../src/cli/solver_process.rs"]
#[allow(dead_code)]
mod solver_process;

/// The program with `n` choices.
fn program(n: usize) -> String {
    let mut src = String::from("fn main() -> Int {\n    atomic {\n");
    for i in 0..n {
        src.push_str(&format!("        let x{i} = choose(1..=20)\n"));
    }
    let sum: Vec<String> = (0..n).map(|i| format!("x{i}")).collect();
    src.push_str(&format!(
        "        require {} == {}\n        require x0 - x{} == 0\n        x0\n    }}\n}}\n",
        sum.join(" + "),
        20 * n,
        n - 1
    ));
    src
}

fn z3_available() -> bool {
    std::process::Command::new("z3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn bench(c: &mut Criterion) {
    if !z3_available() {
        eprintln!("solver benchmark skipped: `z3` is not on PATH (apt-get install z3)");
        return;
    }
    let mut group = c.benchmark_group("solver");
    group.sample_size(10);
    for n in [2usize, 3, 4, 12] {
        let options = LowerOptions {
            default_controller: Some("main".to_string()),
        };
        let out = compile(
            "bench.avm",
            &program(n),
            &mut NoSources,
            Stage::Tape,
            &options,
        );
        let (Some(itree_program), Some(tape_program)) = (out.itree, out.tape) else {
            panic!("the benchmark program does not compile");
        };
        let config = tape::interp::RunConfig::from(&RunConfig {
            trace_mode: TraceMode::Outputs,
            ..RunConfig::default()
        });
        let strategies: &[(&str, Strategy)] = if n <= 4 {
            &[
                ("dfs", Strategy::Dfs),
                ("smt", Strategy::Smt),
                ("auto", Strategy::Auto),
            ]
        } else {
            &[("smt", Strategy::Smt), ("auto", Strategy::Auto)]
        };
        for (label, strategy) in strategies {
            group.bench_with_input(BenchmarkId::new(*label, n), &n, |b, _| {
                b.iter(|| {
                    let mut world = World::new();
                    for (name, function) in &itree_program.pure_registry {
                        let _ = world.pure.register(name.clone(), function.clone());
                    }
                    world.nondet.strategy = *strategy;
                    if *strategy != Strategy::Dfs {
                        world.nondet.solver =
                            Some(Box::new(SmtLibSolver(solver_process::ProcessChannel::new(
                                vec!["z3".into(), "-in".into()],
                                Duration::from_secs(30),
                            ))));
                    }
                    let r = tape::interp::run_program(&tape_program, &mut world, &config)
                        .expect("the program loads");
                    assert_eq!(r.outcome, Ok(avm_vm::value::Val::Int(20)));
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
