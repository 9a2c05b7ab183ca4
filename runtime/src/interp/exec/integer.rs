//! Integer arithmetic, bitwise and comparison ops (`i32.*`, `i64.*`) and
//! their immediate forms (right operand a constant `imm`).
//!
//! Shift and rotate counts are taken modulo the bit width as wasm requires.
//! The shifted forms (`I32XorRotl` and the like) compute `a op (b shift
//! imm)`, a constant shift fused into the op that consumes it.
//! Division traps on a zero divisor and on the one overflowing signed
//! quotient (`MIN / -1`); the remainder of `MIN % -1` is 0.

use super::slots::{g32, s32, SlotValue};
use crate::interp::code::Slot;
use kiln_format::TrapCode;

#[inline(always)]
fn i32_div(a: i32, b: i32) -> Result<i32, TrapCode> {
    match b {
        0 => Err(TrapCode::IntegerDivideByZero),
        -1 if a == i32::MIN => Err(TrapCode::IntegerOverflow),
        _ => Ok(a.wrapping_div(b)),
    }
}

#[inline(always)]
fn i64_div(a: i64, b: i64) -> Result<i64, TrapCode> {
    match b {
        0 => Err(TrapCode::IntegerDivideByZero),
        -1 if a == i64::MIN => Err(TrapCode::IntegerOverflow),
        _ => Ok(a.wrapping_div(b)),
    }
}

#[inline(always)]
fn nonzero<T: PartialEq + Default>(b: T) -> Result<T, TrapCode> {
    if b == T::default() {
        Err(TrapCode::IntegerDivideByZero)
    } else {
        Ok(b)
    }
}

