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

fn main() -> std::process::ExitCode {
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
