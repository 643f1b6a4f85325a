//! Commit-time choices solved by an SMT solver (`avmc run --solver smt|auto`, docs/constraints.md).
//!
//! In process (no solver program needed): a solver that fails ("E0730") or returns a wrong
//! model ("E0731") ends the run with that error on both engines, even under `try`, and leaves
//! the store as it was before the transaction. Through the `avmc` binary with z3 (skipped with a
//! message when `z3` is not on PATH, never when `CI=true`): the `--emit-constraints smt2` script
//! of every nondet example and corpus program is accepted by z3; `--solver smt` and
//! `--solver dfs` agree on those programs and on 1,000 generated problems (same satisfiability;
//! every model passes the VM's re-check, and the program checks it again in source); a solver
//! that prints garbage or never answers is a clear E0730 within the timeout; untranslatable
//! requirements are named in a note.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{NoSources, Stage, compile};
use avm_vm::error::{AvmError, NondetError};
use avm_vm::itree::{Program, RunConfig, RunResult};
use avm_vm::solver::smtlib::Query;
use avm_vm::solver::{Answer, Solver, SolverFailure, Strategy};
use avm_vm::world::World;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Whether `z3` can be run. In CI (`CI=true`) a missing z3 fails the test instead.
fn z3_available() -> bool {
    let found = Command::new("z3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "z3 is not installed; scripts/install-ci-tools installs it in CI"
        );
        eprintln!("skipping: `z3` is not on PATH (install it with `apt-get install z3`)");
    }
    found
}

/// Runs `avmc` with `args`: (exit code, stdout, stderr).
fn avmc(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_avmc"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("avmc runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The examples and `run/` corpus programs that use `choose`, relative to the repository.
fn nondet_programs() -> Vec<String> {
    let mut files = Vec::new();
    let mut add = |dir: PathBuf, rel: &str| {
        let mut found: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .map(|p| if p.is_dir() { p.join("main.avm") } else { p })
            .filter(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("choose(")))
            .filter_map(|p| {
                p.strip_prefix(root().join(rel))
                    .ok()
                    .map(|r| format!("{rel}/{}", r.display()))
            })
            .collect();
        found.sort();
        files.extend(found);
    };
    add(root().join("examples"), "examples");
    add(root().join("tests/corpus/run"), "tests/corpus/run");
    files
}

/// Feeds `script` to `z3 -in`; its output.
fn z3(script: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("z3")
        .arg("-in")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("z3 starts");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(script.as_bytes()).expect("z3 reads");
    }
    let out = child.wait_with_output().expect("z3 ends");
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn emitted_smt_lib_of_every_nondet_program_is_accepted_by_z3() {
    if !z3_available() {
        return;
    }
    let programs = nondet_programs();
    assert!(programs.len() >= 4, "found {programs:?}");
    let mut problems = 0;
    for p in &programs {
        let (_, script, err) = avmc(&["run", "--emit-constraints", "smt2", p]);
        let answer = z3(&script);
        for line in answer.lines() {
            assert!(
                line == "sat" || line == "unsat",
                "{p}: z3 says `{line}` to\n{script}\n(stderr of avmc: {err})"
            );
        }
        assert_eq!(
            answer.lines().count(),
            script.matches("(check-sat)").count(),
            "{p}: {answer}"
        );
        problems += script.matches("(check-sat)").count();
        // The JSON form is JSON with one entry per problem.
        let (_, json, _) = avmc(&["run", "--emit-constraints", "json", p]);
        let v: serde_json::Value = serde_json::from_str(&json).expect("the IR is JSON");
        assert_eq!(
            v["transactions"].as_array().map(Vec::len),
            Some(script.matches("(check-sat)").count()),
            "{p}"
        );
    }
    assert!(problems >= 4, "only {problems} problems emitted");
}