family! {
    unary {
        I32Eqz => i32_eqz(a: u32) -> bool = a == 0;
        I32Clz => i32_clz(a: u32) -> u32 = a.leading_zeros();
        I32Ctz => i32_ctz(a: u32) -> u32 = a.trailing_zeros();
        I32Popcnt => i32_popcnt(a: u32) -> u32 = a.count_ones();
        I64Eqz => i64_eqz(a: u64) -> bool = a == 0;
        I64Clz => i64_clz(a: u64) -> u64 = a.leading_zeros() as u64;
        I64Ctz => i64_ctz(a: u64) -> u64 = a.trailing_zeros() as u64;
        I64Popcnt => i64_popcnt(a: u64) -> u64 = a.count_ones() as u64;
    }
    unary_try {}
    binary {
        I32Add => i32_add(a: u32, b: u32) -> u32 = a.wrapping_add(b);
        I32Sub => i32_sub(a: u32, b: u32) -> u32 = a.wrapping_sub(b);
        I32Mul => i32_mul(a: u32, b: u32) -> u32 = a.wrapping_mul(b);
        I32And => i32_and(a: u32, b: u32) -> u32 = a & b;
        I32Or => i32_or(a: u32, b: u32) -> u32 = a | b;
        I32Xor => i32_xor(a: u32, b: u32) -> u32 = a ^ b;
        I32Shl => i32_shl(a: u32, b: u32) -> u32 = a.wrapping_shl(b);
        I32ShrS => i32_shr_s(a: i32, b: u32) -> i32 = a.wrapping_shr(b);
        I32ShrU => i32_shr_u(a: u32, b: u32) -> u32 = a.wrapping_shr(b);
        I32Rotl => i32_rotl(a: u32, b: u32) -> u32 = a.rotate_left(b % 32);
        I32Rotr => i32_rotr(a: u32, b: u32) -> u32 = a.rotate_right(b % 32);
        I32Eq => i32_eq(a: u32, b: u32) -> bool = a == b;
        I32Ne => i32_ne(a: u32, b: u32) -> bool = a != b;
        I32LtS => i32_lt_s(a: i32, b: i32) -> bool = a < b;
        I32LtU => i32_lt_u(a: u32, b: u32) -> bool = a < b;
        I32GtS => i32_gt_s(a: i32, b: i32) -> bool = a > b;
        I32GtU => i32_gt_u(a: u32, b: u32) -> bool = a > b;
        I32LeS => i32_le_s(a: i32, b: i32) -> bool = a <= b;
        I32LeU => i32_le_u(a: u32, b: u32) -> bool = a <= b;
        I32GeS => i32_ge_s(a: i32, b: i32) -> bool = a >= b;
        I32GeU => i32_ge_u(a: u32, b: u32) -> bool = a >= b;
        I64Add => i64_add(a: u64, b: u64) -> u64 = a.wrapping_add(b);
        I64Sub => i64_sub(a: u64, b: u64) -> u64 = a.wrapping_sub(b);
        I64Mul => i64_mul(a: u64, b: u64) -> u64 = a.wrapping_mul(b);
        I64And => i64_and(a: u64, b: u64) -> u64 = a & b;
        I64Or => i64_or(a: u64, b: u64) -> u64 = a | b;
        I64Xor => i64_xor(a: u64, b: u64) -> u64 = a ^ b;
        I64Shl => i64_shl(a: u64, b: u64) -> u64 = a.wrapping_shl(b as u32);
        I64ShrS => i64_shr_s(a: i64, b: u64) -> i64 = a.wrapping_shr(b as u32);
        I64ShrU => i64_shr_u(a: u64, b: u64) -> u64 = a.wrapping_shr(b as u32);
        I64Rotl => i64_rotl(a: u64, b: u64) -> u64 = a.rotate_left((b % 64) as u32);
        I64Rotr => i64_rotr(a: u64, b: u64) -> u64 = a.rotate_right((b % 64) as u32);
        I64Eq => i64_eq(a: u64, b: u64) -> bool = a == b;
        I64Ne => i64_ne(a: u64, b: u64) -> bool = a != b;
        I64LtS => i64_lt_s(a: i64, b: i64) -> bool = a < b;
        I64LtU => i64_lt_u(a: u64, b: u64) -> bool = a < b;
        I64GtS => i64_gt_s(a: i64, b: i64) -> bool = a > b;
        I64GtU => i64_gt_u(a: u64, b: u64) -> bool = a > b;
        I64LeS => i64_le_s(a: i64, b: i64) -> bool = a <= b;
        I64LeU => i64_le_u(a: u64, b: u64) -> bool = a <= b;
        I64GeS => i64_ge_s(a: i64, b: i64) -> bool = a >= b;
        I64GeU => i64_ge_u(a: u64, b: u64) -> bool = a >= b;
    }
    binary_try {
        I32DivS => i32_div_s(a: i32, b: i32) -> i32 = i32_div(a, b);
        I32DivU => i32_div_u(a: u32, b: u32) -> u32 = nonzero(b).map(|b| a / b);
        I32RemS => i32_rem_s(a: i32, b: i32) -> i32 = nonzero(b).map(|b| a.wrapping_rem(b));
        I32RemU => i32_rem_u(a: u32, b: u32) -> u32 = nonzero(b).map(|b| a % b);
        I64DivS => i64_div_s(a: i64, b: i64) -> i64 = i64_div(a, b);
        I64DivU => i64_div_u(a: u64, b: u64) -> u64 = nonzero(b).map(|b| a / b);
        I64RemS => i64_rem_s(a: i64, b: i64) -> i64 = nonzero(b).map(|b| a.wrapping_rem(b));
        I64RemU => i64_rem_u(a: u64, b: u64) -> u64 = nonzero(b).map(|b| a % b);
    }
    imm {
        I32AddImm => i32_add_imm(a: u32, imm) -> u32 = a.wrapping_add(imm as u32);
        I32MulImm => i32_mul_imm(a: u32, imm) -> u32 = a.wrapping_mul(imm as u32);
        I32AndImm => i32_and_imm(a: u32, imm) -> u32 = a & imm as u32;
        I32OrImm => i32_or_imm(a: u32, imm) -> u32 = a | imm as u32;
        I32XorImm => i32_xor_imm(a: u32, imm) -> u32 = a ^ imm as u32;
        I32ShlImm => i32_shl_imm(a: u32, imm) -> u32 = a.wrapping_shl(imm as u32);
        I32ShrSImm => i32_shr_s_imm(a: i32, imm) -> i32 = a.wrapping_shr(imm as u32);
        I32ShrUImm => i32_shr_u_imm(a: u32, imm) -> u32 = a.wrapping_shr(imm as u32);
        I32RotlImm => i32_rotl_imm(a: u32, imm) -> u32 = a.rotate_left(imm as u32 % 32);
        I32RotrImm => i32_rotr_imm(a: u32, imm) -> u32 = a.rotate_right(imm as u32 % 32);
        I32EqImm => i32_eq_imm(a: u32, imm) -> bool = a == imm as u32;
        I32NeImm => i32_ne_imm(a: u32, imm) -> bool = a != imm as u32;
        I32LtSImm => i32_lt_s_imm(a: i32, imm) -> bool = a < imm;
        I32LtUImm => i32_lt_u_imm(a: u32, imm) -> bool = a < imm as u32;
        I32GtSImm => i32_gt_s_imm(a: i32, imm) -> bool = a > imm;
        I32GtUImm => i32_gt_u_imm(a: u32, imm) -> bool = a > imm as u32;
        I32LeSImm => i32_le_s_imm(a: i32, imm) -> bool = a <= imm;
        I32LeUImm => i32_le_u_imm(a: u32, imm) -> bool = a <= imm as u32;
        I32GeSImm => i32_ge_s_imm(a: i32, imm) -> bool = a >= imm;
        I32GeUImm => i32_ge_u_imm(a: u32, imm) -> bool = a >= imm as u32;
        I64AddImm => i64_add_imm(a: u64, imm) -> u64 = a.wrapping_add(imm as i64 as u64);
        I64MulImm => i64_mul_imm(a: u64, imm) -> u64 = a.wrapping_mul(imm as i64 as u64);
        I64AndImm => i64_and_imm(a: u64, imm) -> u64 = a & imm as i64 as u64;
        I64ShlImm => i64_shl_imm(a: u64, imm) -> u64 = a.wrapping_shl(imm as u32);
        I64ShrSImm => i64_shr_s_imm(a: i64, imm) -> i64 = a.wrapping_shr(imm as u32);
        I64ShrUImm => i64_shr_u_imm(a: u64, imm) -> u64 = a.wrapping_shr(imm as u32);
        I64RotlImm => i64_rotl_imm(a: u64, imm) -> u64 = a.rotate_left(imm as u32 % 64);
        I64RotrImm => i64_rotr_imm(a: u64, imm) -> u64 = a.rotate_right(imm as u32 % 64);
        I64EqImm => i64_eq_imm(a: u64, imm) -> bool = a == imm as i64 as u64;
        I64NeImm => i64_ne_imm(a: u64, imm) -> bool = a != imm as i64 as u64;
        I64LtSImm => i64_lt_s_imm(a: i64, imm) -> bool = a < imm as i64;
        I64LtUImm => i64_lt_u_imm(a: u64, imm) -> bool = a < imm as i64 as u64;
        I64GtSImm => i64_gt_s_imm(a: i64, imm) -> bool = a > imm as i64;
        I64GtUImm => i64_gt_u_imm(a: u64, imm) -> bool = a > imm as i64 as u64;
    }
}

