//! Finite domains of integers: the set of values an FD variable may still take.
//!
//! Takes integer values (in any order, with duplicates) and produces a [`Domain`] with fast
//! `min`/`max`/`size`/`contains`, value removal, bound tightening, filtering and ascending
//! iteration. Values are ordered numerically (this is the order the FD layer gives to the spec's
//! unordered `Domain = List Val`).
//!
//! Representation: a dense domain is a bitset (`base` + `Vec<u64>` words, bit `i` = value
//! `base + i`); a sparse one (span more than 64 times its size and above 4096) is a sorted `Vec`.
//! Both cache `min`, `max` and `size`, so the bounds queries propagators use most are O(1).

use std::fmt;

/// Spans up to this many values always use the bitset representation.
const DENSE_SPAN_LIMIT: u128 = 4096;
/// Above [`DENSE_SPAN_LIMIT`], a domain is dense when its span is at most this many times its size.
const DENSE_RATIO: u128 = 64;

/// A finite set of `i64` values. Equality compares the values, not the representation.
#[derive(Clone, Debug)]
pub struct Domain {
    repr: Repr,
    /// Smallest value; meaningless when `size == 0`.
    min: i64,
    /// Largest value; meaningless when `size == 0`.
    max: i64,
    size: u64,
}

#[derive(Clone, Debug)]
enum Repr {
    /// Bit `i` of the concatenated words is value `base + i`.
    Bits { base: i64, words: Vec<u64> },
    /// Strictly ascending values.
    Sparse(Vec<i64>),
}

impl Domain {
    /// The domain holding exactly the given values (duplicates and order do not matter).
    pub fn from_values(values: impl IntoIterator<Item = i64>) -> Domain {
        let mut sorted: Vec<i64> = values.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        Domain::from_sorted(sorted)
    }

    /// The interval `lo..=hi` (empty when `lo > hi`). Spans above 4096 values that are dense
    /// still take one bit per value; there is no compressed interval form, so do not ask for
    /// astronomically wide intervals.
    pub fn interval(lo: i64, hi: i64) -> Domain {
        if lo > hi {
            return Domain::empty();
        }
        let span = (i128::from(hi) - i128::from(lo) + 1) as u128;
        if span <= DENSE_SPAN_LIMIT {
            let mut words = vec![u64::MAX; span.div_ceil(64) as usize];
            let tail = (span % 64) as u32;
            if tail != 0
                && let Some(last) = words.last_mut()
            {
                *last = (1u64 << tail) - 1;
            }
            Domain {
                repr: Repr::Bits { base: lo, words },
                min: lo,
                max: hi,
                size: span as u64,
            }
        } else {
            Domain::from_values(lo..=hi)
        }
    }

    /// The empty domain.
    pub fn empty() -> Domain {
        Domain {
            repr: Repr::Sparse(Vec::new()),
            min: 0,
            max: 0,
            size: 0,
        }
    }

