//! The list value of `Val::List`: O(1) cons, tail, push and index, shared buffers.
//!
//! Takes values and produces persistent lists. A list is a window `lo..hi` of absolute positions
//! into a shared, growable buffer (a `VecDeque` and the absolute position of its first slot).
//! `tail` narrows the window (no copy); `cons` and `push` write one slot just outside the
//! window when that slot is the buffer's free edge — no other list sees past its own window, so
//! growing the buffer there changes no other value — and copy the window into a new buffer
//! otherwise (two conses onto the same list: the second copies). A buffer held by this list
//! alone is trimmed to the window first, so a uniquely owned list always grows in place. Cons,
//! tail, push and index are therefore O(1) (amortised), and `a ++ b` costs `len(a)` when it can
//! grow `b`'s buffer at its front (or `len(b)` at `a`'s back). Elements are cloned out of the
//! buffer on reading (a short `RefCell` borrow, never held across other list operations), so no
//! reference into a buffer outlives a borrow. Positions are `i32`s to keep `Val` at 24 bytes:
//! a list holds at most `i32::MAX` elements (48 GiB of values, far past any memory limit); a
//! window whose edge would leave the `i32` range is copied into a fresh buffer instead.

use crate::budget;
use crate::error::LimitError;
use crate::value::Val;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::rc::Rc;

struct Buf {
    items: VecDeque<Val>,
    /// The absolute position of `items[0]`.
    front: i32,
}

impl Buf {
    fn end(&self) -> i64 {
        i64::from(self.front) + self.items.len() as i64
    }
}

/// A list value (see the module doc): cheap to clone, O(1) cons / tail / push / index.
#[derive(Clone)]
pub struct List {
    buf: Rc<RefCell<Buf>>,
    lo: i32,
    hi: i32,
}

/// Which edge of a list an element is added at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Edge {
    Front,
    Back,
}

impl List {
    /// The empty list.
    pub fn new() -> List {
        List::from_vec(Vec::new())
    }

    /// A list of the elements of `items`, in order (at most `i32::MAX` of them are kept: see
    /// the module doc).
    pub fn from_vec(items: Vec<Val>) -> List {
        let hi = i32::try_from(items.len()).unwrap_or(i32::MAX);
        List {
            buf: Rc::new(RefCell::new(Buf {
                items: VecDeque::from(items),
                front: 0,
            })),
            lo: 0,
            hi,
        }
    }

    /// The number of elements.
    #[inline]
    pub fn len(&self) -> usize {
        // `hi >= lo` always holds.
        (i64::from(self.hi) - i64::from(self.lo)) as usize
    }