/// `I32ShlAddImm`: `((a << shift) + imm) mod 2^32`.
///
/// # Safety
/// The frame at `fp` must hold slots `dst` and `a`.
#[inline(always)]
pub(super) unsafe fn i32_shl_add_imm(fp: *mut u64, dst: Slot, a: Slot, shift: u8, imm: i32) {
    // SAFETY: the caller's guarantee.
    unsafe {
        s32(
            fp,
            dst,
            (g32(fp, a) << (shift & 31)).wrapping_add(imm as u32),
        )
    }
}

/// Defines the shifted forms: `Op => name = |a, b, imm| e` for `{ dst, a, b, imm }`.
macro_rules! shifted {
    ($($v:ident => $name:ident = |$a:ident, $b:ident, $imm:ident| $e:expr;)*) => {$(
        #[inline(always)]
        pub(super) unsafe fn $name(fp: *mut u64, dst: Slot, $a: Slot, $b: Slot, $imm: u8) {
            // SAFETY: the caller guarantees the slots lie in the frame.
            unsafe {
                let ($a, $b, $imm) = (g32(fp, $a), g32(fp, $b), $imm as u32);
                s32(fp, dst, $e)
            }
        }
    )*};
}

shifted! {
    I32XorRotl => i32_xor_rotl = |a, b, imm| a ^ b.rotate_left(imm);
    I32XorShl => i32_xor_shl = |a, b, imm| a ^ b.wrapping_shl(imm);
    I32XorShrU => i32_xor_shr_u = |a, b, imm| a ^ b.wrapping_shr(imm);
    I32AddRotl => i32_add_rotl = |a, b, imm| a.wrapping_add(b.rotate_left(imm));
    I32AddShl => i32_add_shl = |a, b, imm| a.wrapping_add(b.wrapping_shl(imm));
    I32AddShrU => i32_add_shr_u = |a, b, imm| a.wrapping_add(b.wrapping_shr(imm));
    I32OrRotl => i32_or_rotl = |a, b, imm| a | b.rotate_left(imm);
    I32OrShl => i32_or_shl = |a, b, imm| a | b.wrapping_shl(imm);
    I32OrShrU => i32_or_shr_u = |a, b, imm| a | b.wrapping_shr(imm);
}

