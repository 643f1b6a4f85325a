//! Work and memory accounting of value operations, shared by both interpreters.
//!
//! Takes the sizes of what a value operation touches or builds (list items, tuple fields, string
//! bytes); produces (1) extra steps for the running interpreter to charge against its fuel
//! ([`take_work`]): an operation pays one step of its own plus one step per
//! [`UNITS_PER_STEP`] elements it copies or scans (a string counts one element per
//! [`BYTES_PER_UNIT`] bytes), so a fuel budget bounds a run's time within a constant factor
//! whatever the sizes of its values; and (2) the memory check of a value about to be built
//! ([`reserve`]): a value that, with the operands it is copied from, would take more than the
//! run's memory limit fails with `LimitError::MemoryLimitExceeded` before anything is
//! allocated. Small operations (under one
//! step of work, under [`RESERVE_FREE_BYTES`]) pay nothing and check nothing, so step counts of
//! programs with small values are unchanged.
//!
//! The counters are per thread (an interpreter runs on one thread; tests run in parallel
//! threads): the interpreter sets the limit when a run starts or resumes ([`set_memory_limit`])
//! and adds [`take_work`] to its step count after the operations that can do such work.

use crate::error::LimitError;
use std::cell::Cell;

/// Elements an operation may touch within its own step; each further block of this many costs
/// one more step.
pub const UNITS_PER_STEP: usize = 64;

/// String bytes that count as one element.
pub const BYTES_PER_UNIT: usize = 8;

/// Values below this size are built without a memory check.
pub const RESERVE_FREE_BYTES: usize = 1 << 16;

/// The memory limit of a run when none is given: 1 GiB.
pub const DEFAULT_MAX_MEMORY: usize = 1 << 30;

thread_local! {
    static WORK: Cell<u64> = const { Cell::new(0) };
    /// Elements charged by [`charge_each`] not yet making a whole step.
    static PARTIAL: Cell<usize> = const { Cell::new(0) };
    static MEMORY_LIMIT: Cell<usize> = const { Cell::new(DEFAULT_MAX_MEMORY) };
}

/// Charges touching `units` elements (list items, tuple fields).
#[inline(always)]
pub fn charge(units: usize) {
    if units >= UNITS_PER_STEP {
        charge_blocks(units);
    }
}

/// Charges touching a string of `bytes` bytes.
#[inline(always)]
pub fn charge_bytes(bytes: usize) {
    charge(bytes / BYTES_PER_UNIT);
}

#[cold]
fn charge_blocks(units: usize) {
    let blocks = u64::try_from(units / UNITS_PER_STEP).unwrap_or(u64::MAX);
    WORK.with(|w| w.set(w.get().saturating_add(blocks)));
}

/// Charges `units` elements of work done a few at a time (finite-domain propagation steps):
/// they add up across calls, one step per [`UNITS_PER_STEP`].
pub fn charge_each(units: usize) {
    let total = PARTIAL.with(Cell::get).saturating_add(units);
    PARTIAL.with(|p| p.set(total % UNITS_PER_STEP));
    charge(total - total % UNITS_PER_STEP);
}

/// The steps charged since the last call (and resets the count).
#[inline(always)]
pub fn take_work() -> u64 {
    WORK.with(|w| {
        let n = w.get();
        if n != 0 {
            w.set(0);
        }
        n
    })
}

/// Sets the memory limit (bytes) of the run about to execute on this thread.
pub fn set_memory_limit(bytes: usize) {
    MEMORY_LIMIT.with(|m| m.set(bytes));
}

/// The memory limit (bytes) of the run executing on this thread.
pub fn memory_limit() -> usize {
    MEMORY_LIMIT.with(Cell::get)
}

/// Checks that a value of `bytes` bytes may be built: fails when it alone exceeds the run's
/// memory limit.
#[inline(always)]
pub fn reserve(bytes: usize) -> Result<(), LimitError> {
    if bytes < RESERVE_FREE_BYTES {
        return Ok(());
    }
    reserve_large(bytes)
}

#[cold]
fn reserve_large(bytes: usize) -> Result<(), LimitError> {
    let limit = memory_limit();
    if bytes > limit {
        return Err(LimitError::MemoryLimitExceeded {
            max_memory: limit,
            needed: bytes,
        });
    }
    Ok(())
}

/// Checks and charges a list (or tuple) of `len` elements about to be built by copying. The
/// check counts the new value and the operands it is copied from (as large again at most),
/// which are alive together while it is built.
#[inline(always)]
pub fn build_items(len: usize) -> Result<(), LimitError> {
    charge(len);
    reserve(len.saturating_mul(2 * std::mem::size_of::<crate::value::Val>()))
}

/// Checks and charges a string of `bytes` bytes about to be built by copying. The check counts
/// the operands, the text being assembled and the shared string it is copied into.
#[inline(always)]
pub fn build_bytes(bytes: usize) -> Result<(), LimitError> {
    charge_bytes(bytes);
    reserve(bytes.saturating_mul(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_work_is_free_and_large_work_pays_per_block() {
        let _ = take_work();
        charge(UNITS_PER_STEP - 1);
        assert_eq!(take_work(), 0);
        charge(10 * UNITS_PER_STEP + 3);
        charge_bytes(BYTES_PER_UNIT * UNITS_PER_STEP);
        assert_eq!(take_work(), 11);
        assert_eq!(take_work(), 0);
        for _ in 0..2 * UNITS_PER_STEP + 1 {
            charge_each(1);
        }
        assert_eq!(take_work(), 2);
    }

    #[test]
    fn a_value_over_the_limit_is_refused() {
        set_memory_limit(3 << 20);
        assert!(build_bytes(1 << 20).is_ok());
        assert_eq!(
            build_bytes(2 << 20),
            Err(LimitError::MemoryLimitExceeded {
                max_memory: 3 << 20,
                needed: 6 << 20
            })
        );
        set_memory_limit(DEFAULT_MAX_MEMORY);
        let _ = take_work();
    }
}