    fn from_sorted(sorted: Vec<i64>) -> Domain {
        let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
            return Domain::empty();
        };
        let size = sorted.len() as u64;
        let span = (i128::from(max) - i128::from(min) + 1) as u128;
        if span <= DENSE_SPAN_LIMIT || span <= DENSE_RATIO * u128::from(size) {
            let mut words = vec![0u64; span.div_ceil(64) as usize];
            for v in &sorted {
                let i = (i128::from(*v) - i128::from(min)) as usize;
                words[i / 64] |= 1u64 << (i % 64);
            }
            Domain {
                repr: Repr::Bits { base: min, words },
                min,
                max,
                size,
            }
        } else {
            Domain {
                repr: Repr::Sparse(sorted),
                min,
                max,
                size,
            }
        }
    }

    /// Number of values.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// True when no value is left (a wipe-out).
    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    /// The single value, when exactly one is left.
    pub fn fixed_value(&self) -> Option<i64> {
        (self.size == 1).then_some(self.min)
    }

    /// Smallest value, `None` when empty.
    pub fn min(&self) -> Option<i64> {
        (self.size > 0).then_some(self.min)
    }

    /// Largest value, `None` when empty.
    pub fn max(&self) -> Option<i64> {
        (self.size > 0).then_some(self.max)
    }

    /// Whether `value` is in the domain.
    pub fn contains(&self, value: i64) -> bool {
        if self.size == 0 || value < self.min || value > self.max {
            return false;
        }
        match &self.repr {
            Repr::Bits { base, words } => {
                let i = (i128::from(value) - i128::from(*base)) as usize;
                words[i / 64] & (1u64 << (i % 64)) != 0
            }
            Repr::Sparse(values) => values.binary_search(&value).is_ok(),
        }
    }

    /// Whether `value` (possibly outside the `i64` range) is in the domain.
    pub fn contains_wide(&self, value: i128) -> bool {
        i64::try_from(value).is_ok_and(|v| self.contains(v))
    }

    /// The values in ascending order.
    pub fn iter(&self) -> DomainIter<'_> {
        DomainIter {
            domain: self,
            position: 0,
            remaining: self.size,
        }
    }

    /// The values in ascending order, collected.
    pub fn to_vec(&self) -> Vec<i64> {
        self.iter().collect()
    }

    /// Removes `value`; returns whether the domain changed.
    pub fn remove(&mut self, value: i64) -> bool {
        if !self.contains(value) {
            return false;
        }
        match &mut self.repr {
            Repr::Bits { base, words } => {
                let i = (i128::from(value) - i128::from(*base)) as usize;
                words[i / 64] &= !(1u64 << (i % 64));
            }
            Repr::Sparse(values) => {
                if let Ok(at) = values.binary_search(&value) {
                    values.remove(at);
                }
            }
        }
        self.size -= 1;
        if self.size > 0 {
            if value == self.min {
                self.min = self.first_at_or_above(value);
            }
            if value == self.max {
                self.max = self.last_at_or_below(value);
            }
        }
        true
    }

    /// Removes every value below `lo`; returns whether the domain changed.
    pub fn remove_below(&mut self, lo: i128) -> bool {
        if self.size == 0 || lo <= i128::from(self.min) {
            return false;
        }
        if lo > i128::from(self.max) {
            *self = Domain::empty();
            return true;
        }
        // lo is within [min, max], so it fits in i64.
        let lo = lo as i64;
        self.retain(|v| v >= lo)
    }

    /// Removes every value above `hi`; returns whether the domain changed.
    pub fn remove_above(&mut self, hi: i128) -> bool {
        if self.size == 0 || hi >= i128::from(self.max) {
            return false;
        }
        if hi < i128::from(self.min) {
            *self = Domain::empty();
            return true;
        }
        // hi is within [min, max], so it fits in i64.
        let hi = hi as i64;
        self.retain(|v| v <= hi)
    }

    /// Removes every value in `lo..=hi`; returns whether the domain changed.
    pub fn remove_range(&mut self, lo: i64, hi: i64) -> bool {
        if self.size == 0 || lo > hi || hi < self.min || lo > self.max {
            return false;
        }
        self.retain(|v| v < lo || v > hi)
    }

    /// Keeps only `value`; returns whether the domain changed.
    pub fn assign(&mut self, value: i64) -> bool {
        if self.size == 1 && self.min == value {
            return false;
        }
        *self = if self.contains(value) {
            Domain::interval(value, value)
        } else {
            Domain::empty()
        };
        true
    }

    /// Keeps only the values also in `other`; returns whether the domain changed.
    pub fn intersect(&mut self, other: &Domain) -> bool {
        self.retain(|v| other.contains(v))
    }

    /// Keeps only the values satisfying `keep`; returns whether the domain changed.
    pub fn retain(&mut self, mut keep: impl FnMut(i64) -> bool) -> bool {
        let before = self.size;
        match &mut self.repr {
            Repr::Bits { base, words } => {
                let base = *base;
                let mut size = 0u64;
                let mut min = None;
                let mut max = 0;
                for (w, word) in words.iter_mut().enumerate() {
                    let mut bits = *word;
                    while bits != 0 {
                        let b = bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        let value = bit_value(base, w * 64 + b);
                        if keep(value) {
                            size += 1;
                            min.get_or_insert(value);
                            max = value;
                        } else {
                            *word &= !(1u64 << b);
                        }
                    }
                }
                self.size = size;
                self.min = min.unwrap_or(0);
                self.max = max;
            }
            Repr::Sparse(values) => {
                values.retain(|v| keep(*v));
                self.size = values.len() as u64;
                self.min = values.first().copied().unwrap_or(0);
                self.max = values.last().copied().unwrap_or(0);
            }
        }
        self.size != before
    }

    /// A clone when `wanted` (used to save a domain on the undo trail only when needed).
    pub(crate) fn clone_if(&self, wanted: bool) -> Option<Domain> {
        wanted.then(|| self.clone())
    }

    /// `(min, max, size)` with the raw cached bounds (meaningless when empty).
    pub(crate) fn bounds_and_size(&self) -> (i64, i64, u64) {
        (self.min, self.max, self.size)
    }

    /// Smallest value `>= from`; only called when such a value exists.
    fn first_at_or_above(&self, from: i64) -> i64 {
        self.iter().find(|v| *v >= from).unwrap_or(self.max)
    }

    /// Largest value `<= from`; only called when such a value exists.
    fn last_at_or_below(&self, from: i64) -> i64 {
        match &self.repr {
            Repr::Bits { base, words } => {
                let top = (i128::from(from) - i128::from(*base)) as usize;
                for w in (0..=top / 64).rev() {
                    let mut bits = words[w];
                    if w == top / 64 && top % 64 != 63 {
                        bits &= (1u64 << (top % 64 + 1)) - 1;
                    }
                    if bits != 0 {
                        return bit_value(*base, w * 64 + 63 - bits.leading_zeros() as usize);
                    }
                }
                self.min
            }
            Repr::Sparse(values) => values
                .iter()
                .rev()
                .find(|v| **v <= from)
                .copied()
                .unwrap_or(self.min),
        }
    }
}

