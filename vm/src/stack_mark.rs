//! Lazy snapshots of an interpreter's stacks, for transaction restart points.
//!
//! Takes a stack (a `Vec` used as a stack: registers, variable values, frames, continuations,
//! saved call contexts, catch scopes) at the moment a transaction begins and a *floor* below
//! which the running code cannot write; produces a [`StackMark`] that can later put the stack
//! back as it was. Only the part at or above the floor is copied when the mark is taken (the
//! running frame's, which it keeps writing); the part below is copied only when the stack is
//! about to be cut below the floor or written there (`lower`, called by the interpreter when a
//! frame that was live at the mark returns while the transaction is still open). So beginning a
//! transaction costs the size of the running frame, not the depth of the stack, and a
//! transaction that commits in the frame that began it (every compiled `atomic`) never copies
//! anything below it.

/// A stack as it was when the mark was taken: `stack[..floor]` is unchanged in the live stack
/// (the interpreter keeps it so by calling [`StackMark::lower`]), the rest is kept here.
#[derive(Clone, Debug)]
pub struct StackMark<T> {
    floor: usize,
    /// `stack[floor..len at the mark]`, last element first (lowering the floor appends).
    saved_rev: Vec<T>,
}

impl<T: Clone> StackMark<T> {
    /// Marks `stack`, copying `stack[floor..]` (`floor` is clamped to the stack's length).
    pub fn new(stack: &[T], floor: usize) -> Self {
        let floor = floor.min(stack.len());
        StackMark {
            floor,
            saved_rev: stack[floor..].iter().rev().cloned().collect(),
        }
    }

    /// The length of the stack when the mark was taken.
    pub fn len(&self) -> usize {
        self.floor + self.saved_rev.len()
    }

    /// Whether the marked stack was empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Below this index the live stack still holds the marked elements.
    pub fn floor(&self) -> usize {
        self.floor
    }

    /// The number of elements the mark holds a copy of.
    pub fn copied(&self) -> usize {
        self.saved_rev.len()
    }

    /// Call before the live `stack` is cut to `to` elements or written at an index `>= to`
    /// below the floor: copies `stack[to..floor]` (still as marked) and lowers the floor.
    pub fn lower(&mut self, stack: &[T], to: usize) {
        if to < self.floor {
            let top = self.floor.min(stack.len());
            self.saved_rev
                .extend(stack[to.min(top)..top].iter().rev().cloned());
            self.floor = to;
        }
    }

    /// The marked elements from the floor up, in stack order (the floor's index first).
    pub fn saved(&self) -> impl Iterator<Item = &T> {
        self.saved_rev.iter().rev()
    }

    /// Puts the stack back as marked (truncating and refilling above the floor).
    pub fn restore(&self, stack: &mut Vec<T>) {
        stack.truncate(self.floor);
        stack.extend(self.saved().cloned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_copies_only_above_its_floor() {
        let stack: Vec<u32> = (0..1000).collect();
        let m = StackMark::new(&stack, 998);
        assert_eq!(m.copied(), 2);
        assert_eq!(m.len(), 1000);
        assert_eq!(m.floor(), 998);
    }

    #[test]
    fn restore_undoes_pushes_pops_and_writes_above_the_floor() {
        let mut stack = vec![1, 2, 3, 4];
        let mut m = StackMark::new(&stack, 2);
        stack[3] = 40;
        stack.push(5);
        m.lower(&stack, 2);
        m.restore(&mut stack);
        assert_eq!(stack, vec![1, 2, 3, 4]);
    }

    #[test]
    fn lowering_before_a_cut_keeps_what_was_below_the_floor() {
        let mut stack = vec![1, 2, 3, 4];
        let mut m = StackMark::new(&stack, 3);
        // The frame at index 3 returns, the one at index 1 becomes the top and is written.
        m.lower(&stack, 1);
        stack.truncate(2);
        stack[1] = 20;
        stack.push(9);
        assert_eq!(m.floor(), 1);
        m.restore(&mut stack);
        assert_eq!(stack, vec![1, 2, 3, 4]);
        // Lowering again is cumulative and in order.
        let mut m = StackMark::new(&stack, 4);
        m.lower(&stack, 3);
        m.lower(&stack, 0);
        stack.clear();
        m.restore(&mut stack);
        assert_eq!(stack, vec![1, 2, 3, 4]);
    }
}
