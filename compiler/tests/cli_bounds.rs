//! `avmc run`'s resource bounds (issue 12): `print` output streams while the program runs and
//! the run stays in bounded memory, `--timeout` stops a run with error[E0703], `--max-memory`
//! fails with error[E0702]; the programs are written to the test's scratch directory.
//!
//! Every child process is bounded by its own `--timeout` or `--fuel`, and waited for.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Writes `text` to a scratch file named `name`; its path.
fn program(name: &str, text: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).expect("scratch file is writable");
    path
}

/// Runs `avmc` with `args`: (exit code, stdout, stderr).
fn avmc(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_avmc"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("avmc runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The peak resident memory of a live process in KiB (`VmHWM`), if it can be read.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

const PRINT_LOOP: &str = "fn main() -> Int {
    let x = 7
    while true { print(x) }
    0
}
";

/// `while true { print(x) }`: the first line arrives long before the run ends (its 4 s
/// timeout), the run's memory stays small although it prints for seconds, and the timeout ends
/// it with error[E0703] and exit status 2.
#[test]
fn print_output_streams_and_the_timeout_stops_the_run() {
    let file = program("print_loop.avm", PRINT_LOOP);
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_avmc"))
        .args(["run", "--timeout", "4"])
        .arg(&file)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("avmc starts");
    let pid = child.id();
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().and_then(Result::ok);
    let first_after = start.elapsed();
    assert_eq!(first.as_deref(), Some("7"));
    // Count the rest while sampling the child's peak memory.
    let counter = std::thread::spawn(move || lines.map_while(Result::ok).count());
    let mut peak = 0;
    while let Ok(None) = child.try_wait() {
        peak = peak.max(peak_kib(pid).unwrap_or(0));
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = child.wait().expect("avmc ends");
    let printed = counter.join().expect("reader ends");
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut err);
    }
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("error[E0703]"), "{err}");
    assert!(
        first_after < Duration::from_secs(3),
        "the first line came after {first_after:?}"
    );
    assert!(printed > 1000, "only {printed} more lines");
    assert!(peak < 200 * 1024, "peak memory {peak} KiB");
}

/// A `print` loop under `--fuel` prints progressively and ends with the fuel error; what it
/// printed is all on stdout, once.
#[test]
fn print_loop_under_fuel_prints_everything_once() {
    let file = program("print_fuel.avm", PRINT_LOOP);
    let path = file.to_string_lossy().into_owned();
    for engine in ["tape", "itree"] {
        let (code, out, err) = avmc(&["run", "--engine", engine, "--fuel", "300000", &path]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("out of fuel"), "{err}");
        assert!(out.lines().all(|l| l == "7"));
        assert!(
            out.lines().count() > 10_000,
            "{engine}: {}",
            out.lines().count()
        );
    }
    // Both engines' step semantics are fixed, so each prints the same lines every time.
    let once = avmc(&["run", "--fuel", "300000", &path]).1;
    let again = avmc(&["run", "--fuel", "300000", &path]).1;
    assert_eq!(once, again);
}

/// Output of a program that finishes comes before its value, in order, as before streaming.
#[test]
fn finished_runs_print_output_then_the_value() {
    let file = program(
        "prints.avm",
        "fn main() -> Int {\n    for i in 1..4 { print(i) }\n    print(\"done\")\n    10\n}\n",
    );
    let path = file.to_string_lossy().into_owned();
    for engine in ["tape", "itree"] {
        let (code, out, _) = avmc(&["run", "--engine", engine, &path]);
        assert_eq!((code, out.as_str()), (0, "1\n2\n3\ndone\n10\n"), "{engine}");
    }
}

/// `--max-memory` lowers the limit: a list doubled 20 times passes 1M but not 1G.
#[test]
fn max_memory_fails_with_e0702() {
    let file = program(
        "grow.avm",
        "fn grow(xs: List[Int], n: Int) -> Int { if n == 0 { len(xs) } else { grow(xs ++ xs, n - 1) } }\nfn main() -> Int { grow([1], 20) }\n",
    );
    let path = file.to_string_lossy().into_owned();
    let (code, out, err) = avmc(&["run", "--max-memory", "1M", &path]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("[E0702]"), "{err}");
    assert!(err.contains("memory limit of 1048576 bytes"), "{err}");
    let (code, out, _) = avmc(&["run", &path]);
    assert_eq!((code, out.as_str()), (0, "1048576\n"));
    let (code, _, err) = avmc(&["run", "--max-memory", "lots", &path]);
    assert_eq!(code, 1);
    assert!(err.contains("--max-memory"), "{err}");
}

/// Runs `avmc args` with stdout piped, reads `lines` lines, closes the pipe as `head` would,
/// and returns how the child ended (exit code, stderr); the child is killed after 30 s.
fn run_then_close_stdout(args: &[&str], lines: usize) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_avmc"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("avmc starts");
    let stdout = child.stdout.take().expect("piped");
    let read: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(lines)
        .map_while(Result::ok)
        .collect();
    assert_eq!(read.len(), lines, "read {read:?}");
    // The reader is dropped here: stdout is closed.
    let start = Instant::now();
    while let Ok(None) = child.try_wait() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = child.wait().expect("avmc ends");
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut err);
    }
    (status.code(), err)
}

/// `avmc run print_loop.avm | head -3`: once the reader is gone the run stops at once, quietly,
/// with status 141 (128 + SIGPIPE, as a shell reports a program the signal ended), on both
/// engines; before the fix it ran on until its timeout.
#[test]
fn a_closed_stdout_stops_the_run_quietly() {
    let file = program("print_loop_head.avm", PRINT_LOOP);
    let file = file.to_str().expect("utf-8 path");
    for engine in ["tape", "itree"] {
        let (code, err) =
            run_then_close_stdout(&["run", "--engine", engine, "--timeout", "25", file], 3);
        assert_eq!(code, Some(141), "{engine}: {err}");
        assert!(err.is_empty(), "{engine}: {err}");
    }
}

/// `avmc explain --list | head -1`: a command that prints with `println!` does not panic on
/// the closed pipe either.
#[test]
fn a_closed_stdout_does_not_panic_a_listing() {
    for _ in 0..3 {
        let (code, err) = run_then_close_stdout(&["explain", "--list"], 1);
        assert!(matches!(code, Some(0 | 141)), "{code:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