/// The value of bit `index` of a bitset starting at `base`. The bitset only holds bits for
/// values that fit in `i64`, so the sum does too.
fn bit_value(base: i64, index: usize) -> i64 {
    (i128::from(base) + index as i128) as i64
}

impl PartialEq for Domain {
    fn eq(&self, other: &Domain) -> bool {
        self.size == other.size && self.iter().eq(other.iter())
    }
}

impl Eq for Domain {}

/// Ascending iterator over a [`Domain`].
#[derive(Debug)]
pub struct DomainIter<'a> {
    domain: &'a Domain,
    /// Bit index (bitset) or vector index (sparse) to look at next.
    position: usize,
    remaining: u64,
}

impl Iterator for DomainIter<'_> {
    type Item = i64;

    fn next(&mut self) -> Option<i64> {
        if self.remaining == 0 {
            return None;
        }
        match &self.domain.repr {
            Repr::Bits { base, words } => {
                let mut w = self.position / 64;
                let mut bits = words.get(w)? & (u64::MAX << (self.position % 64));
                while bits == 0 {
                    w += 1;
                    bits = *words.get(w)?;
                }
                let index = w * 64 + bits.trailing_zeros() as usize;
                self.position = index + 1;
                self.remaining -= 1;
                Some(bit_value(*base, index))
            }
            Repr::Sparse(values) => {
                let value = *values.get(self.position)?;
                self.position += 1;
                self.remaining -= 1;
                Some(value)
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = usize::try_from(self.remaining).unwrap_or(usize::MAX);
        (n, Some(n))
    }
}

impl<'a> IntoIterator for &'a Domain {
    type Item = i64;
    type IntoIter = DomainIter<'a>;
    fn into_iter(self) -> DomainIter<'a> {
        self.iter()
    }
}

impl fmt::Display for Domain {
    /// Ascending values with runs of three or more written as ranges: `{1..4, 7, 9..12}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        let mut values = self.iter().peekable();
        let mut first = true;
        while let Some(start) = values.next() {
            let mut end = start;
            while let Some(&next) = values.peek() {
                if i128::from(next) == i128::from(end) + 1 {
                    end = next;
                    values.next();
                } else {
                    break;
                }
            }
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            match i128::from(end) - i128::from(start) {
                0 => write!(f, "{start}")?,
                1 => write!(f, "{start}, {end}")?,
                _ => write!(f, "{start}..{end}")?,
            }
        }
        f.write_str("}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitset_domain_basic_operations() {
        let mut d = Domain::interval(1, 130);
        assert_eq!((d.min(), d.max(), d.size()), (Some(1), Some(130), 130));
        assert!(d.remove(1));
        assert!(!d.remove(1));
        assert_eq!(d.min(), Some(2));
        assert!(d.remove(130));
        assert_eq!(d.max(), Some(129));
        assert!(d.remove_above(64));
        assert_eq!((d.max(), d.size()), (Some(64), 63));
        assert!(d.remove_below(60));
        assert_eq!(d.to_vec(), vec![60, 61, 62, 63, 64]);
        assert!(d.remove(64));
        assert!(d.remove(63));
        assert_eq!(d.max(), Some(62));
        assert_eq!(d.to_string(), "{60..62}");
    }

    #[test]
    fn sparse_domain_basic_operations() {
        let mut d = Domain::from_values([1_000_000, -5, 7, 7, i64::MAX, i64::MIN]);
        assert!(matches!(d.repr, Repr::Sparse(_)));
        assert_eq!(d.size(), 5);
        assert_eq!(d.min(), Some(i64::MIN));
        assert!(d.contains(i64::MAX));
        assert!(d.remove(i64::MIN));
        assert_eq!(d.min(), Some(-5));
        assert!(d.remove_above(1_000_000));
        assert_eq!(d.to_vec(), vec![-5, 7, 1_000_000]);
        assert!(!d.contains_wide(i128::from(i64::MAX) + 1));
        assert!(d.remove_range(0, 10));
        assert_eq!(d.to_string(), "{-5, 1000000}");
    }

    #[test]
    fn wipe_out_and_assign() {
        let mut d = Domain::from_values([3, 5, 9]);
        assert!(d.assign(5));
        assert_eq!(d.fixed_value(), Some(5));
        assert!(!d.assign(5));
        assert!(d.assign(4));
        assert!(d.is_empty());
        assert_eq!(d.min(), None);
        let mut e = Domain::interval(0, 9);
        assert!(e.remove_below(100));
        assert!(e.is_empty());
        assert_eq!(e, Domain::empty());
    }

    #[test]
    fn display_and_equality_ignore_representation() {
        let d = Domain::from_values([1, 2, 3, 4, 7, 9, 10]);
        assert_eq!(d.to_string(), "{1..4, 7, 9, 10}");
        let mut sparse = Domain::from_values([1, 5_000_000]);
        sparse.remove(5_000_000);
        assert_eq!(sparse, Domain::from_values([1]));
        assert_eq!(Domain::interval(5, 4).to_string(), "{}");
    }
}
