//! Copies between slots, constants, `select` and globals.
//!
//! A `v128` value spans two slots, so it has its own copy, select and
//! global ops; the constant pool holds `v128` constants.

use super::frame::global_of;
use super::slots::{g128, g32, g64, s128, s32, s64};
use crate::instance::InstanceEntity;
use crate::interp::code::Slot;
use std::ptr;

/// `Copy`: a 64-bit slot (any scalar or reference).
///
/// # Safety
/// The frame at `fp` must hold slots `dst` and `src`.
#[inline(always)]
pub(super) unsafe fn copy(fp: *mut u64, dst: Slot, src: Slot) {
    // SAFETY: the caller's guarantee.
    unsafe { s64(fp, dst, g64(fp, src)) }
}

/// `Copy128`: a `v128` slot pair.
///
/// # Safety
/// The frame at `fp` must hold slot pairs `dst` and `src`.
#[inline(always)]
pub(super) unsafe fn copy128(fp: *mut u64, dst: Slot, src: Slot) {
    // SAFETY: the caller's guarantee.
    unsafe { s128(fp, dst, g128(fp, src)) }
}

/// `Const32`.
///
/// # Safety
/// The frame at `fp` must hold slot `dst`.
#[inline(always)]
pub(super) unsafe fn const32(fp: *mut u64, dst: Slot, value: u32) {
    // SAFETY: the caller's guarantee.
    unsafe { s32(fp, dst, value) }
}

/// `Copy2`: two copies in a row.
///
/// # Safety
/// The frame at `fp` must hold every slot named.
#[inline(always)]
pub(super) unsafe fn copy2(fp: *mut u64, dst1: u16, src1: u16, dst2: u16, src2: u16) {
    // SAFETY: the caller's guarantee.
    unsafe {
        s64(fp, dst1 as u32, g64(fp, src1 as u32));
        s64(fp, dst2 as u32, g64(fp, src2 as u32));
    }
}

/// `Const64`, from its two halves.
///
/// # Safety
/// The frame at `fp` must hold slot `dst`.
#[inline(always)]
pub(super) unsafe fn const64(fp: *mut u64, dst: Slot, lo: u32, hi: u32) {
    // SAFETY: the caller's guarantee.
    unsafe { s64(fp, dst, lo as u64 | (hi as u64) << 32) }
}

/// `ConstV128`: constant `index` of the function's pool.
///
/// # Safety
/// The frame at `fp` must hold slots `dst`, `dst + 1`; `consts` must be
/// the current function's pool, which has entry `index`.
#[inline(always)]
pub(super) unsafe fn const128(fp: *mut u64, dst: Slot, consts: *const u128, index: u32) {
    // SAFETY: the caller's guarantee.
    unsafe { s128(fp, dst, *consts.add(index as usize)) }
}

/// `select` of a scalar: `a` if `c` is non-zero, else `b`.
///
/// # Safety
/// The frame at `fp` must hold every slot named.
#[inline(always)]
pub(super) unsafe fn select(fp: *mut u64, dst: Slot, a: Slot, b: Slot, c: Slot) {
    // SAFETY: the caller's guarantee.
    unsafe {
        let v = if g32(fp, c) != 0 {
            g64(fp, a)
        } else {
            g64(fp, b)
        };
        s64(fp, dst, v);
    }
}

/// A `select` fused with the `i32` comparison `cmp` of the slots `x` and
/// `y` of its `Arg` word: `a` when it holds, else `b`.
///
/// # Safety
/// The frame at `fp` must hold slots `dst`, `a`, `b`, `x` and `y`.
#[inline(always)]
pub(super) unsafe fn select_cmp(
    fp: *mut u64,
    dst: Slot,
    a: Slot,
    b: Slot,
    (x, y, _): (Slot, Slot, u32),
    cmp: impl Fn(u32, u32) -> bool,
) {
    // SAFETY: the caller's guarantee.
    unsafe {
        let v = if cmp(g32(fp, x), g32(fp, y)) {
            g64(fp, a)
        } else {
            g64(fp, b)
        };
        s64(fp, dst, v);
    }
}

/// `select` of a `v128`.
///
/// # Safety
/// As for [`select`], with slot pairs for `dst`, `a` and `b`.
#[inline(always)]
pub(super) unsafe fn select128(fp: *mut u64, dst: Slot, a: Slot, b: Slot, c: Slot) {
    // SAFETY: the caller's guarantee.
    unsafe {
        let v = if g32(fp, c) != 0 {
            g128(fp, a)
        } else {
            g128(fp, b)
        };
        s128(fp, dst, v);
    }
}

/// `global.get` (`wide`: of a `v128`).
///
/// # Safety
/// `inst` must be the live current instance, with global `index`; the
/// frame at `fp` must hold slot `dst` (and `dst + 1` if `wide`).
#[inline(always)]
pub(super) unsafe fn global_get(
    fp: *mut u64,
    inst: *mut InstanceEntity,
    dst: Slot,
    index: u32,
    wide: bool,
) {
    // SAFETY: the caller's guarantee; a global's storage is 16 bytes.
    unsafe {
        if wide {
            s128(fp, dst, ptr::read(global_of(inst, index) as *const u128))
        } else {
            s64(fp, dst, *global_of(inst, index))
        }
    }
}

/// `global.set` (`wide`: of a `v128`); a scalar clears the upper half.
///
/// # Safety
/// As for [`global_get`], with `src` for `dst`.
#[inline(always)]
pub(super) unsafe fn global_set(
    fp: *mut u64,
    inst: *mut InstanceEntity,
    index: u32,
    src: Slot,
    wide: bool,
) {
    // SAFETY: the caller's guarantee; a global's storage is 16 bytes.
    unsafe {
        let v = if wide {
            g128(fp, src)
        } else {
            g64(fp, src) as u128
        };
        ptr::write(global_of(inst, index) as *mut u128, v)
    }
}
