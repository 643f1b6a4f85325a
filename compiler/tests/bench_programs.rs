//! The end-to-end benchmark programs (`compiler/benches/programs/`) run under
//! `avmc run` with its default limits and print the right answer.
//!
//! Takes `fib.avm` (run on the default Tape engine) and `ping_pong.avm`, the
//! 10^6-round nested ping-pong (run on both engines: a million nested object
//! calls must fit the default fuel and depth limits without host-stack
//! recursion), runs the `avmc` binary on each and compares its stdout and
//! exit code. `scripts/bench-e2e` times the same commands. The quicker programs of
//! `bench/e2e/` (issue 14's table) run on both engines with the answers the Lua and
//! Python versions print.

use std::process::Command;

/// Runs `avmc run [args…] compiler/benches/programs/<program>`: (exit code, stdout, stderr).
fn avmc_run(args: &[&str], program: &str) -> (Option<i32>, String, String) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = match program.strip_prefix("bench/") {
        Some(rest) => root.join("..").join("bench").join(rest),
        None => root.join("benches").join("programs").join(program),
    };
    let out = Command::new(env!("CARGO_BIN_EXE_avmc"))
        .arg("run")
        .args(args)
        .arg(&path)
        .env("NO_COLOR", "1")
        .output()
        .expect("avmc runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn fib_30_prints_832040() {
    let (code, out, err) = avmc_run(&[], "fib.avm");
    assert_eq!((code, out.as_str()), (Some(0), "832040\n"), "stderr: {err}");
}

#[test]
fn million_round_ping_pong_runs_with_default_limits_on_the_tape_engine() {
    let (code, out, err) = avmc_run(&["--engine", "tape"], "ping_pong.avm");
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "(1000000, 500001, 500000)\n"),
        "stderr: {err}"
    );
}

#[test]
fn million_round_ping_pong_runs_with_default_limits_on_the_itree_engine() {
    let (code, out, err) = avmc_run(&["--engine", "itree"], "ping_pong.avm");
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "(1000000, 500001, 500000)\n"),
        "stderr: {err}"
    );
}

#[test]
fn e2e_list_nqueens_and_ping_pong_programs_print_their_answers_on_both_engines() {
    let cases = [
        ("bench/e2e/list_pipeline_10k.avm", "33336666\n"),
        ("bench/e2e/list_pipeline_100k.avm", "3333366666\n"),
        ("bench/e2e/nqueens8.avm", "92\n"),
        ("bench/e2e/ping_pong_100k.avm", "(100000, 50001, 50000)\n"),
    ];
    for (program, want) in cases {
        for engine in ["tape", "itree"] {
            let (code, out, err) = avmc_run(&["--engine", engine], program);
            assert_eq!(
                (code, out.as_str()),
                (Some(0), want),
                "{program} on {engine}: stderr: {err}"
            );
        }
    }
}
