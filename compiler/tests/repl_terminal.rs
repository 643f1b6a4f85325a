//! Smoke test of `avmc repl` in a real pseudo-terminal (rexpect): the rustyline front end
//! starts, shows the fixed prompt, evaluates a definition, a multi-line definition and an
//! expression, completes a name with Tab, and leaves on `:quit`. Colour and history are off;
//! a second test keeps history in `$XDG_STATE_HOME/avmc/history`.

use std::process::Command;

use rexpect::session::spawn_command;

#[test]
fn repl_runs_in_a_terminal() -> Result<(), rexpect::error::Error> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_avmc"));
    cmd.args(["repl", "--no-history", "--color", "never"])
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let mut p = spawn_command(cmd, Some(30_000))?;
    p.exp_string("avm> ")?;
    p.send_line("fn triple(x: Int) -> Int { x * 3 }")?;
    p.exp_string("defined fn triple")?;
    p.exp_string("avm> ")?;
    // A definition over two lines: the first line is incomplete, so Enter continues it.
    p.send_line("fn add_one(x: Int) -> Int {")?;
    p.send_line("x + 1 }")?;
    p.exp_string("defined fn add_one")?;
    p.exp_string("avm> ")?;
    // Tab completes `tri` to `triple`.
    p.send("tri")?;
    p.send("\t")?;
    p.send_line("(add_one(13))")?;
    p.exp_string("- : Int = 42")?;
    p.exp_string("avm> ")?;
    p.send_line(":quit")?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn history_is_written_to_xdg_state_home() -> Result<(), rexpect::error::Error> {
    let state = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("repl_history_state");
    let file = state.join("avmc/history");
    let _ = std::fs::remove_file(&file);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_avmc"));
    cmd.args(["repl", "--color", "never"])
        .env("XDG_STATE_HOME", &state)
        .env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(30_000))?;
    p.exp_string("avm> ")?;
    p.send_line("40 + 2")?;
    p.exp_string("- : Int = 42")?;
    p.exp_string("avm> ")?;
    p.send_line(":quit")?;
    p.exp_eof()?;
    let history = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(history.contains("40 + 2"), "history file: {history:?}");
    Ok(())
}
