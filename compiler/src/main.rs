//! `avmc`: command-line entry point. All of the toolchain's IO happens in [`cli`].
//!
//! The command runs on a thread with a large stack: the compiler's passes and the
//! interpreters recurse over the program (the ITree lowering once per statement of a block),
//! so a long generated program would overflow the main thread's 8 MiB. The stack is reserved,
//! not committed: a small program touches only the pages it uses.

mod cli;

/// The stack of the thread that runs the command (enough for a block of about 20 000
/// statements in a debug build).
const STACK_BYTES: usize = 256 << 20;

/// Whether a panic is `print!`'s on a closed stdout (`avmc explain --list | head -1`): Rust
/// ignores `SIGPIPE`, so the write fails and `print!` panics instead of the process ending
/// quietly as other command-line tools do.
fn is_closed_stdout(info: &std::panic::PanicHookInfo<'_>) -> bool {
    let text = info
        .payload()
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| info.payload().downcast_ref::<&str>().copied())
        .unwrap_or("");
    text.starts_with("failed printing to stdout") && text.contains("Broken pipe")
}

fn main() -> std::process::ExitCode {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if is_closed_stdout(info) {
            std::process::exit(i32::from(cli::EXIT_OUTPUT_CLOSED));
        }
        default_hook(info);
    }));
    let worker = std::thread::Builder::new()
        .name("avmc".into())
        .stack_size(STACK_BYTES)
        .spawn(cli::main);
    match worker {
        Ok(handle) => match handle.join() {
            Ok(code) => code,
            // The panic message was already printed by the thread.
            Err(_) => std::process::ExitCode::from(101),
        },
        // No thread (e.g. a tight address-space limit): run on this one.
        Err(_) => cli::main(),
    }
}
