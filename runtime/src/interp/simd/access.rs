//! Moving scalars and lanes in and out of vectors: splat, `extract_lane`,
//! `replace_lane` and shuffle.

use super::swar::{REPEAT16, REPEAT32, REPEAT64, REPEAT8};
use super::{ExtractOp, ReplaceOp, SplatOp, V128};

/// Evaluates a splat of the scalar bits `x`.
pub fn splat(op: SplatOp, x: u64) -> V128 {
    match op {
        SplatOp::I8x16 => V128::from(x as u8) * REPEAT8,
        SplatOp::I16x8 => V128::from(x as u16) * REPEAT16,
        SplatOp::I32x4 | SplatOp::F32x4 => V128::from(x as u32) * REPEAT32,
        SplatOp::I64x2 | SplatOp::F64x2 => V128::from(x) * REPEAT64,
    }
}

/// Evaluates an `extract_lane`. Narrow signed lanes are sign-extended to 32
/// bits; 32-bit results are zero-extended to `u64`.
pub fn extract_lane(op: ExtractOp, a: V128, lane: u8) -> u64 {
    let at = |bits: u32| a >> ((u32::from(lane) * bits) & 127);
    match op {
        ExtractOp::I8x16S => u64::from(at(8) as i8 as i32 as u32),
        ExtractOp::I8x16U => u64::from(at(8) as u8),
        ExtractOp::I16x8S => u64::from(at(16) as i16 as i32 as u32),
        ExtractOp::I16x8U => u64::from(at(16) as u16),
        ExtractOp::I32x4 | ExtractOp::F32x4 => u64::from(at(32) as u32),
        ExtractOp::I64x2 | ExtractOp::F64x2 => at(64) as u64,
    }
}

/// Replaces the `bits`-wide lane `lane` of `a` with the low bits of `x`.
#[inline(always)]
pub(super) fn insert(a: V128, bits: u32, lane: u8, x: u64) -> V128 {
    let mask = u128::MAX >> (128 - bits);
    let at = (u32::from(lane) * bits) & 127;
    (a & !(mask << at)) | ((V128::from(x) & mask) << at)
}

/// Evaluates a `replace_lane` with the scalar bits `x`.
pub fn replace_lane(op: ReplaceOp, a: V128, lane: u8, x: u64) -> V128 {
    let bits = match op {
        ReplaceOp::I8x16 => 8,
        ReplaceOp::I16x8 => 16,
        ReplaceOp::I32x4 | ReplaceOp::F32x4 => 32,
        ReplaceOp::I64x2 | ReplaceOp::F64x2 => 64,
    };
    insert(a, bits, lane, x)
}

/// `i8x16.shuffle`: byte `i` of the result is byte `lanes[i]` of `a || b`.
pub fn shuffle(lanes: &[u8; 16], a: V128, b: V128) -> V128 {
    let mut ab = [0; 32];
    ab[..16].copy_from_slice(&a.to_le_bytes());
    ab[16..].copy_from_slice(&b.to_le_bytes());
    V128::from_le_bytes(core::array::from_fn(|i| ab[usize::from(lanes[i] & 31)]))
}
