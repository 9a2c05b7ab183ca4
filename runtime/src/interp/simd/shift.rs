//! The lane-wise shifts by a scalar amount.

use super::lanes::map;
use super::swar::{swar_shl, swar_shr_s, swar_shr_u, REPEAT16, REPEAT8};
use super::{ShiftOp, V128};

/// Evaluates a shift; `amount` is taken modulo the lane width.
pub fn shift(op: ShiftOp, a: V128, amount: u32) -> V128 {
    use ShiftOp::*;
    // `wrapping_shl`/`wrapping_shr` also reduce the amount modulo the lane width.
    match op {
        I8x16Shl => swar_shl(a, amount % 8, REPEAT8, 0xff),
        I8x16ShrS => swar_shr_s(a, amount % 8, REPEAT8, 0x80),
        I8x16ShrU => swar_shr_u(a, amount % 8, REPEAT8, 0xff),
        I16x8Shl => swar_shl(a, amount % 16, REPEAT16, 0xffff),
        I16x8ShrS => swar_shr_s(a, amount % 16, REPEAT16, 0x8000),
        I16x8ShrU => swar_shr_u(a, amount % 16, REPEAT16, 0xffff),
        I32x4Shl => map(a, |x: u32| x.wrapping_shl(amount)),
        I32x4ShrS => map(a, |x: i32| x.wrapping_shr(amount)),
        I32x4ShrU => map(a, |x: u32| x.wrapping_shr(amount)),
        I64x2Shl => map(a, |x: u64| x.wrapping_shl(amount)),
        I64x2ShrS => map(a, |x: i64| x.wrapping_shr(amount)),
        I64x2ShrU => map(a, |x: u64| x.wrapping_shr(amount)),
    }
}
