//! The resource flags of `avmc run`: `--max-memory` and `--timeout`.
//!
//! Takes the flags' text (a byte size with an optional `K`/`M`/`G` suffix, binary multiples;
//! a number of seconds, fractions allowed); produces the memory limit for the VM's
//! `Limits::max_memory` (`avm_vm::budget`) and the wall-clock limit the run loop checks between
//! slices (`run_loop`). A malformed value is a usage error from clap, naming the flag.

use std::time::Duration;

use clap::Args;

/// `avmc run`'s resource limits beyond `--fuel` and `--max-depth`.
#[derive(Args, Debug, Clone, Default)]
pub(super) struct RunBounds {
    /// The memory the run may use, counted by the VM: no value it builds (list, string) may
    /// be larger, nor its stacks (registers, frames, transaction restart copies); a suffix K,
    /// M or G multiplies by 1024, 1024², 1024³. Exceeding it fails with E0702. Default: 1G.
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes)]
    max_memory: Option<usize>,
    /// Stop the run after this many seconds of wall-clock time (fractions allowed), failing
    /// with E0703. Default: no limit.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    timeout: Option<Duration>,
}

impl RunBounds {
    /// The memory limit in bytes (the VM's default without the flag).
    pub fn max_memory(&self) -> usize {
        self.max_memory
            .unwrap_or(avm_vm::budget::DEFAULT_MAX_MEMORY)
    }

    /// The wall-clock limit, if any.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The timeout as the user wrote it, for the error message.
    pub fn timeout_text(&self) -> String {
        match self.timeout {
            Some(t) => format!("{} s", t.as_secs_f64()),
            None => "no limit".to_string(),
        }
    }
}

/// `1048576`, `64K`, `512M`, `2G` → bytes.
fn parse_bytes(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let (digits, shift) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 10),
        Some((i, 'm' | 'M')) => (&t[..i], 20),
        Some((i, 'g' | 'G')) => (&t[..i], 30),
        _ => (t, 0),
    };
    let n: usize = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write bytes, or a number with K, M or G"))?;
    n.checked_mul(1usize << shift)
        .filter(|&b| b > 0)
        .ok_or_else(|| format!("`{text}` is not a usable size (zero or too large)"))
}

/// `2`, `0.5` → a duration.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("`{text}` is not a usable number of seconds (give more than 0)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_bytes("4096"), Ok(4096));
        assert_eq!(parse_bytes("64K"), Ok(64 << 10));
        assert_eq!(parse_bytes("512m"), Ok(512 << 20));
        assert_eq!(parse_bytes("1G"), Ok(1 << 30));
        assert!(parse_bytes("0").is_err());
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("99999999999999999999G").is_err());
    }

    #[test]
    fn seconds_may_be_fractions() {
        assert_eq!(parse_seconds("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_seconds("0.25"), Ok(Duration::from_millis(250)));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("soon").is_err());
    }
}
