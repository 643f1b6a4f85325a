//! `avmc`: command-line entry point. All of the toolchain's IO happens in [`cli`].

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
