//! On-stack replacement (tier-up of a running loop): how Fast JIT code
//! hands a running function over to an LLVM entry at a loop header.
//!
//! An OSR entry `kiln_osr_<F>_<L>` ([`crate::artifact::KilnSymbol::Osr`])
//! continues function `F` from the header of its loop `L` (the `L`-th
//! `loop` operator of `F`'s body in order, from 0, counting loops in
//! unreachable code too) and returns `F`'s results with `F`'s convention:
//!
//! ```text
//! r0 kiln_osr_<F>_<L>(ptr vmctx, ptr locals [, ptr ret_area])
//! ```
//!
//! It exists only for loops whose header has an empty operand stack (no
//! enclosing block holds a value and the loop has no parameters), so the
//! locals are the whole state. `locals` points to every local of `F`
//! (parameters first), laid out by [`OsrLocals`]: each value in its
//! little-endian bits at the start of its slot.

/// The loop ordinal the tier-up hook gets where no OSR entry can be made
/// (the function's entry, or a loop whose operand stack is not empty).
pub const NO_LOOP: u32 = u32::MAX;

/// Alignment of the locals buffer.
pub const OSR_LOCALS_ALIGN: u32 = 16;

/// The layout of an OSR entry's locals buffer: 8 bytes for each scalar or
/// reference local, 16 bytes (16-aligned) for each `v128`, in local order.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsrLocals {
    size: u32,
}

impl OsrLocals {
    /// The offset of the next local, a `v128` when `v128` is set.
    pub fn place(&mut self, v128: bool) -> u32 {
        let width = if v128 { 16 } else { 8 };
        let at = self.size.next_multiple_of(width);
        self.size = at + width;
        at
    }

    /// The buffer's size so far, rounded up to [`OSR_LOCALS_ALIGN`].
    pub fn size(&self) -> u32 {
        self.size.next_multiple_of(OSR_LOCALS_ALIGN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_take_8_bytes_and_vectors_16_aligned() {
        let mut l = OsrLocals::default();
        assert_eq!(l.place(false), 0);
        assert_eq!(l.place(true), 16);
        assert_eq!(l.place(false), 32);
        assert_eq!(l.place(false), 40);
        assert_eq!(l.size(), 48);
        assert_eq!(l.place(false), 48);
        assert_eq!(l.size(), 64);
        assert_eq!(OsrLocals::default().size(), 0);
    }
}
