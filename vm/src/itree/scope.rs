//! The bindings in scope while a body is resolved (`resolve.rs`).
//!
//! Takes bindings pushed and dropped in stack order; answers which slot and binder a name
//! refers to. A stack of (name, binder) entries keeps the slot order the interpreter's frames
//! use, and an index from each name to its innermost entry makes a lookup O(1) however many
//! bindings are live: searching the stack from the top made a block of 70,000 `let`s that all
//! read its first binding quadratic (12 s to resolve).

use crate::itree::term::Name;
use rustc_hash::FxHashMap;

/// One binding: its name, its binder id, and the entry of the same name it shadows.
struct Entry<'p> {
    name: &'p Name,
    binder: usize,
    shadows: Option<usize>,
}

/// The bindings in scope, innermost last; slot `i` is the `i`th entry.
#[derive(Default)]
pub(super) struct Scope<'p> {
    entries: Vec<Entry<'p>>,
    innermost: FxHashMap<&'p str, usize>,
}

impl<'p> Scope<'p> {
    /// How many bindings are in scope.
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Brings `name` into scope as the next slot.
    pub(super) fn push(&mut self, name: &'p Name, binder: usize) {
        let slot = self.entries.len();
        let shadows = self.innermost.insert(name, slot);
        self.entries.push(Entry {
            name,
            binder,
            shadows,
        });
    }

    /// Brings each of `bindings` into scope, in order.
    pub(super) fn extend(&mut self, bindings: impl IntoIterator<Item = (&'p Name, usize)>) {
        for (name, binder) in bindings {
            self.push(name, binder);
        }
    }

    /// Drops the bindings after the first `len`, uncovering what they shadowed.
    pub(super) fn truncate(&mut self, len: usize) {
        while self.entries.len() > len {
            let Some(e) = self.entries.pop() else { break };
            match e.shadows {
                Some(slot) => {
                    self.innermost.insert(e.name, slot);
                }
                None => {
                    self.innermost.remove(&**e.name);
                }
            }
        }
    }

    /// Drops every binding.
    pub(super) fn clear(&mut self) {
        self.entries.clear();
        self.innermost.clear();
    }

    /// The innermost binding of `name`: its slot and binder id.
    pub(super) fn lookup(&self, name: &str) -> Option<(usize, usize)> {
        let slot = *self.innermost.get(name)?;
        Some((slot, self.entries.get(slot)?.binder))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_innermost_binding_wins_and_truncation_uncovers_the_outer_one() {
        let (x, y): (Name, Name) = ("x".into(), "y".into());
        let mut s = Scope::default();
        s.push(&x, 10);
        s.push(&y, 11);
        s.push(&x, 12);
        assert_eq!(s.lookup("x"), Some((2, 12)));
        assert_eq!(s.lookup("y"), Some((1, 11)));
        s.truncate(2);
        assert_eq!(s.lookup("x"), Some((0, 10)));
        s.truncate(0);
        assert_eq!(s.lookup("x"), None);
        s.extend([(&y, 20)]);
        assert_eq!((s.len(), s.lookup("y")), (1, Some((0, 20))));
        s.clear();
        assert_eq!(s.lookup("y"), None);
    }
}
