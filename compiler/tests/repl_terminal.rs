//! Smoke test of `avmc repl` in a real pseudo-terminal (rexpect): the rustyline front end
//! starts, shows the fixed prompt, evaluates a definition, a multi-line definition and an
//! expression, completes a name with Tab, and leaves on `:quit`. Colour and history are off.

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