#[test]
fn smt_and_dfs_agree_on_the_nondet_programs() {
    if !z3_available() {
        return;
    }
    for p in nondet_programs() {
        for engine in ["tape", "itree"] {
            let dfs = avmc(&["run", "--engine", engine, "--solver", "dfs", &p]);
            let smt = avmc(&["run", "--engine", engine, "--solver", "smt", &p]);
            let auto = avmc(&["run", "--engine", engine, "--solver", "auto", &p]);
            assert_eq!(dfs.0, smt.0, "{p} on {engine}: dfs {dfs:?}\nsmt {smt:?}");
            assert_eq!(dfs.0, auto.0, "{p} on {engine}: dfs {dfs:?}\nauto {auto:?}");
            assert!(!smt.2.contains("E0731"), "{p}: {}", smt.2);
            // The examples and corpus programs have one satisfying assignment each, so even
            // the printed values agree.
            assert_eq!(dfs.1, smt.1, "{p} on {engine}");
        }
    }
}

/// A small deterministic generator (64-bit LCG).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next() as usize % xs.len()]
    }
}

/// A random requirement over `x0 .. x{k-1}`: linear comparisons, `abs`, `min` / `max`,
/// combined with `&&` / `||` / `!`.
fn requirement(rng: &mut Rng, k: usize, depth: u32) -> String {
    let var = |rng: &mut Rng| format!("x{}", rng.range(0, k as i64 - 1));
    let cmp = ["==", "!=", "<", "<=", ">", ">="];
    match rng.range(0, if depth > 0 { 6 } else { 3 }) {
        0 | 1 => {
            let a = rng.range(-3, 3);
            let b = rng.range(-3, 3);
            format!(
                "{a} * {} + {b} * {} {} {}",
                var(rng),
                var(rng),
                rng.pick(&cmp),
                rng.range(-10, 10)
            )
        }
        2 => format!(
            "{}({}, {}) {} {}",
            rng.pick(&["min", "max"]),
            var(rng),
            var(rng),
            rng.pick(&cmp),
            rng.range(-5, 9)
        ),
        3 => format!(
            "abs({} - {}) {} {}",
            var(rng),
            var(rng),
            rng.pick(&cmp),
            rng.range(0, 6)
        ),
        4 => format!(
            "({}) {} ({})",
            requirement(rng, k, depth - 1),
            rng.pick(&["&&", "||"]),
            requirement(rng, k, depth - 1)
        ),
        _ => format!("!({})", requirement(rng, k, depth - 1)),
    }
}

/// A program of `count` problems from `rng`: problem `i` is `p{i}()`, a `try atomic` block of
/// choices and requirements returning the chosen values; `main` prints `p{i} none`, or
/// `p{i} ok` when the values pass the requirements again (evaluated in source), else
/// `p{i} BAD`.
fn generated_program(rng: &mut Rng, first: usize, count: usize) -> String {
    let mut src = String::new();
    let mut main = String::from("fn main() -> Int {\n");
    for i in first..first + count {
        let k = rng.range(1, 4) as usize;
        let names: Vec<String> = (0..k).map(|j| format!("x{j}")).collect();
        let mut body = String::new();
        for name in &names {
            let n = rng.range(2, 5);
            let options: Vec<String> = (0..n).map(|_| rng.range(-5, 9).to_string()).collect();
            body.push_str(&format!(
                "        let {name} = choose([{}])\n",
                options.join(", ")
            ));
        }
        let reqs: Vec<String> = (0..rng.range(1, 4))
            .map(|_| requirement(rng, k, 2))
            .collect();
        for r in &reqs {
            body.push_str(&format!("        require {r}\n"));
        }
        let list = format!("[{}]", names.join(", "));
        src.push_str(&format!(
            "fn p{i}() -> Option[List[Int]] {{\n    try atomic {{\n{body}        {list}\n    }}\n}}\n\n"
        ));
        src.push_str(&format!(
            "fn out{i}(r: Option[List[Int]]) -> String {{\n    match r {{\n        some({list}) => if {} {{ \"p{i} ok\" }} else {{ \"p{i} BAD\" }},\n        some(_) => \"p{i} BAD\",\n        none => \"p{i} none\",\n    }}\n}}\n\n",
            reqs.iter()
                .map(|r| format!("({r})"))
                .collect::<Vec<_>>()
                .join(" && ")
        ));
        main.push_str(&format!("    print(out{i}(p{i}()))\n"));
    }
    main.push_str("    0\n}\n");
    src + &main
}

