//! Floating-point arithmetic and comparisons (`f32.*`, `f64.*`).
//!
//! `abs`, `neg` and `copysign` work on the bits (they never change a NaN's
//! payload); `min`, `max`, `nearest` and the roundings follow wasm's NaN
//! and signed-zero rules ([`crate::interp::num`]). Comparisons with a NaN
//! are false, except `ne`.

use super::slots::{gf64, SlotValue};
use crate::interp::code::Slot;
use crate::interp::num;

const F32_SIGN: u32 = 0x8000_0000;
const F64_SIGN: u64 = 1 << 63;

family! {
    unary {
        F32Abs => f32_abs(a: f32) -> f32 = f32::from_bits(a.to_bits() & !F32_SIGN);
        F32Neg => f32_neg(a: f32) -> f32 = f32::from_bits(a.to_bits() ^ F32_SIGN);
        F32Ceil => f32_ceil(a: f32) -> f32 = num::f32_ceil(a);
        F32Floor => f32_floor(a: f32) -> f32 = num::f32_floor(a);
        F32Trunc => f32_trunc(a: f32) -> f32 = num::f32_trunc(a);
        F32Nearest => f32_nearest(a: f32) -> f32 = num::f32_nearest(a);
        F32Sqrt => f32_sqrt(a: f32) -> f32 = a.sqrt();
        F64Abs => f64_abs(a: f64) -> f64 = f64::from_bits(a.to_bits() & !F64_SIGN);
        F64Neg => f64_neg(a: f64) -> f64 = f64::from_bits(a.to_bits() ^ F64_SIGN);
        F64Ceil => f64_ceil(a: f64) -> f64 = num::f64_ceil(a);
        F64Floor => f64_floor(a: f64) -> f64 = num::f64_floor(a);
        F64Trunc => f64_trunc(a: f64) -> f64 = num::f64_trunc(a);
        F64Nearest => f64_nearest(a: f64) -> f64 = num::f64_nearest(a);
        F64Sqrt => f64_sqrt(a: f64) -> f64 = a.sqrt();
    }
    unary_try {}
    binary {
        F32Add => f32_add(a: f32, b: f32) -> f32 = a + b;
        F32Sub => f32_sub(a: f32, b: f32) -> f32 = a - b;
        F32Mul => f32_mul(a: f32, b: f32) -> f32 = a * b;
        F32Div => f32_div(a: f32, b: f32) -> f32 = a / b;
        F32Min => f32_min(a: f32, b: f32) -> f32 = num::f32_min(a, b);
        F32Max => f32_max(a: f32, b: f32) -> f32 = num::f32_max(a, b);
        F32Copysign => f32_copysign(a: f32, b: f32) -> f32 = f32::from_bits((a.to_bits() & !F32_SIGN) | (b.to_bits() & F32_SIGN));
        F32Eq => f32_eq(a: f32, b: f32) -> bool = a == b;
        F32Ne => f32_ne(a: f32, b: f32) -> bool = a != b;
        F32Lt => f32_lt(a: f32, b: f32) -> bool = a < b;
        F32Gt => f32_gt(a: f32, b: f32) -> bool = a > b;
        F32Le => f32_le(a: f32, b: f32) -> bool = a <= b;
        F32Ge => f32_ge(a: f32, b: f32) -> bool = a >= b;
        F64Add => f64_add(a: f64, b: f64) -> f64 = a + b;
        F64Sub => f64_sub(a: f64, b: f64) -> f64 = a - b;
        F64Mul => f64_mul(a: f64, b: f64) -> f64 = a * b;
        F64Div => f64_div(a: f64, b: f64) -> f64 = a / b;
        F64Min => f64_min(a: f64, b: f64) -> f64 = num::f64_min(a, b);
        F64Max => f64_max(a: f64, b: f64) -> f64 = num::f64_max(a, b);
        F64Copysign => f64_copysign(a: f64, b: f64) -> f64 = f64::from_bits((a.to_bits() & !F64_SIGN) | (b.to_bits() & F64_SIGN));
        F64Eq => f64_eq(a: f64, b: f64) -> bool = a == b;
        F64Ne => f64_ne(a: f64, b: f64) -> bool = a != b;
        F64Lt => f64_lt(a: f64, b: f64) -> bool = a < b;
        F64Gt => f64_gt(a: f64, b: f64) -> bool = a > b;
        F64Le => f64_le(a: f64, b: f64) -> bool = a <= b;
        F64Ge => f64_ge(a: f64, b: f64) -> bool = a >= b;
    }
    binary_try {}
    imm {}
}

/// Defines the chained f64 ops: `name, name_r: op1, op2` computes
/// `(a op1 b) op2 c` and `name_r` `c op2 (a op1 b)`, operands in the order
/// the two separate ops take them (so a NaN propagates the same way).
macro_rules! chains {
    ($($name:ident, $r:ident: $o1:tt, $o2:tt;)*) => {$(
        #[inline(always)]
        pub(super) unsafe fn $name(fp: *mut u64, dst: Slot, a: u16, b: u16, c: u16) {
            // SAFETY: the caller guarantees the slots lie in the frame.
            unsafe {
                let (a, b, c) = (gf64(fp, a.into()), gf64(fp, b.into()), gf64(fp, c.into()));
                <f64 as SlotValue>::set(fp, dst, (a $o1 b) $o2 c);
            }
        }
        #[inline(always)]
        pub(super) unsafe fn $r(fp: *mut u64, dst: Slot, a: u16, b: u16, c: u16) {
            // SAFETY: the caller guarantees the slots lie in the frame.
            unsafe {
                let (a, b, c) = (gf64(fp, a.into()), gf64(fp, b.into()), gf64(fp, c.into()));
                <f64 as SlotValue>::set(fp, dst, c $o2 (a $o1 b));
            }
        }
    )*};
}

chains! {
    f64_add_add, f64_add_add_r: +, +;
    f64_add_sub, f64_add_sub_r: +, -;
    f64_add_mul, f64_add_mul_r: +, *;
    f64_sub_add, f64_sub_add_r: -, +;
    f64_sub_sub, f64_sub_sub_r: -, -;
    f64_sub_mul, f64_sub_mul_r: -, *;
    f64_mul_add, f64_mul_add_r: *, +;
    f64_mul_sub, f64_mul_sub_r: *, -;
    f64_mul_mul, f64_mul_mul_r: *, *;
}
