//! Typed reads and writes of frame slots.
//!
//! Every function here takes the frame pointer and a slot index that the
//! translator produced; the caller guarantees the frame holds that slot.
//! 32-bit values are stored zero-extended; a `v128` spans two slots.

use crate::interp::code::Slot;

#[inline(always)]
pub(super) unsafe fn g64(fp: *mut u64, s: Slot) -> u64 {
    *fp.add(s as usize)
}

#[inline(always)]
pub(super) unsafe fn s64(fp: *mut u64, s: Slot, v: u64) {
    *fp.add(s as usize) = v;
}

#[inline(always)]
pub(super) unsafe fn g32(fp: *mut u64, s: Slot) -> u32 {
    *fp.add(s as usize) as u32
}

#[inline(always)]
pub(super) unsafe fn s32(fp: *mut u64, s: Slot, v: u32) {
    *fp.add(s as usize) = v as u64;
}

#[inline(always)]
pub(super) unsafe fn gf32(fp: *mut u64, s: Slot) -> f32 {
    f32::from_bits(g32(fp, s))
}

#[inline(always)]
pub(super) unsafe fn sf32(fp: *mut u64, s: Slot, v: f32) {
    s32(fp, s, v.to_bits());
}

#[inline(always)]
pub(super) unsafe fn gf64(fp: *mut u64, s: Slot) -> f64 {
    f64::from_bits(g64(fp, s))
}

#[inline(always)]
pub(super) unsafe fn sf64(fp: *mut u64, s: Slot, v: f64) {
    s64(fp, s, v.to_bits());
}

#[inline(always)]
pub(super) unsafe fn g128(fp: *mut u64, s: Slot) -> u128 {
    g64(fp, s) as u128 | (g64(fp, s + 1) as u128) << 64
}

#[inline(always)]
pub(super) unsafe fn s128(fp: *mut u64, s: Slot, v: u128) {
    s64(fp, s, v as u64);
    s64(fp, s + 1, (v >> 64) as u64);
}
