//! The control family: the conditions of the fused compare-and-branch ops
//! and the switch's table (calls are in `calls.rs`).
//!
//! The loop itself (in `mod.rs`) jumps: a branch's arm sets `pc` to its
//! target when its condition here holds.
//! `BrF64Not*` branch when the comparison is false, NaN operands included.

// `!(a < b)` on floats is deliberate: the negated branches must be taken for NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use super::slots::{g32, g64, s32, s64, SlotValue};
use crate::interp::code::{Op, OpCode, Slot};

/// `pc` jumped by branch offset `target`, from the branch op just before it.
///
/// # Safety
/// The target must lie in the code of `pc` (the translator's branches do).
#[inline(always)]
pub(super) unsafe fn jump(pc: *const Op, target: u32) -> *const Op {
    // SAFETY: the caller's guarantee.
    unsafe { pc.offset(target as i32 as isize - 1) }
}

/// Defines branch conditions: `name(a: T, b: U) = e` reads slots `a` and
/// `b`; `name(a: T, imm) = e` reads slot `a` and takes the op's `imm`.
macro_rules! conditions {
    (
        binary { $($bn:ident($ba:ident: $bta:ty, $bb:ident: $btb:ty) = $be:expr;)* }
        imm { $($in:ident($ia:ident: $ita:ty, $ii:ident) = $ie:expr;)* }
    ) => {
        $(
            #[inline(always)]
            pub(super) unsafe fn $bn(fp: *mut u64, $ba: Slot, $bb: Slot) -> bool {
                // SAFETY: the caller guarantees the slots lie in the frame.
                let $ba = unsafe { <$bta as SlotValue>::get(fp, $ba) };
                // SAFETY: as above.
                let $bb = unsafe { <$btb as SlotValue>::get(fp, $bb) };
                $be
            }
        )*
        $(
            #[inline(always)]
            pub(super) unsafe fn $in(fp: *mut u64, $ia: Slot, $ii: i32) -> bool {
                // SAFETY: the caller guarantees the slot lies in the frame.
                let $ia = unsafe { <$ita as SlotValue>::get(fp, $ia) };
                $ie
            }
        )*
    };
}

conditions! {
    binary {
        i32_eq(a: u32, b: u32) = a == b;
        i32_ne(a: u32, b: u32) = a != b;
        i32_lt_s(a: i32, b: i32) = a < b;
        i32_lt_u(a: u32, b: u32) = a < b;
        i32_gt_s(a: i32, b: i32) = a > b;
        i32_gt_u(a: u32, b: u32) = a > b;
        i32_le_s(a: i32, b: i32) = a <= b;
        i32_le_u(a: u32, b: u32) = a <= b;
        i32_ge_s(a: i32, b: i32) = a >= b;
        i32_ge_u(a: u32, b: u32) = a >= b;
        i64_eq(a: u64, b: u64) = a == b;
        i64_ne(a: u64, b: u64) = a != b;
        i64_lt_s(a: i64, b: i64) = a < b;
        i64_lt_u(a: u64, b: u64) = a < b;
        i64_gt_s(a: i64, b: i64) = a > b;
        i64_gt_u(a: u64, b: u64) = a > b;
        i64_le_s(a: i64, b: i64) = a <= b;
        i64_le_u(a: u64, b: u64) = a <= b;
        i64_ge_s(a: i64, b: i64) = a >= b;
        i64_ge_u(a: u64, b: u64) = a >= b;
        f64_lt(a: f64, b: f64) = a < b;
        f64_gt(a: f64, b: f64) = a > b;
        f64_le(a: f64, b: f64) = a <= b;
        f64_ge(a: f64, b: f64) = a >= b;
        f64_not_lt(a: f64, b: f64) = !(a < b);
        f64_not_gt(a: f64, b: f64) = !(a > b);
        f64_not_le(a: f64, b: f64) = !(a <= b);
        f64_not_ge(a: f64, b: f64) = !(a >= b);
    }
    imm {
        i32_eq_imm(a: u32, imm) = a == imm as u32;
        i32_ne_imm(a: u32, imm) = a != imm as u32;
        i32_lt_s_imm(a: i32, imm) = a < imm;
        i32_lt_u_imm(a: u32, imm) = a < imm as u32;
        i32_gt_s_imm(a: i32, imm) = a > imm;
        i32_gt_u_imm(a: u32, imm) = a > imm as u32;
        i32_le_s_imm(a: i32, imm) = a <= imm;
        i32_le_u_imm(a: u32, imm) = a <= imm as u32;
        i32_ge_s_imm(a: i32, imm) = a >= imm;
        i32_ge_u_imm(a: u32, imm) = a >= imm as u32;
        i32_and_nez_imm(a: u32, imm) = a & imm as u32 != 0;
        i32_and_eqz_imm(a: u32, imm) = a & imm as u32 == 0;
    }
}

