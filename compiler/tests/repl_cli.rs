//! `avmc repl` as a process with piped stdin (the plain line mode): replies on stdout, a
//! multi-line input joined, `--tape` starting in Tape mode, `--color` and `NO_COLOR`, and the
//! REPL's error codes known to `avmc explain`.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `avmc` with `args`, feeding `input` on stdin; returns stdout.
fn avmc(args: &[&str], input: &str, envs: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_avmc"));
    cmd.args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_remove("NO_COLOR");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("avmc starts");
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.as_bytes())
            .expect("stdin is writable");
    }
    let out = child.wait_with_output().expect("avmc finishes");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn piped_input_runs_line_by_line_and_joins_incomplete_lines() {
    let out = avmc(
        &["repl", "--no-history", "--color", "never"],
        "fn sq(x: Int) -> Int {\n  x * x\n}\nlet c = sq(4)\nc + 1\n:quit\nc\n",
        &[],
    );
    assert_eq!(
        out, "defined fn sq\nval c : Int = 16\n- : Int = 17\n",
        "everything after :quit is ignored"
    );
}

#[test]
fn tape_flag_starts_in_tape_mode() {
    let out = avmc(
        &["repl", "--no-history", "--tape", "--color", "never"],
        "int 6 -> r0\nint 7 -> r1\nmul r0, r1 -> r2\n",
        &[],
    );
    assert_eq!(out, "r0 = 6\nr1 = 7\nr2 = 42\n");
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let input = ":frobnicate\n";
    let coloured = avmc(&["repl", "--no-history", "--color", "always"], input, &[]);
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    assert!(coloured.contains("E0801"), "{coloured}");
    let plain = avmc(&["repl", "--no-history", "--color", "never"], input, &[]);
    assert!(!plain.contains('\u{1b}'), "{plain}");
    let auto = avmc(&["repl", "--no-history"], input, &[("NO_COLOR", "1")]);
    assert!(!auto.contains('\u{1b}'), "{auto}");
}

#[test]
fn fuel_flag_bounds_each_input() {
    let out = avmc(
        &["repl", "--no-history", "--color", "never", "--fuel", "1000"],
        "var n = 0\nwhile true { n += 1 }\nn\n",
        &[],
    );
    assert!(
        out.contains("[E0701] Error: runtime failure: out of fuel"),
        "{out}"
    );
    assert!(out.ends_with("- : Int = 0\n"), "{out}");
}

#[test]
fn repl_codes_are_explained() {
    for code in ["E0801", "E0802", "E0803", "E0804"] {
        let out = avmc(&["explain", code], "", &[]);
        assert!(out.starts_with(&format!("# {code}")), "{out}");
    }
}
