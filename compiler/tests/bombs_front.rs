//! Resource bombs against the front end, the artifacts and the driver (issue 12, items 2, 6,
//! 7, 9 and 10): each input runs through the `avmc` binary under the default limits, in a
//! child process bounded in time ([`TIME_LIMIT`]) and address space ([`MEMORY_LIMIT_KB`],
//! `ulimit -v`), and must end in success or the coded error named here.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The wall-clock time a bomb may take (generous: a debug build on a loaded machine).
const TIME_LIMIT: Duration = Duration::from_secs(120);

/// The address space a bomb may use: 2 GiB.
const MEMORY_LIMIT_KB: u64 = 2 << 20;

/// The `avmc` binary of this package, built by cargo for its integration tests.
fn avmc() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_avmc"))
}

/// What a bomb's run of `avmc` ended with.
struct Ended {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Runs `avmc args` in `dir` under the time and memory limits; fails the test if it is killed.
fn bounded(dir: &Path, args: &[&str]) -> Ended {
    let avmc = avmc();
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_LIMIT_KB}; exec \"$0\" \"$@\""))
        .arg(avmc)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("avmc starts");
    // Read the pipes on threads so a large output cannot block the child.
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out_pipe, &mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err_pipe, &mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("avmc {args:?} ran over {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    let code = status
        .code()
        .unwrap_or_else(|| panic!("avmc {args:?} was killed: {stderr}"));
    Ended {
        code,
        stdout,
        stderr,
        elapsed: start.elapsed(),
    }
}

/// A fresh directory for one bomb's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("avmc-bombs-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// `let x1 = (x0, x0)` … `let x<n> = (x<n-1>, x<n-1>)`, then `tail`.
fn doubling_tuples(n: usize, tail: &str) -> String {
    let mut s = String::from("fn main() -> Int {\n  let x0 = 1\n");
    for i in 1..=n {
        s.push_str(&format!("  let x{i} = (x{}, x{})\n", i - 1, i - 1));
    }
    s.push_str(&format!("  {tail}\n}}\n"));
    s
}

