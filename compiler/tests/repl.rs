//! REPL transcripts: every `compiler/tests/repl_transcripts/*.txt` is replayed against a fresh
//! `avm_compiler::repl::Session` and must match.
//!
//! Takes transcript files: lines starting `> ` are input (`. ` continues the same input, the
//! way a multi-line entry is typed), the lines after an input are the REPL's rendered reply
//! (colour off); lines starting `#` before the first input are comments. Produces a failure
//! that shows the whole expected and actual transcript. `UPDATE_TRANSCRIPTS=1` rewrites the
//! files with the actual replies instead. Also tests completion and `:msc` at the session API.

use std::path::{Path, PathBuf};

use avm_compiler::diagnostics::render::ColorChoice;
use avm_compiler::pipeline::SourceLoader;
use avm_compiler::repl::{Mode, ReplHost, Session};

/// Files relative to the repository root; `:msc` writes into the test's scratch directory.
struct TestHost {
    root: PathBuf,
    out_dir: PathBuf,
}

impl TestHost {
    fn new() -> TestHost {
        TestHost {
            root: Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
            out_dir: PathBuf::from(env!("CARGO_TARGET_TMPDIR")),
        }
    }
}

impl SourceLoader for TestHost {
    fn load_text(&mut self, path: &str) -> Option<(String, String)> {
        let rel = match path.strip_prefix("std.") {
            Some(rest) => format!("std/{}.avm", rest.replace('.', "/")),
            None => format!("{}.avm", path.replace('.', "/")),
        };
        let text = std::fs::read_to_string(self.root.join(&rel)).ok()?;
        Some((rel, text))
    }
}

impl ReplHost for TestHost {
    fn read_file(&mut self, path: &str) -> Result<String, std::io::Error> {
        std::fs::read_to_string(self.root.join(path))
    }

    fn is_file(&mut self, path: &str) -> bool {
        self.root.join(path).is_file()
    }

    fn write_file(&mut self, path: &str, text: &str) -> Result<(), std::io::Error> {
        let name = Path::new(path)
            .file_name()
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::IsADirectory))?;
        std::fs::write(self.out_dir.join(name), text)
    }
}

/// The inputs of a transcript (continuation lines joined with newlines) and its comment head.
fn inputs(text: &str) -> (String, Vec<String>) {
    let mut head = String::new();
    let mut inputs: Vec<String> = Vec::new();
    let mut started = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("> ") {
            inputs.push(rest.to_string());
            started = true;
        } else if let Some(rest) = line
            .strip_prefix(". ")
            .or(line.strip_prefix(".").filter(|r| r.is_empty()))
        {
            if let Some(last) = inputs.last_mut() {
                last.push('\n');
                last.push_str(rest);
            }
        } else if !started {
            head.push_str(line);
            head.push('\n');
        }
    }
    (head, inputs)
}