    /// Whether the list has no elements.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.hi == self.lo
    }

    /// Element `i` (from 0), if there is one.
    #[inline]
    pub fn get(&self, i: usize) -> Option<Val> {
        if i >= self.len() {
            return None;
        }
        let buf = self.buf.borrow();
        let k = (i64::from(self.lo) - i64::from(buf.front)) as usize + i;
        buf.items.get(k).cloned()
    }

    /// Whether `a` and `b` are the same window of the same buffer (a clone of each other).
    pub fn ptr_eq(a: &List, b: &List) -> bool {
        Rc::ptr_eq(&a.buf, &b.buf) && a.lo == b.lo && a.hi == b.hi
    }

    /// The first element, if any.
    #[inline]
    pub fn first(&self) -> Option<Val> {
        self.get(0)
    }

    /// Everything after the first element (`None` for the empty list). O(1): the same buffer.
    #[inline]
    pub fn tail(&self) -> Option<List> {
        (!self.is_empty()).then(|| List {
            buf: Rc::clone(&self.buf),
            lo: self.lo + 1,
            hi: self.hi,
        })
    }

    /// The first element and the rest, if the list is not empty.
    pub fn split_first(&self) -> Option<(Val, List)> {
        Some((self.first()?, self.tail()?))
    }

    /// The elements in order, cloned.
    pub fn to_vec(&self) -> Vec<Val> {
        let buf = self.buf.borrow();
        let start = (i64::from(self.lo) - i64::from(buf.front)) as usize;
        buf.items
            .range(start..start + self.len())
            .cloned()
            .collect()
    }

    /// An iterator over the elements in order, each cloned when it is reached.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Val> + ExactSizeIterator + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or(Val::Unit))
    }

    /// `[x] ++ self`, O(1) amortised (checked against the memory limit when a buffer grows or
    /// is copied).
    pub fn cons(&self, x: Val) -> Result<List, LimitError> {
        self.add(Edge::Front, std::iter::once(x))
    }

    /// `self ++ [x]`, O(1) amortised.
    pub fn push(&self, x: Val) -> Result<List, LimitError> {
        self.add(Edge::Back, std::iter::once(x))
    }

    /// `self ++ other`: grows `other` at its front by `self`'s elements, or `self` at its back
    /// by `other`'s, whichever buffer has the right free edge (the shorter side is preferred),
    /// else copies both.
    pub fn concat(&self, other: &List) -> Result<List, LimitError> {
        if other.is_empty() {
            return Ok(self.clone());
        }
        if self.is_empty() {
            return Ok(other.clone());
        }
        let front_ok = other.free_edge(Edge::Front);
        let back_ok = self.free_edge(Edge::Back);
        if front_ok && (self.len() <= other.len() || !back_ok) {
            // Collected first: `self` may share `other`'s buffer, which `add` borrows mutably.
            let xs: Vec<Val> = self.iter().rev().collect();
            return other.add(Edge::Front, xs.into_iter());
        }
        if back_ok {
            let xs: Vec<Val> = other.iter().collect();
            return self.add(Edge::Back, xs.into_iter());
        }
        let len = self.len().saturating_add(other.len());
        budget::build_items(len)?;
        budget::charge(len);
        let mut items = Vec::with_capacity(len);
        items.extend(self.iter());
        items.extend(other.iter());
        Self::checked_fresh(items)
    }

    /// The list of `items`, or a memory-limit error when it is longer than a list can be.
    fn checked_fresh(items: Vec<Val>) -> Result<List, LimitError> {
        if i32::try_from(items.len()).is_err() {
            return Err(LimitError::MemoryLimitExceeded {
                max_memory: budget::memory_limit(),
                needed: items.len().saturating_mul(std::mem::size_of::<Val>()),
            });
        }
        Ok(List::from_vec(items))
    }

    /// Whether an element can be written just outside `edge` of this list's window in its own
    /// buffer: the slot there is the buffer's free edge, or the buffer is this list's alone
    /// (then `add` trims it to the window first).
    fn free_edge(&self, edge: Edge) -> bool {
        if Rc::strong_count(&self.buf) == 1 {
            return true;
        }
        let Ok(buf) = self.buf.try_borrow() else {
            return false;
        };
        match edge {
            Edge::Front => self.lo == buf.front,
            Edge::Back => i64::from(self.hi) == buf.end(),
        }
    }

    /// This list with `xs` added at `edge` one by one (so at the front they end up in reverse
    /// order of `xs`).
    fn add(&self, edge: Edge, xs: impl ExactSizeIterator<Item = Val>) -> Result<List, LimitError> {
        let n = xs.len();
        // The elements written pay for their copy (`budget`: fuel bounds time), in place or not.
        budget::charge(n);
        let (lo, hi) = match edge {
            Edge::Front => (i64::from(self.lo) - n as i64, i64::from(self.hi)),
            Edge::Back => (i64::from(self.lo), i64::from(self.hi) + n as i64),
        };
        let in_range = i32::try_from(lo).is_ok() && i32::try_from(hi).is_ok();
        if in_range
            && self.free_edge(edge)
            && let Ok(mut buf) = self.buf.try_borrow_mut()
        {
            if Rc::strong_count(&self.buf) == 1 {
                trim(&mut buf, self.lo, self.hi);
            }
            let len = buf.items.len().saturating_add(n);
            if len > buf.items.capacity() {
                budget::reserve(len.saturating_mul(2 * std::mem::size_of::<Val>()))?;
            }
            match edge {
                Edge::Front => {
                    for x in xs {
                        buf.items.push_front(x);
                    }
                    buf.front = lo as i32;
                }
                Edge::Back => buf.items.extend(xs),
            }
            return Ok(List {
                buf: Rc::clone(&self.buf),
                lo: lo as i32,
                hi: hi as i32,
            });
        }
        let len = self.len().saturating_add(n);
        budget::build_items(len)?;
        budget::charge(self.len());
        let mut items: VecDeque<Val> = VecDeque::with_capacity(len.saturating_mul(2).max(4));
        items.extend(self.iter());
        match edge {
            Edge::Front => {
                for x in xs {
                    items.push_front(x);
                }
            }
            Edge::Back => items.extend(xs),
        }
        Self::checked_fresh(Vec::from(items))
    }
}

