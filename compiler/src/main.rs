//! `avmc`: command-line entry point.

fn main() {}
