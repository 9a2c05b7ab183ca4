//! Typed reads and writes of frame slots, and the macro that turns an
//! operator's formula into its handler.
//!
//! Every function here takes the frame pointer and a slot index that the
//! translator produced; the caller guarantees the frame holds that slot.
//! 32-bit values are stored zero-extended; a `v128` spans two slots.

use crate::interp::code::Slot;

#[inline(always)]
pub(super) unsafe fn g64(fp: *mut u64, s: Slot) -> u64 {
    // SAFETY: the caller guarantees slot `s` lies in the frame at `fp`.
    unsafe { *fp.add(s as usize) }
}

#[inline(always)]
pub(super) unsafe fn s64(fp: *mut u64, s: Slot, v: u64) {
    // SAFETY: the caller guarantees slot `s` lies in the frame at `fp`.
    unsafe { *fp.add(s as usize) = v }
}

#[inline(always)]
pub(super) unsafe fn g32(fp: *mut u64, s: Slot) -> u32 {
    // SAFETY: as for `g64`, the caller's guarantee.
    unsafe { g64(fp, s) as u32 }
}

#[inline(always)]
pub(super) unsafe fn s32(fp: *mut u64, s: Slot, v: u32) {
    // SAFETY: as for `s64`, the caller's guarantee.
    unsafe { s64(fp, s, v as u64) }
}

#[inline(always)]
pub(super) unsafe fn gf32(fp: *mut u64, s: Slot) -> f32 {
    // SAFETY: as for `g64`, the caller's guarantee.
    f32::from_bits(unsafe { g32(fp, s) })
}

#[inline(always)]
pub(super) unsafe fn gf64(fp: *mut u64, s: Slot) -> f64 {
    // SAFETY: as for `g64`, the caller's guarantee.
    f64::from_bits(unsafe { g64(fp, s) })
}

#[inline(always)]
pub(super) unsafe fn g128(fp: *mut u64, s: Slot) -> u128 {
    // SAFETY: the caller guarantees a `v128` slot pair `s`, `s + 1` in the frame.
    unsafe { g64(fp, s) as u128 | (g64(fp, s + 1) as u128) << 64 }
}

#[inline(always)]
pub(super) unsafe fn s128(fp: *mut u64, s: Slot, v: u128) {
    // SAFETY: the caller guarantees a `v128` slot pair `s`, `s + 1` in the frame.
    unsafe {
        s64(fp, s, v as u64);
        s64(fp, s + 1, (v >> 64) as u64);
    }
}

/// A value type kept in frame slots.
pub(super) trait SlotValue: Copy {
    /// Reads slot `s`.
    ///
    /// # Safety
    /// The frame at `fp` must hold slot `s` (two slots for `u128`).
    unsafe fn get(fp: *mut u64, s: Slot) -> Self;
    /// Writes slot `s`.
    ///
    /// # Safety
    /// As for [`SlotValue::get`].
    unsafe fn set(fp: *mut u64, s: Slot, v: Self);
}

macro_rules! slot_value {
    ($($t:ty: |$fp:ident, $s:ident| $get:expr, |$v:ident| $set:expr;)*) => {$(
        impl SlotValue for $t {
            #[inline(always)]
            unsafe fn get($fp: *mut u64, $s: Slot) -> Self {
                // SAFETY: the caller's guarantee, passed on.
                unsafe { $get }
            }
            #[inline(always)]
            unsafe fn set($fp: *mut u64, $s: Slot, $v: Self) {
                // SAFETY: the caller's guarantee, passed on.
                unsafe { $set }
            }
        }
    )*};
}

slot_value! {
    u32: |fp, s| g32(fp, s), |v| s32(fp, s, v);
    i32: |fp, s| g32(fp, s) as i32, |v| s32(fp, s, v as u32);
    u64: |fp, s| g64(fp, s), |v| s64(fp, s, v);
    i64: |fp, s| g64(fp, s) as i64, |v| s64(fp, s, v as u64);
    f32: |fp, s| gf32(fp, s), |v| s32(fp, s, v.to_bits());
    f64: |fp, s| gf64(fp, s), |v| s64(fp, s, v.to_bits());
    bool: |fp, s| g32(fp, s) != 0, |v| s32(fp, s, v as u32);
    u128: |fp, s| g128(fp, s), |v| s128(fp, s, v);
}

