//! Source locations carried by programs, and the backtrace of a failed run.
//!
//! Takes nothing; produces [`SrcLoc`] (a byte range in one source file of the program's source
//! table: what `Term::At` marks in ITree terms and what a Tape function's span table maps op
//! indices to) and [`Backtrace`] (the locations active when a run failed, innermost first),
//! which both interpreters put in their `RunResult`. The VM never reads source files: a front
//! end maps `source` to a file name (the program's source table) and the byte range to lines.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` in source file number `source` of the program's
/// source table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SrcLoc {
    /// The index of the file in the program's source table.
    pub source: u32,
    /// The first byte.
    pub start: u32,
    /// One past the last byte (`>= start`).
    pub end: u32,
}

/// Where a failed run was: the failing location first, then the location of each call that
/// led to it (calls with no location are left out).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Backtrace {
    /// Innermost first; at most [`Backtrace::MAX_FRAMES`] entries.
    pub frames: Vec<SrcLoc>,
    /// How many further caller frames were not looked at (deep recursion).
    pub omitted: usize,
}

impl Backtrace {
    /// The most locations a backtrace records.
    pub const MAX_FRAMES: usize = 32;

    /// The failing location, if known.
    pub fn innermost(&self) -> Option<SrcLoc> {
        self.frames.first().copied()
    }

    /// A backtrace of at most [`Backtrace::MAX_FRAMES`] entries from locations innermost
    /// first; locations repeated back to back (a recursion through one call site) are kept.
    pub fn from_locations(locations: impl Iterator<Item = SrcLoc>) -> Backtrace {
        let mut frames = Vec::new();
        let mut omitted = 0;
        for loc in locations {
            if frames.len() < Self::MAX_FRAMES {
                frames.push(loc);
            } else {
                omitted += 1;
            }
        }
        Backtrace { frames, omitted }
    }
}