/// Defines the conditions of the `BrF64Add*` ops: `name = (s, b) => e`
/// reads the sum `s` of slots `x` and `y` and slot `b`.
macro_rules! sum_conditions {
    ($($name:ident = ($s:ident, $b:ident) => $e:expr;)*) => {
        $(
            #[inline(always)]
            pub(super) unsafe fn $name(fp: *mut u64, x: Slot, y: Slot, b: Slot) -> bool {
                // SAFETY: the caller guarantees the slots lie in the frame.
                let (x, y, $b) = unsafe { (f64::get(fp, x), f64::get(fp, y), f64::get(fp, b)) };
                let $s = x + y;
                $e
            }
        )*
    };
}

sum_conditions! {
    f64_add_lt = (s, b) => s < b;
    f64_add_gt = (s, b) => s > b;
    f64_add_le = (s, b) => s <= b;
    f64_add_ge = (s, b) => s >= b;
    f64_add_not_lt = (s, b) => !(s < b);
    f64_add_not_gt = (s, b) => !(s > b);
    f64_add_not_le = (s, b) => !(s <= b);
    f64_add_not_ge = (s, b) => !(s >= b);
}

/// `AddImmBrNez`: adds `imm` to slot `a` in place; whether the sum is non-zero.
///
/// # Safety
/// The frame at `fp` must hold slot `a`.
#[inline(always)]
pub(super) unsafe fn add_imm_nez(fp: *mut u64, a: Slot, imm: i32) -> bool {
    // SAFETY: the caller's guarantee.
    unsafe {
        let v = g32(fp, a).wrapping_add(imm as u32);
        s32(fp, a, v);
        v != 0
    }
}

/// Adds `imm` to slot `a` in place (the add of the `AddBr*` ops).
///
/// # Safety
/// The frame at `fp` must hold slot `a`.
#[inline(always)]
pub(super) unsafe fn add_in_place(fp: *mut u64, a: Slot, imm: i32) {
    // SAFETY: the caller's guarantee.
    unsafe { s32(fp, a, g32(fp, a).wrapping_add(imm as u32)) }
}

/// Adds `imm` to slot `a` in place, as `i64` (the add of `AddImmBrI64*`).
///
/// # Safety
/// The frame at `fp` must hold slot `a`.
#[inline(always)]
pub(super) unsafe fn add64_imm_in_place(fp: *mut u64, a: Slot, imm: i32) {
    // SAFETY: the caller's guarantee.
    unsafe { s64(fp, a, g64(fp, a).wrapping_add(imm as i64 as u64)) }
}

/// Adds slot `y` to slot `x` in place, as `i64` (the add of `AddBrI64*`).
///
/// # Safety
/// The frame at `fp` must hold slots `x` and `y`.
#[inline(always)]
pub(super) unsafe fn add64_in_place(fp: *mut u64, x: Slot, y: Slot) {
    // SAFETY: the caller's guarantee.
    unsafe { s64(fp, x, g64(fp, x).wrapping_add(g64(fp, y))) }
}

/// Where `BrTable` goes for entry `k`, and the op code there: the target
/// of the `BrEntry` at entry `k` of the table following it (`pc` is the
/// table's start), which also holds that op code.
///
/// # Safety
/// `pc` must point at a `BrTable`'s table (its entries are all `BrEntry`
/// ops, whose targets lie in the code) with more than `k` entries.
#[inline(always)]
pub(super) unsafe fn br_table(pc: *const Op, k: u32) -> (*const Op, OpCode) {
    // SAFETY: the caller's guarantee; an entry's target is relative to itself.
    unsafe {
        let entry = pc.add(k as usize);
        let Op::BrEntry { target, next } = *entry else {
            std::hint::unreachable_unchecked()
        };
        (entry.offset(target as i32 as isize), next)
    }
}
