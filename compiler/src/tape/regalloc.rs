//! Register allocation for one Tape function.
//!
//! Takes allocation and release requests from the lowering; produces register numbers and
//! the frame size. ITree terms are lexically scoped and every name is bound once, so a stack
//! discipline is exact: a binding's register lives until the end of the term that the binding
//! scopes, a temporary until the op that consumes it, and both are released by resetting the
//! stack to a mark. Parameters occupy `r0 .. r<params>`. Contiguous blocks (call arguments,
//! aggregate items, effect arguments) are taken from the top of the stack, so an argument's
//! own temporaries land above its slot and never clobber it. The frame size is the high-water
//! mark.

use avm_vm::tape::{Reg, RegRange};

/// A position of the register stack, to release everything allocated after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark(u32);

/// The register stack of one function.
#[derive(Debug)]
pub struct RegStack {
    next: u32,
    high: u32,
}

/// The stack would exceed the 65 536 registers a Tape frame can address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRegisters;

impl RegStack {
    /// A stack whose first `params` registers hold the parameters.
    pub fn new(params: u16) -> RegStack {
        RegStack {
            next: u32::from(params),
            high: u32::from(params),
        }
    }

    /// One fresh register.
    pub fn alloc(&mut self) -> Result<Reg, OutOfRegisters> {
        Ok(self.alloc_block(1)?.start)
    }

    /// `count` fresh, contiguous registers (the canonical empty range for `count == 0`).
    pub fn alloc_block(&mut self, count: usize) -> Result<RegRange, OutOfRegisters> {
        if count == 0 {
            return Ok(RegRange::EMPTY);
        }
        let len = u16::try_from(count).map_err(|_| OutOfRegisters)?;
        let start = u16::try_from(self.next).map_err(|_| OutOfRegisters)?;
        let end = self.next + u32::from(len);
        if end > u32::from(u16::MAX) {
            return Err(OutOfRegisters);
        }
        self.next = end;
        self.high = self.high.max(end);
        Ok(RegRange::new(Reg(start), len))
    }

    /// The current top, to [`RegStack::release`] to later.
    pub fn mark(&self) -> Mark {
        Mark(self.next)
    }

    /// Frees every register allocated since `mark`.
    pub fn release(&mut self, mark: Mark) {
        self.next = mark.0.min(self.next);
    }

    /// The frame size: the most registers live at once.
    pub fn frame_size(&self) -> u16 {
        // `high` never exceeds u16::MAX: alloc_block refuses to go past it.
        u16::try_from(self.high).unwrap_or(u16::MAX)
    }
}

/// The `i`-th register of a block.
pub fn nth(block: RegRange, i: usize) -> Reg {
    // Callers index below `block.len`, which fits in u16 together with `start`.
    Reg(block.start.0 + u16::try_from(i).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_discipline_reuses_registers_and_tracks_the_high_water_mark() {
        let mut regs = RegStack::new(2);
        let m = regs.mark();
        assert_eq!(regs.alloc(), Ok(Reg(2)));
        let block = regs.alloc_block(3).expect("block");
        assert_eq!((block.start, block.len), (Reg(3), 3));
        assert_eq!(nth(block, 2), Reg(5));
        regs.release(m);
        assert_eq!(regs.alloc(), Ok(Reg(2)));
        assert_eq!(regs.frame_size(), 6);
        assert_eq!(regs.alloc_block(0), Ok(RegRange::EMPTY));
        assert_eq!(regs.alloc_block(70_000), Err(OutOfRegisters));
    }
}