/// Defines `name = |a, b| e`: `c + e(a, b)` (`i32`, `{ dst, a, b, c }`,
/// 16-bit slots): the chained adds and the counted comparisons
/// (`I32AddLtS` and the like, `e` a condition).
macro_rules! add_cmp {
    ($($name:ident = |$a:ident, $b:ident| $e:expr;)*) => {$(
        #[inline(always)]
        pub(super) unsafe fn $name(fp: *mut u64, dst: Slot, a: u16, b: u16, c: u16) {
            // SAFETY: the caller guarantees the slots lie in the frame.
            unsafe {
                let ($a, $b) = (g32(fp, a.into()), g32(fp, b.into()));
                s32(fp, dst, g32(fp, c.into()).wrapping_add(($e) as u32));
            }
        }
    )*};
}

add_cmp! {
    i32_add_add = |a, b| a.wrapping_add(b);
    i32_mul_add = |a, b| a.wrapping_mul(b);
    i32_add_eq = |a, b| a == b;
    i32_add_ne = |a, b| a != b;
    i32_add_lt_s = |a, b| (a as i32) < (b as i32);
    i32_add_lt_u = |a, b| a < b;
    i32_add_gt_s = |a, b| (a as i32) > (b as i32);
    i32_add_gt_u = |a, b| a > b;
    i32_add_le_s = |a, b| (a as i32) <= (b as i32);
    i32_add_le_u = |a, b| a <= b;
    i32_add_ge_s = |a, b| (a as i32) >= (b as i32);
    i32_add_ge_u = |a, b| a >= b;
}

/// `I32PostAddImm`: copies slot `x` to slot `old`, then adds `imm` to
/// slot `x` in place, as `i32`.
///
/// # Safety
/// The frame at `fp` must hold slots `x` and `old`.
#[inline(always)]
pub(super) unsafe fn post_add_imm(fp: *mut u64, x: Slot, old: Slot, imm: i32) {
    // SAFETY: the caller's guarantee.
    unsafe {
        let v = g32(fp, x);
        s32(fp, old, v);
        s32(fp, x, v.wrapping_add(imm as u32));
    }
}

/// `I32AddAddImm`: `x += y`, then `z += imm`, as `i32` (in that order).
///
/// # Safety
/// The frame at `fp` must hold slots `x`, `y` and `z`.
#[inline(always)]
pub(super) unsafe fn add_add_imm(fp: *mut u64, x: Slot, y: Slot, z: Slot, imm: i16) {
    // SAFETY: the caller's guarantee.
    unsafe {
        s32(fp, x, g32(fp, x).wrapping_add(g32(fp, y)));
        s32(fp, z, g32(fp, z).wrapping_add(imm as u32));
    }
}

/// Adds slot `step` to slot `a` in place, as `i32` (the step of the
/// `*StoreStep` ops).
///
/// # Safety
/// The frame at `fp` must hold slots `a` and `step`.
#[inline(always)]
pub(super) unsafe fn add_slot_in_place(fp: *mut u64, a: Slot, step: Slot) {
    // SAFETY: the caller's guarantee.
    unsafe { s32(fp, a, g32(fp, a).wrapping_add(g32(fp, step))) }
}