/// Defines a family of arithmetic ops: per line, the op's
/// `#[inline(always)]` handler from its formula over its operands (read
/// from and written to frame slots with [`SlotValue`]). The dispatch loop
/// calls each handler from the op's own arm (listed in `mod.rs`, expanded
/// by `dispatch!`). Sections, each possibly empty:
///
/// - `unary { Op => name(a: T) -> R = e; }`: `{ dst, a }`;
/// - `binary { Op => name(a: T, b: U) -> R = e; }`: `{ dst, a, b }`;
/// - `imm { Op => name(a: T, imm) -> R = e; }`: `{ dst, a, imm }`, `imm: i32`;
/// - `unary_try` and `binary_try`: `e` is a `Result<R, TrapCode>` and the
///   handler returns its error.
///
/// Every handler is `unsafe`: the caller guarantees the slots lie in the
/// frame at `fp` (the translator allotted them).
macro_rules! family {
    (
        unary { $($uv:ident => $un:ident($ua:ident: $uta:ty) -> $utr:ty = $ue:expr;)* }
        unary_try { $($tv:ident => $tn:ident($ta:ident: $tta:ty) -> $ttr:ty = $te:expr;)* }
        binary { $($bv:ident => $bn:ident($ba:ident: $bta:ty, $bb:ident: $btb:ty) -> $btr:ty = $be:expr;)* }
        binary_try { $($cv:ident => $cn:ident($ca:ident: $cta:ty, $cb:ident: $ctb:ty) -> $ctr:ty = $ce:expr;)* }
        imm { $($iv:ident => $in:ident($ia:ident: $ita:ty, $ii:ident) -> $itr:ty = $ie:expr;)* }
    ) => {
        $(
            #[inline(always)]
            pub(super) unsafe fn $un(fp: *mut u64, dst: Slot, $ua: Slot) {
                // SAFETY: the caller guarantees the slots lie in the frame.
                let $ua = unsafe { <$uta as SlotValue>::get(fp, $ua) };
                let r: $utr = $ue;
                // SAFETY: as above.
                unsafe { <$utr as SlotValue>::set(fp, dst, r) }
            }
        )*
        $(
            #[inline(always)]
            pub(super) unsafe fn $tn(fp: *mut u64, dst: Slot, $ta: Slot) -> Result<(), TrapCode> {
                // SAFETY: the caller guarantees the slots lie in the frame.
                let $ta = unsafe { <$tta as SlotValue>::get(fp, $ta) };
                let r: $ttr = $te?;
                // SAFETY: as above.
                unsafe { <$ttr as SlotValue>::set(fp, dst, r) };
                Ok(())
            }
        )*
        $(
            #[inline(always)]
            pub(super) unsafe fn $bn(fp: *mut u64, dst: Slot, $ba: Slot, $bb: Slot) {
                // SAFETY: the caller guarantees the slots lie in the frame.
                let $ba = unsafe { <$bta as SlotValue>::get(fp, $ba) };
                // SAFETY: as above.
                let $bb = unsafe { <$btb as SlotValue>::get(fp, $bb) };
                let r: $btr = $be;
                // SAFETY: as above.
                unsafe { <$btr as SlotValue>::set(fp, dst, r) }
            }
        )*
        $(
            #[inline(always)]
            pub(super) unsafe fn $cn(fp: *mut u64, dst: Slot, $ca: Slot, $cb: Slot) -> Result<(), TrapCode> {
                // SAFETY: the caller guarantees the slots lie in the frame.
                let $ca = unsafe { <$cta as SlotValue>::get(fp, $ca) };
                // SAFETY: as above.
                let $cb = unsafe { <$ctb as SlotValue>::get(fp, $cb) };
                let r: $ctr = $ce?;
                // SAFETY: as above.
                unsafe { <$ctr as SlotValue>::set(fp, dst, r) };
                Ok(())
            }
        )*
        $(
            #[inline(always)]
            pub(super) unsafe fn $in(fp: *mut u64, dst: Slot, $ia: Slot, $ii: i32) {
                // SAFETY: the caller guarantees the slots lie in the frame.
                let $ia = unsafe { <$ita as SlotValue>::get(fp, $ia) };
                let r: $itr = $ie;
                // SAFETY: as above.
                unsafe { <$itr as SlotValue>::set(fp, dst, r) }
            }
        )*
    };
}
