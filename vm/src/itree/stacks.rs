//! Reuse of the reference interpreter's stacks across runs on one thread.
//!
//! Takes the value, continuation and saved-call stacks of a finished run (`Interp::finish`) and
//! hands them, emptied but with their capacity, to the next run started on the same thread
//! (`Interp::new`). A run then does not pay again for growing its stacks or for the kernel's
//! first touch of their pages: at call depth 10^6 the stacks are about 200 MB. One set is kept
//! per thread (the larger one when two runs finish), and none above `MAX_KEPT_BYTES`.

use crate::isa::obj::SavedCall;
use crate::itree::interp::Kont;
use crate::value::Val;
use std::cell::Cell;
use std::mem::size_of;

/// The largest set of stacks (by capacity) kept for the next run; larger ones are freed.
pub(super) const MAX_KEPT_BYTES: usize = 512 << 20;

/// The three stacks of a run.
#[derive(Default)]
pub(super) struct Stacks {
    /// Variable values (`Env::vars`).
    pub vars: Vec<Val>,
    /// Continuation entries.
    pub konts: Vec<Kont>,
    /// Saved caller contexts of behaviour calls.
    pub saved_calls: Vec<SavedCall>,
}

impl Stacks {
    /// The bytes their capacity occupies.
    fn bytes(&self) -> usize {
        self.vars.capacity() * size_of::<Val>()
            + self.konts.capacity() * size_of::<Kont>()
            + self.saved_calls.capacity() * size_of::<SavedCall>()
    }
}

thread_local! {
    static KEPT: Cell<Option<Stacks>> = const { Cell::new(None) };
}

/// Empty stacks for a new run: the thread's kept set if there is one.
pub(super) fn take() -> Stacks {
    KEPT.with(|k| k.take()).unwrap_or_default()
}

/// Empties the stacks of a finished run and keeps them for the next run on this thread, unless
/// they are over `MAX_KEPT_BYTES` or smaller than the set already kept.
pub(super) fn give(mut stacks: Stacks) {
    stacks.vars.clear();
    stacks.konts.clear();
    stacks.saved_calls.clear();
    if stacks.bytes() > MAX_KEPT_BYTES {
        return;
    }
    KEPT.with(|k| {
        let kept = k.take();
        let keep = match kept {
            Some(old) if old.bytes() >= stacks.bytes() => old,
            _ => stacks,
        };
        k.set(Some(keep));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_runs_stacks_are_reused_empty() {
        let _ = take();
        let mut s = Stacks::default();
        s.vars.extend([Val::Int(1), Val::Int(2)]);
        let cap = s.vars.capacity();
        give(s);
        let again = take();
        assert!(again.vars.is_empty());
        assert_eq!(again.vars.capacity(), cap);
        // Taken: the next run on this thread starts with fresh stacks.
        assert_eq!(take().vars.capacity(), 0);
    }

    #[test]
    fn the_larger_set_is_kept() {
        let _ = take();
        let big = Stacks {
            vars: Vec::with_capacity(100),
            ..Stacks::default()
        };
        give(big);
        give(Stacks {
            vars: Vec::with_capacity(10),
            ..Stacks::default()
        });
        assert_eq!(take().vars.capacity(), 100);
    }
}