#[test]
fn smt_and_dfs_agree_on_a_thousand_generated_problems() {
    if !z3_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("avmc-solver-gen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut rng = Rng(0x5eed_2026);
    let (mut sat, mut unsat) = (0, 0);
    for batch in 0..4 {
        let file = dir.join(format!("gen{batch}.avm"));
        std::fs::write(&file, generated_program(&mut rng, batch * 250, 250)).expect("write");
        let path = file.to_string_lossy().into_owned();
        let dfs = avmc(&["run", "--solver", "dfs", &path]);
        let smt = avmc(&["run", "--solver", "smt", &path]);
        assert_eq!((dfs.0, smt.0), (0, 0), "dfs {}\nsmt {}", dfs.2, smt.2);
        let dfs_lines: Vec<&str> = dfs.1.lines().collect();
        let smt_lines: Vec<&str> = smt.1.lines().collect();
        assert_eq!(dfs_lines.len(), 251, "{}", dfs.1);
        for (d, s) in dfs_lines.iter().zip(&smt_lines).take(250) {
            assert!(
                !d.ends_with("BAD") && !s.ends_with("BAD"),
                "{d} / {s} in {path}"
            );
            assert_eq!(d, s, "dfs and smt disagree in {path}");
            if d.ends_with("ok") {
                sat += 1;
            } else {
                unsat += 1;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(sat + unsat, 1000);
    // Both outcomes are well represented.
    assert!(sat >= 200 && unsat >= 200, "{sat} sat, {unsat} unsat");
}

/// The last JSON document on stderr (the compile stage prints its own, empty, array first).
fn last_json(err: &str) -> serde_json::Value {
    serde_json::Deserializer::from_str(err)
        .into_iter::<serde_json::Value>()
        .filter_map(Result::ok)
        .last()
        .expect("stderr has JSON")
}

/// A script standing in for a solver, in a fresh temp directory.
fn script(name: &str, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("avmc-solver-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path.to_string_lossy().into_owned()
}

#[test]
fn garbage_hanging_and_lying_solvers_are_clear_errors() {
    let program = "tests/corpus/run/fd_nondet_choose.avm";
    let garbage = script("garbage.sh", "while read line; do echo hello; done");
    let hanging = script("hang.sh", "exec sleep 60");
    // Answers `sat` and a model of all zeros (x = 1, y = 1), which fails `x + y == 7`.
    let lying = script(
        "lying.sh",
        "while read line; do case \"$line\" in *check-sat*) echo sat;; *get-value*) echo '((c0 0) (c1 0))';; esac; done",
    );
    for (solver, code, words) in [
        (&garbage, "E0730", "not SMT-LIB: `hello`"),
        (&hanging, "E0730", "did not answer within 300 ms"),
        (&lying, "E0731", "the solver's model fails require #1"),
    ] {
        let start = Instant::now();
        let (status, out, err) = avmc(&[
            "--error-format",
            "json",
            "run",
            "--solver",
            "smt",
            "--solver-cmd",
            solver,
            "--solver-timeout",
            "300",
            program,
        ]);
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{solver} took too long"
        );
        assert_eq!(status, 2, "{solver}: {err}");
        assert_eq!(out, "", "{solver}: nothing of the transaction is printed");
        let v = last_json(&err);
        assert_eq!(v[0]["code"], code, "{err}");
        let message = v[0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{message}");
        assert!(message.contains("nothing was committed"), "{message}");
    }
}

#[test]
fn untranslatable_requirements_are_named_and_searched_depth_first() {
    if !z3_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("avmc-solver-note-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("mixed.avm");
    std::fs::write(
        &file,
        "fn double(x: Int) -> Int { x * 2 }\n\nfn main() -> (Int, Int) {\n    atomic {\n        let x = choose([1, 2, 3, 4])\n        let y = choose([1, 2, 3, 4])\n        require double(x) == y + 2\n        require x < y\n        (x, y)\n    }\n}\n",
    )
    .expect("write");
    let path = file.to_string_lossy().into_owned();
    let (status, out, err) = avmc(&["run", "--solver", "smt", &path]);
    assert_eq!((status, out.as_str()), (0, "(3, 4)\n"), "{err}");
    assert!(
        err.contains("mixed.avm:7:9: `double(x) == y + 2` cannot go to the SMT solver (it calls `double` with a choice)"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unsat_cores_name_requirements_by_source_place() {
    if !z3_available() {
        return;
    }
    let (status, _, err) = avmc(&[
        "--error-format",
        "json",
        "run",
        "--solver",
        "smt",
        "tests/corpus/run/fd_nondet_unsatisfiable.avm",
    ]);
    assert_eq!(status, 2, "{err}");
    let v = last_json(&err);
    assert_eq!(v[0]["code"], "E0701", "{err}");
    assert_eq!(
        v[0]["notes"][0],
        "conflicting requirement at tests/corpus/run/fd_nondet_unsatisfiable.avm:7:9: `x > 5`",
        "{err}"
    );
}

// ---- in process: solvers that fail, on both engines ----

/// A solver that always fails.
struct Failing;

impl Solver for Failing {
    fn solve(&mut self, _: &Query) -> Result<Answer, SolverFailure> {
        Err(SolverFailure::Garbled {
            response: "hello".into(),
        })
    }
}

/// A solver that answers the first option of every choice.
struct FirstOptions;

impl Solver for FirstOptions {
    fn solve(&mut self, query: &Query) -> Result<Answer, SolverFailure> {
        Ok(Answer::Sat(vec![0; query.choice_sizes.len()]))
    }
}

fn compiled(src: &str) -> (Program, avm_vm::tape::Program) {
    let options = LowerOptions {
        default_controller: Some("main".to_string()),
    };
    let out = compile("test.avm", src, &mut NoSources, Stage::Tape, &options);
    match (out.itree, out.tape) {
        (Some(i), Some(t)) => (i, t),
        _ => panic!("does not compile: {:?}", out.diagnostics),
    }
}

/// Runs on both engines with `solver`; each engine's result and store.
fn run_both(src: &str, solver: fn() -> Box<dyn Solver>) -> Vec<(RunResult, avm_vm::store::Store)> {
    let (itree, tape) = compiled(src);
    let world = || {
        let mut w = World::new();
        for (name, function) in &itree.pure_registry {
            let _ = w.pure.register(name.clone(), function.clone());
        }
        w.nondet.strategy = Strategy::Smt;
        w.nondet.solver = Some(solver());
        w
    };
    let mut w1 = world();
    let r1 = avm_vm::itree::run(&itree, &mut w1, &RunConfig::default());
    let mut w2 = world();
    let tape_config = avm_vm::tape::interp::RunConfig::from(&RunConfig::default());
    let r2 = avm_vm::tape::interp::run_program(&tape, &mut w2, &tape_config).expect("tape loads");
    vec![(r1, w1.store), (r2, w2.store)]
}

/// A counter object and a `main` that adds 5 to it, then runs `rest`.
fn counter_program(rest: &str) -> String {
    format!(
        r#"
object Counter {{
    state count: Int = 0
    fn add(n: Int) -> Int {{
        count = count + n
        count
    }}
}}

fn main() -> Option[Int] {{
    let c = create Counter
    c.add(5)
    {rest}
}}
"#
    )
}

/// Adds 100 in a transaction whose only solution is `x = 3`.
const FAILING_TX: &str = "try atomic {
        c.add(100)
        let x = choose([1, 2, 3])
        require x > 2
        x
    }";

#[test]
fn a_failing_solver_is_reported_under_try_and_leaves_the_store_unchanged() {
    let before = run_both(&counter_program("none"), || Box::new(Failing));
    let failing = run_both(&counter_program(FAILING_TX), || Box::new(Failing));
    for (k, (result, store)) in failing.into_iter().enumerate() {
        assert!(
            matches!(
                result.outcome,
                Err(AvmError::Nondet(NondetError::ErrSolver { .. }))
            ),
            "{:?}",
            result.outcome
        );
        assert_eq!(store, before[k].1, "engine {k}: the store changed");
    }
}

#[test]
fn a_wrong_model_is_rejected_by_the_re_check() {
    for (result, _) in run_both(&counter_program(FAILING_TX), || Box::new(FirstOptions)) {
        match result.outcome {
            Err(AvmError::Nondet(NondetError::ErrModelRejected { place, .. })) => {
                let place = place.expect("the requirement has a place");
                assert_eq!(place.text.as_ref(), "x > 2");
            }
            other => panic!("{other:?}"),
        }
    }
}
