//! The `v128 -> i32` operators: any/all lanes true and lane bitmasks.

use super::lanes::Lane;
use super::swar::{bitmask8, swar_nonzero, H16, H8};
use super::{TestOp, V128};

/// Collects the top bit of each lane, lane 0 in bit 0.
#[inline(always)]
pub(super) fn bitmask<T: Lane + Into<u64>>(a: V128) -> u32 {
    let a = a.to_le_bytes();
    let mut r = 0;
    for i in 0..T::N {
        r |= ((T::load(&a, i).into() >> (T::BYTES * 8 - 1)) as u32) << i;
    }
    r
}

#[inline(always)]
pub(super) fn all_true<T: Lane + Into<u64>>(a: V128) -> u32 {
    let a = a.to_le_bytes();
    u32::from((0..T::N).all(|i| T::load(&a, i).into() != 0))
}

/// Evaluates a `v128 -> i32` operator; the result is the i32 bit pattern.
pub fn test(op: TestOp, a: V128) -> u32 {
    use TestOp::*;
    match op {
        V128AnyTrue => u32::from(a != 0),
        I8x16AllTrue => u32::from(swar_nonzero(a, H8) == H8),
        I8x16Bitmask => bitmask8(a as u64) | bitmask8((a >> 64) as u64) << 8,
        I16x8AllTrue => u32::from(swar_nonzero(a, H16) == H16),
        I16x8Bitmask => bitmask::<u16>(a),
        I32x4AllTrue => all_true::<u32>(a),
        I32x4Bitmask => bitmask::<u32>(a),
        I64x2AllTrue => all_true::<u64>(a),
        I64x2Bitmask => bitmask::<u64>(a),
    }
}
