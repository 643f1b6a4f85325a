//! The `avmc` binary: every subcommand, the main flags and the exit codes, with snapshots of
//! stdout and stderr (colour off).

use std::process::Command;

fn files() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli_files")
}

/// Runs `avmc` with `args` in the test-file directory: (exit code, stdout, stderr).
fn avmc(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_avmc"))
        .args(args)
        .current_dir(files())
        .env("NO_COLOR", "1")
        .output()
        .expect("avmc runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn transcript(args: &[&str]) -> String {
    let (code, out, err) = avmc(args);
    format!(
        "$ avmc {}\nexit: {code}\n--- stdout ---\n{out}--- stderr ---\n{err}",
        args.join(" ")
    )
}

#[test]
fn run_prints_mains_value_and_exits_0() {
    let (code, out, _) = avmc(&["run", "counter.avm"]);
    assert_eq!((code, out.as_str()), (0, "12\n"));
    insta::assert_snapshot!(transcript(&["run", "counter.avm", "--trace"]));
}

#[test]
fn run_itree_engine_explicitly() {
    let (code, out, _) = avmc(&["run", "--engine", "itree", "counter.avm"]);
    assert_eq!((code, out.as_str()), (0, "12\n"));
}

#[test]
fn compile_errors_exit_1() {
    insta::assert_snapshot!(transcript(&["--color", "never", "check", "type_error.avm"]));
    let (code, _, _) = avmc(&["run", "type_error.avm"]);
    assert_eq!(code, 1);
}

#[test]
fn json_error_format() {
    let (code, _, err) = avmc(&["--error-format", "json", "check", "type_error.avm"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(err.trim()).expect("stderr is JSON");
    assert_eq!(v[0]["code"], "E0401");
}

#[test]
fn json_error_format_prints_one_document_per_invocation() {
    // Compile-stage and run-stage diagnostics, driver errors, and nothing at all: stderr is
    // always exactly one JSON array (serde_json rejects trailing content).
    for (args, codes) in [
        (vec!["run", "fails.avm"], vec!["E0701"]),
        (vec!["run", "counter.avm"], vec![]),
        (vec!["check", "type_error.avm"], vec!["E0401"]),
        (
            vec!["run", "counter.avm", "--msc", "no_such_dir/run.mmd"],
            vec!["E0005"],
        ),
    ] {
        let mut all = vec!["--error-format", "json"];
        all.extend(&args);
        let (_, _, err) = avmc(&all);
        let v: serde_json::Value =
            serde_json::from_str(err.trim()).unwrap_or_else(|e| panic!("{args:?}: {e}: {err}"));
        let got: Vec<&str> = v
            .as_array()
            .expect("an array")
            .iter()
            .filter_map(|d| d["code"].as_str())
            .collect();
        assert_eq!(got, codes, "{args:?}: {err}");
    }
}

#[test]
fn runtime_failures_get_a_help_that_fits() {
    // `teleport` inside a transaction: the help is about teleporting, not committing.
    let (code, _, err) = avmc(&["run", "teleport_in_atomic.avm"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("teleport is not allowed in a transaction")
            && err.contains("must run outside every `atomic` block"),
        "{err}"
    );
    // A depth limit too small for `main` itself: no source line ran, the help says why.
    let (code, _, err) = avmc(&["run", "--max-depth", "1", "counter.avm"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("call depth limit of 1 frames exceeded")
            && err.contains("help: the limit of 1 was reached on entering `main`"),
        "{err}"
    );
}

#[test]
fn runtime_failure_exits_2_after_output() {
    insta::assert_snapshot!(transcript(&["run", "fails.avm"]));
    let (code, out, _) = avmc(&["run", "fails.avm"]);
    assert_eq!((code, out.as_str()), (2, "before\n"));
}

#[test]
fn runtime_failure_points_at_the_source_with_a_backtrace() {
    // The Tape engine (default) reports the failing statement and each call site.
    insta::assert_snapshot!(transcript(&["run", "fails_deep.avm"]));
    // The ITree engine reports the same failing statement (no call sites).
    let (code, _, err) = avmc(&["run", "--engine", "itree", "fails_deep.avm"]);
    assert_eq!(code, 2);
    assert!(err.contains("fails_deep.avm:2:5"), "{err}");
    // JSON carries the span of the primary label and the backtrace as notes.
    let (code, _, err) = avmc(&["run", "--error-format", "json", "fails_deep.avm"]);
    assert_eq!(code, 2);
    let json = err
        .lines()
        .skip_while(|l| *l == "[]")
        .collect::<Vec<_>>()
        .join("\n");
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON diagnostics");
    assert_eq!(v[0]["code"], "E0701");
    assert_eq!(v[0]["primary"]["start"]["line"], 2);
    assert_eq!(v[0]["primary"]["span"]["start"], 44);
    assert_eq!(v[0]["notes"][0], "called from fails_deep.avm:8:5");
    assert_eq!(v[0]["notes"][1], "called from fails_deep.avm:13:5");
}

#[test]
fn a_compiled_tape_file_keeps_its_spans() {
    let dir = std::env::temp_dir().join(format!("avmc-spans-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let tape = dir.join("fails_deep.tape");
    let tape_arg = tape.to_string_lossy().into_owned();
    let (code, _, err) = avmc(&[
        "compile",
        "fails_deep.avm",
        "-o",
        &tape_arg,
        "--format",
        "text",
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&tape).expect("tape written");
    assert!(text.contains(".source 0 \"fails_deep.avm\""), "{text}");
    assert!(text.contains("  .at 0:"), "{text}");
    // A `.source` name resolves only in the Tape file's folder, never in the directory avmc
    // runs in: here the source is not next to the artifact, so no source text is shown.
    let (code, _, err) = avmc(&["run", &tape_arg]);
    assert_eq!(code, 2);
    assert!(
        err.contains("fails_deep.avm (not found next to the Tape file)"),
        "{err}"
    );
    assert!(!err.contains("let x = xs[i]"), "{err}");
    // With the source next to the artifact, the report quotes it.
    std::fs::copy(files().join("fails_deep.avm"), dir.join("fails_deep.avm")).expect("copy");
    let (code, _, err) = avmc(&["run", &tape_arg]);
    assert_eq!(code, 2);
    assert!(
        err.contains("fails_deep.avm:2:5") && err.contains("called from fails_deep.avm:8:5"),
        "{err}"
    );
    assert!(err.contains("let x = xs[i]"), "{err}");
    // The default format is binary; `avmc run` loads it alike.
    let bin = dir.join("fails_deep_bin.tape");
    let bin_arg = bin.to_string_lossy().into_owned();
    let (code, _, err) = avmc(&["compile", "fails_deep.avm", "-o", &bin_arg]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&bin).expect("binary tape written");
    assert!(bytes.starts_with(b"AVMT"), "binary header");
    let (code, _, err) = avmc(&["run", &bin_arg]);
    assert_eq!(code, 2);
    assert!(err.contains("fails_deep.avm:2:5"), "{err}");
    // A `.source` naming a host file outside the folder is never read.
    let evil = dir.join("evil.tape");
    std::fs::write(
        &evil,
        text.replace(
            ".source 0 \"fails_deep.avm\"",
            ".source 0 \"../../../../../etc/passwd\"",
        ),
    )
    .expect("write");
    let (code, _, err) = avmc(&["run", &evil.to_string_lossy()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("outside the Tape file's folder") && !err.contains("root:"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fuel_limit_is_a_runtime_failure() {
    let (code, _, err) = avmc(&["run", "--fuel", "5", "counter.avm"]);
    assert_eq!(code, 2);
    assert!(err.contains("E0701"), "{err}");
}

#[test]
fn missing_file_exits_1() {
    insta::assert_snapshot!(transcript(&["run", "no_such_file.avm"]));
}

#[test]
fn bad_tape_file_is_e0601() {
    let (code, _, err) = avmc(&["run", "bad.tape"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("E0601") && err.contains("bad.tape:1:"),
        "{err}"
    );
    // The position is given once, as `file:line:column`.
    assert!(!err.contains("line 1, column"), "{err}");
}

#[test]
fn imports_are_loaded_next_to_the_root() {
    let (code, out, err) = avmc(&["run", "imports.avm"]);
    assert_eq!((code, out.as_str()), (0, "42\n"), "{err}");
}

#[test]
fn compile_emits_stages() {
    insta::assert_snapshot!(transcript(&["compile", "counter.avm", "--emit", "itree"]));
    insta::assert_snapshot!(transcript(&["compile", "counter.avm", "--emit", "typed"]));
    let (code, out, _) = avmc(&["compile", "counter.avm", "--emit", "ast"]);
    assert!(code == 0 && out.contains("object Counter"), "{out}");
    let (code, out, _) = avmc(&["compile", "counter.avm", "--emit", "tokens"]);
    assert!(code == 0 && out.lines().count() > 10, "{out}");
}

#[test]
fn compile_to_tape_and_run_the_file() {
    let (code, out, err) = avmc(&["compile", "counter.avm", "--emit", "tape"]);
    assert!(code == 0 && out.contains(".func"), "{err}");
    let (code, out, _) = avmc(&["compile", "counter.avm", "--emit", "cfg"]);
    assert!(
        code == 0 && (out.contains("flowchart") || out.contains("graph")),
        "{out}"
    );
    let path = std::env::temp_dir().join(format!("avmc-out-{}.tape", std::process::id()));
    let p = path.display().to_string();
    let (code, _, err) = avmc(&["compile", "counter.avm", "-o", &p]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = avmc(&["run", &p]);
    let _ = std::fs::remove_file(&path);
    assert_eq!((code, out.as_str()), (0, "12\n"), "{err}");
}

#[test]
fn both_engines_print_the_same() {
    for file in ["counter.avm", "imports.avm"] {
        let tape = avmc(&["run", "--engine", "tape", file]);
        let itree = avmc(&["run", "--engine", "itree", file]);
        assert_eq!(tape, itree, "{file}");
    }
}

#[test]
fn msc_writes_a_mermaid_chart() {
    let path = std::env::temp_dir().join(format!("avmc-msc-{}.mmd", std::process::id()));
    let p = path.display().to_string();
    let (code, _, _) = avmc(&["run", "counter.avm", "--msc", &p]);
    assert_eq!(code, 0);
    let chart = std::fs::read_to_string(&path).expect("chart written");
    let _ = std::fs::remove_file(&path);
    insta::assert_snapshot!(chart);
}

#[test]
fn explain_a_code_and_list() {
    let (code, out, _) = avmc(&["explain", "E0502"]);
    assert!(code == 0 && out.starts_with("# E0502"), "{out}");
    let (code, out, _) = avmc(&["explain", "--list"]);
    assert!(
        code == 0 && out.contains("E0401") && out.contains("E0701"),
        "{out}"
    );
    let (code, _, err) = avmc(&["explain", "E9999"]);
    assert!(code == 1 && err.contains("unknown code"), "{err}");
    // A bare number names the codes with that number.
    let (code, _, err) = avmc(&["explain", "401"]);
    assert!(
        code == 1 && err.contains("`avmc explain E0401` or `avmc explain W0401`"),
        "{err}"
    );
}

#[test]
fn help_explains_commands() {
    let (code, out, _) = avmc(&["--help"]);
    assert_eq!(code, 0);
    for cmd in ["check", "compile", "run", "explain"] {
        assert!(out.contains(cmd), "{out}");
    }
    // Every `--emit` value is explained, and so is `compile` without `--emit` or `-o`.
    let (code, out, _) = avmc(&["compile", "--help"]);
    assert_eq!(code, 0);
    for text in [
        "tokens:",
        "cfg:",
        "control-flow graph",
        "neither `--emit` nor `-o`",
    ] {
        assert!(out.contains(text), "{out}");
    }
    let (_, out, _) = avmc(&["run", "--help"]);
    assert!(
        out.contains("Default: no limit") && out.contains("10000000"),
        "{out}"
    );
}

#[test]
fn runtime_failure_on_a_destroyed_object_says_so() {
    let (code, _, err) = avmc(&["run", "destroyed.avm"]);
    assert_eq!(code, 2);
    assert!(err.contains("destroyed.avm:9:5"), "{err}");
    assert!(err.contains("after `destroy`"), "{err}");
}

#[test]
fn a_recursion_backtrace_folds_repeated_call_sites() {
    insta::assert_snapshot!(transcript(&["run", "--max-depth", "50", "recursion.avm"]));
    let (code, _, err) = avmc(&["run", "--max-depth", "50", "recursion.avm"]);
    assert_eq!(code, 2);
    assert_eq!(err.matches("called from").count(), 1, "{err}");
}

#[test]
fn usage_errors_exit_1_not_the_runtime_status() {
    let (code, _, err) = avmc(&["run"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("required") && err.contains("<FILE>"), "{err}");
    let (code, _, _) = avmc(&["run", "counter.avm", "--engine", "fast"]);
    assert_eq!(code, 1);
    let (code, out, _) = avmc(&["--version"]);
    assert!(code == 0 && out.starts_with("avmc "), "{out}");
}

#[test]
fn unreadable_inputs_say_how_to_fix_them() {
    // A directory given as FILE.
    let (code, _, err) = avmc(&["check", "lib"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("cannot read `lib`") && err.contains("help: give a file"),
        "{err}"
    );
    // A file that is not UTF-8 text, on both `check` and `run`.
    for cmd in ["check", "run"] {
        let (code, _, err) = avmc(&[cmd, "binary.avm"]);
        assert_eq!(code, 1);
        assert!(
            err.contains("help: source files must be UTF-8 text"),
            "{err}"
        );
    }
    // JSON carries the help too.
    let (code, _, err) = avmc(&["--error-format", "json", "run", "no_such_file.avm"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(err.trim()).expect("stderr is JSON");
    assert!(
        v[0]["help"]
            .as_str()
            .is_some_and(|h| h.contains("file name")),
        "{err}"
    );
}

#[test]
fn controller_flag_names_the_controller_of_created_objects_and_is_refused_for_tape() {
    let (code, out, _) = avmc(&["run", "controller.avm", "--controller", "alice"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "\"none / some(controller(\\\"alice\\\"))\"\n")
    );
    let tape = std::env::temp_dir().join(format!("avmc-cli-ctl-{}.tape", std::process::id()));
    let tape_arg = tape.to_string_lossy().into_owned();
    let (code, _, err) = avmc(&["compile", "controller.avm", "-o", &tape_arg]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = avmc(&["run", &tape_arg, "--controller", "alice"]);
    let (plain, out, _) = avmc(&["run", &tape_arg]);
    let _ = std::fs::remove_file(&tape);
    assert!(
        code == 1 && err.contains("error[E0007]: `--controller` has no effect on"),
        "{err}"
    );
    assert_eq!(
        (plain, out.as_str()),
        (0, "\"none / some(controller(\\\"main\\\"))\"\n")
    );
}

#[test]
fn check_and_compile_refuse_a_tape_file_with_a_hint() {
    for cmd in ["check", "compile"] {
        let (code, _, err) = avmc(&[cmd, "bad.tape"]);
        assert_eq!(code, 1);
        assert!(
            err.contains("is a Tape file") && err.contains("help: run it with `avmc run bad.tape`"),
            "{err}"
        );
    }
}

#[test]
fn an_unwritable_msc_path_is_refused_before_the_run() {
    // The chart's path is checked first: nothing runs, so nothing is printed.
    let (code, out, err) = avmc(&["run", "counter.avm", "--msc", "no_such_dir/run.mmd"]);
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert!(
        err.contains("cannot write `no_such_dir/run.mmd`") && err.contains("help:"),
        "{err}"
    );
    let (code, out, err) = avmc(&["run", "fails.avm", "--msc", "no_such_dir/run.mmd"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.contains("cannot write") && !err.contains("division by zero"),
        "{err}"
    );
}

/// Every file the driver cannot use has an `E00xx` code, a `help:` line, and exit status 1;
/// `tests/tests/corpus.rs` counts the driver codes as exercised because this test names them.
#[test]
fn file_errors_have_driver_codes() {
    let tape = std::env::temp_dir().join(format!("avmc-cli-nodir-{}", std::process::id()));
    let unwritable = tape.join("out.tape").to_string_lossy().into_owned();
    let mut cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["run", "no_such_file.avm"],
            "error[E0001]: cannot read `no_such_file.avm`: no such file",
        ),
        (
            vec!["check", "lib"],
            "error[E0002]: cannot read `lib`: it is a directory",
        ),
        (
            vec!["run", "binary.avm"],
            "error[E0003]: cannot read `binary.avm`: it is not UTF-8 text",
        ),
        (
            vec!["compile", "counter.avm", "-o", &unwritable],
            "error[E0005]: cannot write",
        ),
        (
            vec!["run", "counter.avm", "--msc", &unwritable],
            "error[E0005]: cannot write",
        ),
        (
            vec!["check", "bad.tape"],
            "error[E0006]: `bad.tape` is a Tape file",
        ),
        (
            vec!["run", "bad.tape", "--engine", "itree"],
            "error[E0007]: `--engine itree` cannot run `bad.tape`",
        ),
        (
            vec!["run", "bad.tape", "--controller", "alice"],
            "error[E0007]: `--controller` has no effect on `bad.tape`",
        ),
        (
            vec!["compile", "counter.avm", "--format", "text"],
            "error: the following required arguments were not provided",
        ),
        (
            vec![
                "run",
                "counter.avm",
                "--solver",
                "smt",
                "--solver-cmd",
                "no-such-solver-x",
            ],
            "error[E0016]: `--solver smt` needs the SMT solver `no-such-solver-x`",
        ),
        (
            vec!["run", "counter.avm", "--solver", "smt", "--solver-cmd", " "],
            "error[E0017]: `--solver-cmd` is empty",
        ),
    ];
    // A device is refused before a byte is read; a file over the size limit likewise (a
    // sparse file: no disk space used).
    let big = std::env::temp_dir().join(format!("avmc-cli-big-{}.avm", std::process::id()));
    std::fs::File::create(&big)
        .and_then(|f| f.set_len((64 << 20) + 1))
        .expect("sparse file");
    let big_arg = big.to_string_lossy().into_owned();
    if cfg!(unix) {
        cases.push((
            vec!["run", "/dev/zero"],
            "error[E0008]: cannot read `/dev/zero`: it is not a regular file",
        ));
        cases.push((
            vec!["check", "/dev/null"],
            "error[E0008]: cannot read `/dev/null`: it is not a regular file",
        ));
    }
    cases.push((vec!["check", &big_arg], "error[E0009]: cannot read"));
    // Reading unmapped memory fails with an I/O error, whoever runs the test (root reads files
    // whatever their permissions).
    if cfg!(target_os = "linux") {
        cases.push((
            vec!["check", "/proc/self/mem"],
            "error[E0004]: cannot read `/proc/self/mem`",
        ));
    }
    for (args, want) in cases {
        let (code, _, err) = avmc(&args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        if want.starts_with("error[") {
            assert!(err.contains("\n  help: "), "{args:?}: {err}");
        }
    }
    let _ = std::fs::remove_file(&big);
    // JSON gives the code and its title.
    let (_, _, err) = avmc(&["--error-format", "json", "check", "lib"]);
    let v: serde_json::Value = serde_json::from_str(err.trim()).expect("stderr is JSON");
    assert_eq!(v[0]["code"], "E0002", "{err}");
    assert_eq!(v[0]["title"], "input path is a directory", "{err}");
    // Each code is explained.
    for code in [
        "E0001", "E0002", "E0003", "E0004", "E0005", "E0006", "E0007", "E0008", "E0009", "E0016",
        "E0017",
    ] {
        let (status, out, _) = avmc(&["explain", code]);
        assert!(
            status == 0 && out.starts_with(&format!("# {code}")),
            "{out}"
        );
    }
}

#[test]
fn near_misses_get_a_did_you_mean() {
    // `x.avm` for an example that is `x/main.avm`; `x` for `x.avm`.
    let (code, _, err) = avmc(&["run", "../../../examples/counter.avm"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("error[E0001]")
            && err.contains("did you mean `../../../examples/counter/main.avm`?"),
        "{err}"
    );
    let (_, _, err) = avmc(&["check", "counter"]);
    assert!(err.contains("did you mean `counter.avm`?"), "{err}");
    // A code without its leading zero.
    let (code, _, err) = avmc(&["explain", "E401"]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean `avmc explain E0401`?"), "{err}");
    let (_, _, err) = avmc(&["explain", "401"]);
    assert!(
        err.contains("`avmc explain E0401` or `avmc explain W0401`"),
        "{err}"
    );
}

/// A long program (a block of 10 000 statements): the lowering recurses once per statement,
/// so `avmc` runs the command on a thread with a large stack instead of the main thread's.
#[test]
fn a_block_of_ten_thousand_statements_runs() {
    let mut src = String::from("fn main() -> Int {\nlet t0 = 1\n");
    for i in 1..10_000 {
        src.push_str(&format!("let t{i} = t{} + 1\n", i - 1));
    }
    src.push_str("t9999\n}\n");
    let path = std::env::temp_dir().join(format!("avmc-cli-long-{}.avm", std::process::id()));
    std::fs::write(&path, src).expect("temp file");
    let (code, out, err) = avmc(&["run", &path.to_string_lossy()]);
    let _ = std::fs::remove_file(&path);
    assert_eq!((code, out.as_str()), (0, "10000\n"), "{err}");
}
