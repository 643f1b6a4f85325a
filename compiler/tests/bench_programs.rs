//! The end-to-end benchmark programs (`compiler/benches/programs/`) run under
//! `avmc run` with its default limits and print the right answer.
//!
//! Takes `fib.avm` (run on the default Tape engine) and `ping_pong.avm`, the
//! 10^6-round nested ping-pong (run on both engines: a million nested object
//! calls must fit the default fuel and depth limits without host-stack
//! recursion), runs the `avmc` binary on each and compares its stdout and
//! exit code. `scripts/bench-e2e` times the same commands.

use std::process::Command;

/// Runs `avmc run [args…] compiler/benches/programs/<program>`: (exit code, stdout, stderr).
fn avmc_run(args: &[&str], program: &str) -> (Option<i32>, String, String) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches")
        .join("programs")
        .join(program);
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
