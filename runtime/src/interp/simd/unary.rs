//! The `v128 -> v128` operators.

use super::lanes::{build, lane, map};
use super::swar::swar_popcnt8;
use super::{UnOp, V128};
use crate::interp::num;

const F32_SIGNS: V128 = 0x8000_0000_8000_0000_8000_0000_8000_0000;
const F64_SIGNS: V128 = 0x8000_0000_0000_0000_8000_0000_0000_0000;

/// Evaluates a `v128 -> v128` operator.
pub fn unary(op: UnOp, a: V128) -> V128 {
    use UnOp::*;
    match op {
        V128Not => !a,
        I8x16Abs => map(a, i8::wrapping_abs),
        I8x16Neg => map(a, i8::wrapping_neg),
        I8x16Popcnt => swar_popcnt8(a),
        I16x8Abs => map(a, i16::wrapping_abs),
        I16x8Neg => map(a, i16::wrapping_neg),
        I16x8ExtAddPairwiseI8x16S => {
            build(|i| i16::from(lane::<i8>(a, 2 * i)) + i16::from(lane::<i8>(a, 2 * i + 1)))
        }
        I16x8ExtAddPairwiseI8x16U => {
            build(|i| u16::from(lane::<u8>(a, 2 * i)) + u16::from(lane::<u8>(a, 2 * i + 1)))
        }
        I16x8ExtendLowI8x16S => build(|i| i16::from(lane::<i8>(a, i))),
        I16x8ExtendHighI8x16S => build(|i| i16::from(lane::<i8>(a, i + 8))),
        I16x8ExtendLowI8x16U => build(|i| u16::from(lane::<u8>(a, i))),
        I16x8ExtendHighI8x16U => build(|i| u16::from(lane::<u8>(a, i + 8))),
        I32x4Abs => map(a, i32::wrapping_abs),
        I32x4Neg => map(a, i32::wrapping_neg),
        I32x4ExtAddPairwiseI16x8S => {
            build(|i| i32::from(lane::<i16>(a, 2 * i)) + i32::from(lane::<i16>(a, 2 * i + 1)))
        }
        I32x4ExtAddPairwiseI16x8U => {
            build(|i| u32::from(lane::<u16>(a, 2 * i)) + u32::from(lane::<u16>(a, 2 * i + 1)))
        }
        I32x4ExtendLowI16x8S => build(|i| i32::from(lane::<i16>(a, i))),
        I32x4ExtendHighI16x8S => build(|i| i32::from(lane::<i16>(a, i + 4))),
        I32x4ExtendLowI16x8U => build(|i| u32::from(lane::<u16>(a, i))),
        I32x4ExtendHighI16x8U => build(|i| u32::from(lane::<u16>(a, i + 4))),
        I64x2Abs => map(a, i64::wrapping_abs),
        I64x2Neg => map(a, i64::wrapping_neg),
        I64x2ExtendLowI32x4S => build(|i| i64::from(lane::<i32>(a, i))),
        I64x2ExtendHighI32x4S => build(|i| i64::from(lane::<i32>(a, i + 2))),
        I64x2ExtendLowI32x4U => build(|i| u64::from(lane::<u32>(a, i))),
        I64x2ExtendHighI32x4U => build(|i| u64::from(lane::<u32>(a, i + 2))),
        F32x4Ceil => map(a, num::f32_ceil),
        F32x4Floor => map(a, num::f32_floor),
        F32x4Trunc => map(a, num::f32_trunc),
        F32x4Nearest => map(a, num::f32_nearest),
        F32x4Abs => a & !F32_SIGNS,
        F32x4Neg => a ^ F32_SIGNS,
        F32x4Sqrt => map(a, f32::sqrt),
        F64x2Ceil => map(a, num::f64_ceil),
        F64x2Floor => map(a, num::f64_floor),
        F64x2Trunc => map(a, num::f64_trunc),
        F64x2Nearest => map(a, num::f64_nearest),
        F64x2Abs => a & !F64_SIGNS,
        F64x2Neg => a ^ F64_SIGNS,
        F64x2Sqrt => map(a, f64::sqrt),
        I32x4TruncSatF32x4S => map(a, num::i32_trunc_sat_f32_s),
        I32x4TruncSatF32x4U => map(a, num::i32_trunc_sat_f32_u),
        F32x4ConvertI32x4S => map(a, |x: i32| x as f32),
        F32x4ConvertI32x4U => map(a, |x: u32| x as f32),
        I32x4TruncSatF64x2SZero => build(|i| {
            if i < 2 {
                num::i32_trunc_sat_f64_s(lane(a, i))
            } else {
                0
            }
        }),
        I32x4TruncSatF64x2UZero => build(|i| {
            if i < 2 {
                num::i32_trunc_sat_f64_u(lane(a, i))
            } else {
                0
            }
        }),
        F64x2ConvertLowI32x4S => build(|i| f64::from(lane::<i32>(a, i))),
        F64x2ConvertLowI32x4U => build(|i| f64::from(lane::<u32>(a, i))),
        F32x4DemoteF64x2Zero => build(|i| if i < 2 { lane::<f64>(a, i) as f32 } else { 0.0 }),
        F64x2PromoteLowF32x4 => build(|i| f64::from(lane::<f32>(a, i))),
    }
}
