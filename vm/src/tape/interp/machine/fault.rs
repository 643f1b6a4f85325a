//! Where a failed Tape run was: the backtrace of source locations.
//!
//! Takes the running [`Interp`] at the moment an error ends the run (its frame stack intact)
//! and the index of the failing op in the innermost frame's function; produces the
//! [`Backtrace`]: that op's location, then the call op of each caller (a frame's saved pc is
//! one past the call that created the frame above it), each mapped through its function's
//! span table. Frames whose function has no span for the op are left out. Runs only on the
//! error path.

use super::Interp;
use crate::srcloc::Backtrace;
use crate::tape::program::span_at;

impl Interp<'_> {
    /// The backtrace for a failure at op `fault` of the innermost frame. Stops after
    /// [`Backtrace::MAX_FRAMES`] locations; the frames not looked at are counted as omitted
    /// (a failure deep in a long recursion costs no more than a shallow one).
    #[cold]
    pub(super) fn backtrace_at(&self, fault: usize) -> Backtrace {
        let image = self.image;
        let mut frames = Vec::new();
        let mut examined = 0;
        for (i, frame) in self.frames.iter().rev().enumerate() {
            if frames.len() == Backtrace::MAX_FRAMES {
                break;
            }
            examined = i + 1;
            let op = if i == 0 {
                fault
            } else {
                (frame.pc as usize).saturating_sub(1)
            };
            let loc = image
                .functions
                .get(frame.func as usize)
                .zip(u32::try_from(op).ok())
                .and_then(|(function, op)| span_at(&function.spans, op));
            frames.extend(loc);
        }
        Backtrace {
            frames,
            omitted: self.frames.len() - examined,
        }
    }
}