/// Drops the elements of `buf` outside `lo..hi` (the buffer has no other holder).
fn trim(buf: &mut Buf, lo: i32, hi: i32) {
    let keep_from = (i64::from(lo) - i64::from(buf.front)) as usize;
    let keep_to = (i64::from(hi) - i64::from(buf.front)) as usize;
    buf.items.truncate(keep_to);
    buf.items.drain(..keep_from);
    buf.front = lo;
}

impl Default for List {
    fn default() -> Self {
        List::new()
    }
}

impl FromIterator<Val> for List {
    fn from_iter<I: IntoIterator<Item = Val>>(iter: I) -> Self {
        List::from_vec(iter.into_iter().collect())
    }
}

impl PartialEq for List {
    fn eq(&self, other: &List) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl fmt::Debug for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Serialised as the sequence of its elements (the shape `Rc<[Val]>` had).
impl Serialize for List {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for List {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(List::from_vec(Vec::<Val>::deserialize(deserializer)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(l: &List) -> Vec<i64> {
        l.iter().map(|v| v.as_int().unwrap()).collect()
    }

    #[test]
    fn cons_tail_push_and_index_keep_every_value_intact() {
        let a = List::from_vec(vec![Val::Int(1), Val::Int(2)]);
        let b = a.cons(Val::Int(0)).unwrap();
        // A second cons onto `a` cannot reuse the slot `b` took: it copies.
        let c = a.cons(Val::Int(9)).unwrap();
        let d = a.push(Val::Int(3)).unwrap();
        let e = a.push(Val::Int(4)).unwrap();
        assert_eq!(ints(&a), [1, 2]);
        assert_eq!(ints(&b), [0, 1, 2]);
        assert_eq!(ints(&c), [9, 1, 2]);
        assert_eq!(ints(&d), [1, 2, 3]);
        assert_eq!(ints(&e), [1, 2, 4]);
        let t = b.tail().unwrap();
        assert_eq!(ints(&t), [1, 2]);
        assert_eq!(t.get(1), Some(Val::Int(2)));
        assert_eq!(t.get(2), None);
        assert!(List::new().tail().is_none());
        assert_eq!(ints(&t.cons(Val::Int(7)).unwrap()), [7, 1, 2]);
        assert_eq!(ints(&b), [0, 1, 2]);
    }

    #[test]
    fn a_uniquely_held_list_grows_in_place_and_concat_is_ordered() {
        let mut l = List::new();
        for i in 0..1000 {
            l = l.cons(Val::Int(i)).unwrap();
            l = l.tail().unwrap().cons(Val::Int(i)).unwrap();
        }
        assert_eq!(l.len(), 1000);
        assert!(l.buf.borrow().items.len() <= 1001);
        let x = List::from_vec(vec![Val::Int(1), Val::Int(2)]);
        let y = List::from_vec(vec![Val::Int(3)]);
        let xy = x.concat(&y).unwrap();
        let yx = y.concat(&x).unwrap();
        assert_eq!(ints(&xy), [1, 2, 3]);
        assert_eq!(ints(&yx), [3, 1, 2]);
        assert_eq!(ints(&x.concat(&y).unwrap()), [1, 2, 3]);
        assert_eq!(ints(&x), [1, 2]);
        assert_eq!(ints(&y), [3]);
    }

    #[test]
    fn serialises_as_the_sequence_of_its_elements() {
        let l = List::from_vec(vec![Val::Int(5), Val::Int(6), Val::Int(7)])
            .tail()
            .unwrap();
        let bytes = postcard::to_allocvec(&l).unwrap();
        let seq = postcard::to_allocvec(&vec![Val::Int(6), Val::Int(7)]).unwrap();
        assert_eq!(bytes, seq);
        let back: List = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, l);
    }
}