#[test]
fn item2_doubling_tuples_check_compile_and_run() {
    let dir = scratch("tuples");
    // 60 lines: the written-out type of x60 has 2^61 nodes; shared, it has 61.
    std::fs::write(dir.join("t.avm"), doubling_tuples(60, "0")).expect("write");
    let r = bounded(&dir, &["check", "t.avm"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = bounded(&dir, &["compile", "t.avm", "--emit", "tape"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = bounded(&dir, &["run", "t.avm"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "0\n"), "{}", r.stderr);
    // A type error naming such a type prints it cut short.
    std::fs::write(dir.join("bad.avm"), doubling_tuples(60, "x60")).expect("write");
    let r = bounded(&dir, &["check", "bad.avm"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("[E0401]") && r.stderr.contains('…'),
        "{}",
        r.stderr
    );
    assert!(r.stderr.len() < 4_000, "{} bytes", r.stderr.len());
    // 10,000 such lines still check (the time is recorded in docs/performance.md).
    std::fs::write(dir.join("big.avm"), doubling_tuples(10_000, "0")).expect("write");
    let r = bounded(&dir, &["check", "big.avm"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn item6_devices_pipes_and_host_files_are_never_read() {
    let dir = scratch("files");
    let r = bounded(&dir, &["run", "/dev/zero"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[E0008]"), "{}", r.stderr);
    let r = bounded(&dir, &["run", "/dev/zero.tape"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // A named pipe would block a reader until a writer comes: it is refused unopened.
    let fifo = dir.join("pipe.avm");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let r = bounded(&dir, &["check", "pipe.avm"]);
        assert!(r.stderr.contains("error[E0008]"), "{}", r.stderr);
    }
    // Over the size limit (a sparse file).
    let big = dir.join("big.avm");
    std::fs::File::create(&big)
        .and_then(|f| f.set_len((64 << 20) + 1))
        .expect("sparse file");
    let r = bounded(&dir, &["check", "big.avm"]);
    assert!(r.stderr.contains("error[E0009]"), "{}", r.stderr);
    // A Tape file whose `.source` names host files: the run fails at a location in them, and
    // the report shows none of their text.
    std::fs::write(
        dir.join("fails.avm"),
        "fn main() -> Int {\n  let xs = [1]\n  xs[5]\n}\n",
    )
    .expect("write");
    let r = bounded(
        &dir,
        &[
            "compile",
            "fails.avm",
            "-o",
            "fails.tape",
            "--format",
            "text",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(dir.join("fails.tape")).expect("tape");
    for evil in [
        "/etc/passwd",
        "../../../../etc/passwd",
        "/dev/zero",
        "/proc/self/environ",
    ] {
        let tape = text.replace(".source 0 \"fails.avm\"", &format!(".source 0 \"{evil}\""));
        assert_ne!(tape, text, "the .source line is replaced");
        std::fs::write(dir.join("evil.tape"), tape).expect("write");
        let r = bounded(&dir, &["run", "evil.tape"]);
        assert_eq!(r.code, 2, "{evil}: {}", r.stderr);
        assert!(r.stderr.contains("[E0701]"), "{evil}: {}", r.stderr);
        assert!(!r.stderr.contains("root:"), "{evil}: {}", r.stderr);
        assert!(r.elapsed < TIME_LIMIT, "{evil}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn item7_sixteen_thousand_closing_parentheses_print_a_bounded_report() {
    let dir = scratch("parens");
    let mut src = String::from("1");
    src.push_str(&")".repeat(16_000));
    std::fs::write(dir.join("p.avm"), &src).expect("write");
    let r = bounded(&dir, &["check", "p.avm"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("[E0203]"),
        "{}",
        &r.stderr[..r.stderr.len().min(2000)]
    );
    let shown = r.stderr.lines().filter(|l| l.contains("] Error:")).count();
    assert_eq!(shown, 100, "diagnostics shown");
    assert!(r.stderr.contains("more diagnostics in `p.avm` not shown"));
    // 100 reports of a few lines, each quoting at most 200 bytes of the line.
    assert!(r.stderr.len() < 200_000, "{} bytes", r.stderr.len());
    let r = bounded(&dir, &["--error-format", "json", "check", "p.avm"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.len() < 200_000, "{} bytes", r.stderr.len());
    assert!(r.stderr.contains("\"omitted\""));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn item9_seventy_thousand_straight_line_statements() {
    let dir = scratch("straight");
    let mut src = String::from("fn main() -> Int {\n  let x = 1\n");
    for i in 0..70_000 {
        src.push_str(&format!("  let y{i} = x + {i}\n"));
    }
    src.push_str("  x\n}\n");
    std::fs::write(dir.join("s.avm"), &src).expect("write");
    // The Tape back end (the default engine) compiles it: registers are freed after each
    // binding's last read. The ITree engine resolves every read of `x` in O(1) (a search
    // through the 70,000 bindings above it made resolution quadratic: 12 s).
    for engine in ["tape", "itree"] {
        let r = bounded(&dir, &["run", "--engine", engine, "s.avm"]);
        assert_eq!(
            (r.code, r.stdout.as_str()),
            (0, "1\n"),
            "{engine}: {}",
            r.stderr
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn item10_compile_writes_binary_by_default_and_text_on_request() {
    let dir = scratch("formats");
    std::fs::write(dir.join("m.avm"), "fn main() -> Int {\n  6 * 7\n}\n").expect("write");
    let r = bounded(&dir, &["compile", "m.avm", "-o", "b.tape"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::read(dir.join("b.tape"))
            .expect("written")
            .starts_with(b"AVMT")
    );
    let r = bounded(
        &dir,
        &["compile", "m.avm", "-o", "t.tape", "--format", "text"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(dir.join("t.tape")).expect("text tape");
    assert!(text.contains(".func"), "{text}");
    for tape in ["b.tape", "t.tape"] {
        let r = bounded(&dir, &["run", tape]);
        assert_eq!((r.code, r.stdout.as_str()), (0, "42\n"), "{}", r.stderr);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