/// Replays the inputs; the transcript the session produces.
fn replay(head: &str, inputs: &[String]) -> String {
    let mut session = Session::new(Mode::Avm);
    let mut host = TestHost::new();
    let mut out = head.to_string();
    for input in inputs {
        for (i, line) in input.lines().enumerate() {
            out.push_str(if i == 0 { "> " } else { ". " });
            out.push_str(line);
            out.push('\n');
        }
        let reply = session.eval(input, &mut host);
        for line in reply.render(ColorChoice::Off).lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

fn normalise(text: &str) -> String {
    text.lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

#[test]
fn transcripts_replay() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/repl_transcripts");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the transcript directory exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 8, "only {} transcripts", paths.len());
    let update = std::env::var_os("UPDATE_TRANSCRIPTS").is_some();
    let mut failures = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable transcript");
        let (head, inputs) = inputs(&text);
        assert!(!inputs.is_empty(), "{}: no input", path.display());
        let actual = replay(&head, &inputs);
        if update {
            std::fs::write(&path, &actual).expect("writable transcript");
        } else if normalise(&actual) != normalise(&text) {
            failures.push(format!(
                "{}:\n--- expected ---\n{text}--- actual ---\n{actual}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn completion_offers_commands_definitions_bindings_and_keywords() {
    let mut session = Session::new(Mode::Avm);
    let mut host = TestHost::new();
    session.eval("fn double(x: Int) -> Int { x * 2 }", &mut host);
    session.eval("let dozen = double(6)", &mut host);
    assert_eq!(session.complete(":ty", 3), (0, vec![":type".to_string()]));
    let (start, names) = session.complete(":l", 2);
    assert_eq!((start, names), (0, vec![":load".to_string()]));
    assert_eq!(
        session.complete("1 + do", 6),
        (4, vec!["double".to_string(), "dozen".to_string()])
    );
    assert_eq!(session.complete("wh", 2), (0, vec!["while".to_string()]));
    assert_eq!(
        session.complete(":type dou", 9),
        (6, vec!["double".to_string()])
    );
    assert_eq!(session.complete(":load do", 8), (6, Vec::<String>::new()));
}

#[test]
fn multi_line_input_is_detected() {
    let session = Session::new(Mode::Avm);
    assert!(session.needs_more("fn f() -> Int {"));
    assert!(session.needs_more("let s = \"abc"));
    assert!(!session.needs_more("fn f() -> Int { 1 }"));
    assert!(!session.needs_more("let = )"));
    assert!(!session.needs_more(":type {"));
}

#[test]
fn msc_writes_a_chart_of_the_session() {
    let mut session = Session::new(Mode::Avm);
    let mut host = TestHost::new();
    session.eval(
        "object Cell { state v: Int = 0; fn set(x: Int) -> Int { v = x; v } }",
        &mut host,
    );
    session.eval("let c = create Cell", &mut host);
    session.eval("c.set(4)", &mut host);
    let reply = session.eval(":msc repl_session.mmd", &mut host);
    assert!(!reply.has_errors(), "{}", reply.render(ColorChoice::Off));
    let chart = std::fs::read_to_string(host.out_dir.join("repl_session.mmd")).expect("written");
    assert!(chart.starts_with("sequenceDiagram"), "{chart}");
    assert!(chart.contains("create"), "{chart}");
    assert!(chart.contains("-->>main: 4"), "{chart}");
}

#[test]
fn a_runtime_failure_in_a_kept_function_points_at_it_and_at_the_call() {
    let mut session = Session::new(Mode::Avm);
    let mut host = TestHost::new();
    session.eval("fn half(x: Int) -> Int {\n  x / (x - x)\n}", &mut host);
    let reply = session.eval("let y = 1\nhalf(y) + 1", &mut host);
    assert!(reply.has_errors());
    let text = reply.render(ColorChoice::Off);
    // The failing line is in the definition, in the input it was typed in; the call site is
    // the second line of the input that ran.
    assert!(text.contains("<repl:1>:2:3"), "{text}");
    assert!(
        text.contains("[E0701] Error: runtime failure: division by zero"),
        "{text}"
    );
    assert!(text.contains("x / (x - x)"), "{text}");
    assert!(text.contains("called from <repl:2>:2:1"), "{text}");
    assert!(text.contains("Help: check the divisor first"), "{text}");
}

#[test]
fn an_endless_loop_runs_out_of_fuel_and_the_session_goes_on() {
    let mut session = Session::new(Mode::Avm);
    let mut host = TestHost::new();
    session.set_fuel(10_000);
    session.eval("var n = 0", &mut host);
    let reply = session.eval("while true { n += 1 }", &mut host);
    let text = reply.render(ColorChoice::Off);
    assert!(
        text.contains("[E0701] Error") && text.contains("fuel") && text.contains("n += 1"),
        "{text}"
    );
    let reply = session.eval("n", &mut host);
    assert_eq!(reply.render(ColorChoice::Off), "- : Int = 0\n");
}
