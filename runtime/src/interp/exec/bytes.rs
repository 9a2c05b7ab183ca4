//! Byte-indexed accesses: a byte loaded from memory and used at once as an
//! index, as a VM reads the register numbers and the op of its byte code:
//! `I32Load8UShlAddImm` (the address the byte selects),
//! `I32LoadByteShl`/`I64LoadByteShl` (the load at that address),
//! `BrTableByte` (a switch on the byte) and `BrLoad8U*Imm` (a branch on
//! the byte being a given character).
//!
//! The byte load is checked like any other; the fused ops trap as the
//! operator whose access failed (see `Op::I64LoadByteShl`).

use super::memory::{read, write, Access, View};
use super::slots::{g32, SlotValue};
use crate::interp::code::Slot;
use kiln_format::TrapCode;

/// The byte at `addr + offset`, zero-extended.
///
/// # Safety
/// The frame at `fp` must hold slot `addr`; `view` must describe the
/// current memory.
#[inline(always)]
pub(super) unsafe fn byte(
    fp: *mut u64,
    view: View,
    addr: Slot,
    offset: u32,
) -> Result<u32, TrapCode> {
    // SAFETY: the caller's guarantee.
    unsafe { read::<u8>(view, g32(fp, addr) as usize + offset as usize).map(u32::from) }
}

/// The byte at `addr + offset`, zero-extended, plus `imm` (mod 2^32).
///
/// # Safety
/// As for [`byte`].
#[inline(always)]
pub(super) unsafe fn byte_add(
    fp: *mut u64,
    view: View,
    addr: u16,
    offset: u32,
    imm: i16,
) -> Result<u32, TrapCode> {
    // SAFETY: the caller's guarantee.
    unsafe { byte(fp, view, addr.into(), offset).map(|b| b.wrapping_add(imm as u32)) }
}

/// The byte at `(a + imm) mod 2^32`, zero-extended.
///
/// # Safety
/// As for [`byte`].
#[inline(always)]
pub(super) unsafe fn byte_w(fp: *mut u64, view: View, a: Slot, imm: i32) -> Result<u32, TrapCode> {
    // SAFETY: the caller's guarantee.
    unsafe { read::<u8>(view, g32(fp, a).wrapping_add(imm as u32) as usize).map(u32::from) }
}

/// `((byte << shift) + imm) mod 2^32` for the byte at `addr + off`.
///
/// # Safety
/// As for [`byte`].
#[inline(always)]
pub(super) unsafe fn index(
    fp: *mut u64,
    view: View,
    addr: Slot,
    off: u8,
    shift: u8,
    imm: i32,
) -> Result<u32, TrapCode> {
    // SAFETY: the caller's guarantee.
    let b = unsafe { byte(fp, view, addr, off as u32) }?;
    Ok((b << (shift & 31)).wrapping_add(imm as u32))
}

/// Loads a `T` at `ea` into slot `dst`.
///
/// # Safety
/// The frame at `fp` must hold slot `dst`; `view` must describe the
/// current memory.
#[inline(always)]
pub(super) unsafe fn load<T: Access + SlotValue>(
    fp: *mut u64,
    view: View,
    dst: Slot,
    ea: u32,
) -> Result<(), TrapCode> {
    // SAFETY: the caller's guarantee.
    unsafe {
        let v: T = read(view, ea as usize)?;
        T::set(fp, dst, v);
    }
    Ok(())
}

/// The store half of `CopyByte`/`CopyByteW`: writes byte `v` at slot `to`
/// plus `x` (`w` 0) or at `(to + x) mod 2^32` (`w` 1).
///
/// # Safety
/// As for [`byte`].
#[inline(always)]
pub(super) unsafe fn put_byte(
    fp: *mut u64,
    view: View,
    v: u32,
    (to, x, w): (Slot, u32, u32),
) -> Result<(), TrapCode> {
    // SAFETY: the caller's guarantee.
    unsafe {
        let base = g32(fp, to);
        let ea = if w == 0 {
            base as usize + x as usize
        } else {
            base.wrapping_add(x) as usize
        };
        write(view, ea, v as u8)
    }
}
