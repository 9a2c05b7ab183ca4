//! The `v128, v128 -> v128` operators and the `v128.bitselect` ternary.

use super::lanes::{build, cmp, concat, lane, zip};
use super::swar::{
    swar_add, swar_add_sat_s, swar_add_sat_u, swar_lanes_from_top, swar_nonzero, swar_sub,
    swar_sub_sat_s, swar_sub_sat_u, H16, H8,
};
use super::{BinOp, TernOp, V128};
use crate::interp::num;

/// Evaluates a `v128, v128 -> v128` operator.
pub fn binary(op: BinOp, a: V128, b: V128) -> V128 {
    use BinOp::*;
    match op {
        V128And => a & b,
        V128AndNot => a & !b,
        V128Or => a | b,
        V128Xor => a ^ b,
        I8x16Swizzle => {
            let (a, b) = (a.to_le_bytes(), b.to_le_bytes());
            V128::from_le_bytes(core::array::from_fn(|i| {
                a.get(usize::from(b[i])).copied().unwrap_or(0)
            }))
        }

        I8x16Eq => !swar_lanes_from_top(swar_nonzero(a ^ b, H8), 8),
        I8x16Ne => swar_lanes_from_top(swar_nonzero(a ^ b, H8), 8),
        I8x16LtS => cmp(a, b, |x: i8, y| x < y),
        I8x16LtU => cmp(a, b, |x: u8, y| x < y),
        I8x16GtS => cmp(a, b, |x: i8, y| x > y),
        I8x16GtU => cmp(a, b, |x: u8, y| x > y),
        I8x16LeS => cmp(a, b, |x: i8, y| x <= y),
        I8x16LeU => cmp(a, b, |x: u8, y| x <= y),
        I8x16GeS => cmp(a, b, |x: i8, y| x >= y),
        I8x16GeU => cmp(a, b, |x: u8, y| x >= y),
        I16x8Eq => !swar_lanes_from_top(swar_nonzero(a ^ b, H16), 16),
        I16x8Ne => swar_lanes_from_top(swar_nonzero(a ^ b, H16), 16),
        I16x8LtS => cmp(a, b, |x: i16, y| x < y),
        I16x8LtU => cmp(a, b, |x: u16, y| x < y),
        I16x8GtS => cmp(a, b, |x: i16, y| x > y),
        I16x8GtU => cmp(a, b, |x: u16, y| x > y),
        I16x8LeS => cmp(a, b, |x: i16, y| x <= y),
        I16x8LeU => cmp(a, b, |x: u16, y| x <= y),
        I16x8GeS => cmp(a, b, |x: i16, y| x >= y),
        I16x8GeU => cmp(a, b, |x: u16, y| x >= y),
        I32x4Eq => cmp(a, b, |x: u32, y| x == y),
        I32x4Ne => cmp(a, b, |x: u32, y| x != y),
        I32x4LtS => cmp(a, b, |x: i32, y| x < y),
        I32x4LtU => cmp(a, b, |x: u32, y| x < y),
        I32x4GtS => cmp(a, b, |x: i32, y| x > y),
        I32x4GtU => cmp(a, b, |x: u32, y| x > y),
        I32x4LeS => cmp(a, b, |x: i32, y| x <= y),
        I32x4LeU => cmp(a, b, |x: u32, y| x <= y),
        I32x4GeS => cmp(a, b, |x: i32, y| x >= y),
        I32x4GeU => cmp(a, b, |x: u32, y| x >= y),
        I64x2Eq => cmp(a, b, |x: u64, y| x == y),
        I64x2Ne => cmp(a, b, |x: u64, y| x != y),
        I64x2LtS => cmp(a, b, |x: i64, y| x < y),
        I64x2GtS => cmp(a, b, |x: i64, y| x > y),
        I64x2LeS => cmp(a, b, |x: i64, y| x <= y),
        I64x2GeS => cmp(a, b, |x: i64, y| x >= y),
        F32x4Eq => cmp(a, b, |x: f32, y| x == y),
        F32x4Ne => cmp(a, b, |x: f32, y| x != y),
        F32x4Lt => cmp(a, b, |x: f32, y| x < y),
        F32x4Gt => cmp(a, b, |x: f32, y| x > y),
        F32x4Le => cmp(a, b, |x: f32, y| x <= y),
        F32x4Ge => cmp(a, b, |x: f32, y| x >= y),
        F64x2Eq => cmp(a, b, |x: f64, y| x == y),
        F64x2Ne => cmp(a, b, |x: f64, y| x != y),
        F64x2Lt => cmp(a, b, |x: f64, y| x < y),
        F64x2Gt => cmp(a, b, |x: f64, y| x > y),
        F64x2Le => cmp(a, b, |x: f64, y| x <= y),
        F64x2Ge => cmp(a, b, |x: f64, y| x >= y),

        I8x16NarrowI16x8S => build(|i| concat::<i16>(a, b, i).clamp(-128, 127) as i8),
        I8x16NarrowI16x8U => build(|i| concat::<i16>(a, b, i).clamp(0, 255) as u8),
        I8x16Add => swar_add(a, b, H8),
        I8x16AddSatS => swar_add_sat_s(a, b, H8, 8),
        I8x16AddSatU => swar_add_sat_u(a, b, H8, 8),
        I8x16Sub => swar_sub(a, b, H8),
        I8x16SubSatS => swar_sub_sat_s(a, b, H8, 8),
        I8x16SubSatU => swar_sub_sat_u(a, b, H8, 8),
        I8x16MinS => zip(a, b, i8::min),
        I8x16MinU => zip(a, b, u8::min),
        I8x16MaxS => zip(a, b, i8::max),
        I8x16MaxU => zip(a, b, u8::max),
        I8x16AvgrU => zip(a, b, |x: u8, y| {
            ((u16::from(x) + u16::from(y) + 1) >> 1) as u8
        }),

        I16x8NarrowI32x4S => build(|i| concat::<i32>(a, b, i).clamp(-32768, 32767) as i16),
        I16x8NarrowI32x4U => build(|i| concat::<i32>(a, b, i).clamp(0, 65535) as u16),
        I16x8Add => swar_add(a, b, H16),
        I16x8AddSatS => swar_add_sat_s(a, b, H16, 16),
        I16x8AddSatU => swar_add_sat_u(a, b, H16, 16),
        I16x8Sub => swar_sub(a, b, H16),
        I16x8SubSatS => swar_sub_sat_s(a, b, H16, 16),
        I16x8SubSatU => swar_sub_sat_u(a, b, H16, 16),
        I16x8Mul => zip(a, b, u16::wrapping_mul),
        I16x8MinS => zip(a, b, i16::min),
        I16x8MinU => zip(a, b, u16::min),
        I16x8MaxS => zip(a, b, i16::max),
        I16x8MaxU => zip(a, b, u16::max),
        I16x8AvgrU => zip(a, b, |x: u16, y| {
            ((u32::from(x) + u32::from(y) + 1) >> 1) as u16
        }),
        I16x8Q15MulrSatS => zip(a, b, |x: i16, y| {
            let p = (i32::from(x) * i32::from(y) + 0x4000) >> 15;
            p.clamp(-32768, 32767) as i16
        }),
        I16x8ExtMulLowI8x16S => {
            build(|i| i16::from(lane::<i8>(a, i)) * i16::from(lane::<i8>(b, i)))
        }
        I16x8ExtMulHighI8x16S => {
            build(|i| i16::from(lane::<i8>(a, i + 8)) * i16::from(lane::<i8>(b, i + 8)))
        }
        I16x8ExtMulLowI8x16U => {
            build(|i| u16::from(lane::<u8>(a, i)) * u16::from(lane::<u8>(b, i)))
        }
        I16x8ExtMulHighI8x16U => {
            build(|i| u16::from(lane::<u8>(a, i + 8)) * u16::from(lane::<u8>(b, i + 8)))
        }

        I32x4Add => zip(a, b, u32::wrapping_add),
        I32x4Sub => zip(a, b, u32::wrapping_sub),
        I32x4Mul => zip(a, b, u32::wrapping_mul),
        I32x4MinS => zip(a, b, i32::min),
        I32x4MinU => zip(a, b, u32::min),
        I32x4MaxS => zip(a, b, i32::max),
        I32x4MaxU => zip(a, b, u32::max),
        I32x4DotI16x8S => build(|i| {
            let lo = i32::from(lane::<i16>(a, 2 * i)) * i32::from(lane::<i16>(b, 2 * i));
            let hi = i32::from(lane::<i16>(a, 2 * i + 1)) * i32::from(lane::<i16>(b, 2 * i + 1));
            lo.wrapping_add(hi)
        }),
        I32x4ExtMulLowI16x8S => {
            build(|i| i32::from(lane::<i16>(a, i)) * i32::from(lane::<i16>(b, i)))
        }
        I32x4ExtMulHighI16x8S => {
            build(|i| i32::from(lane::<i16>(a, i + 4)) * i32::from(lane::<i16>(b, i + 4)))
        }
        I32x4ExtMulLowI16x8U => {
            build(|i| u32::from(lane::<u16>(a, i)) * u32::from(lane::<u16>(b, i)))
        }
        I32x4ExtMulHighI16x8U => {
            build(|i| u32::from(lane::<u16>(a, i + 4)) * u32::from(lane::<u16>(b, i + 4)))
        }

        I64x2Add => zip(a, b, u64::wrapping_add),
        I64x2Sub => zip(a, b, u64::wrapping_sub),
        I64x2Mul => zip(a, b, u64::wrapping_mul),
        I64x2ExtMulLowI32x4S => {
            build(|i| i64::from(lane::<i32>(a, i)) * i64::from(lane::<i32>(b, i)))
        }
        I64x2ExtMulHighI32x4S => {
            build(|i| i64::from(lane::<i32>(a, i + 2)) * i64::from(lane::<i32>(b, i + 2)))
        }
        I64x2ExtMulLowI32x4U => {
            build(|i| u64::from(lane::<u32>(a, i)) * u64::from(lane::<u32>(b, i)))
        }
        I64x2ExtMulHighI32x4U => {
            build(|i| u64::from(lane::<u32>(a, i + 2)) * u64::from(lane::<u32>(b, i + 2)))
        }

        F32x4Add => zip(a, b, |x: f32, y| x + y),
        F32x4Sub => zip(a, b, |x: f32, y| x - y),
        F32x4Mul => zip(a, b, |x: f32, y| x * y),
        F32x4Div => zip(a, b, |x: f32, y| x / y),
        F32x4Min => zip(a, b, num::f32_min),
        F32x4Max => zip(a, b, num::f32_max),
        F32x4PMin => zip(a, b, |x: f32, y| if y < x { y } else { x }),
        F32x4PMax => zip(a, b, |x: f32, y| if x < y { y } else { x }),
        F64x2Add => zip(a, b, |x: f64, y| x + y),
        F64x2Sub => zip(a, b, |x: f64, y| x - y),
        F64x2Mul => zip(a, b, |x: f64, y| x * y),
        F64x2Div => zip(a, b, |x: f64, y| x / y),
        F64x2Min => zip(a, b, num::f64_min),
        F64x2Max => zip(a, b, num::f64_max),
        F64x2PMin => zip(a, b, |x: f64, y| if y < x { y } else { x }),
        F64x2PMax => zip(a, b, |x: f64, y| if x < y { y } else { x }),
    }
}

/// Evaluates a `v128, v128, v128 -> v128` operator.
pub fn ternary(op: TernOp, a: V128, b: V128, c: V128) -> V128 {
    match op {
        TernOp::V128Bitselect => (a & c) | (b & !c),
    }
}
