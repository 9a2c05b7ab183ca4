//! Conversions between value types: wrap/extend, sign extension, float
//! promotion/demotion, int<->float conversion, and the trapping and
//! saturating float-to-int truncations. (Reinterpretations and
//! `i64.extend_i32_u` need no op: 32-bit values are kept zero-extended.)
//!
//! A trapping truncation traps `InvalidConversionToInteger` on NaN and
//! `IntegerOverflow` when the truncated value is out of range.

use super::slots::SlotValue;
use crate::interp::code::Slot;
use crate::interp::num::{self, ConvError};
use kiln_format::TrapCode;

#[inline(always)]
fn conv<T>(r: Result<T, ConvError>) -> Result<T, TrapCode> {
    r.map_err(|e| match e {
        ConvError::Overflow => TrapCode::IntegerOverflow,
        ConvError::Invalid => TrapCode::InvalidConversionToInteger,
    })
}

family! {
    unary {
        I32Extend8S => i32_extend8_s(a: u32) -> i32 = a as i8 as i32;
        I32Extend16S => i32_extend16_s(a: u32) -> i32 = a as i16 as i32;
        I64Extend8S => i64_extend8_s(a: u64) -> i64 = a as i8 as i64;
        I64Extend16S => i64_extend16_s(a: u64) -> i64 = a as i16 as i64;
        I64Extend32S => i64_extend32_s(a: u64) -> i64 = a as i32 as i64;
        I32WrapI64 => i32_wrap_i64(a: u64) -> u32 = a as u32;
        I64ExtendI32S => i64_extend_i32_s(a: i32) -> i64 = a as i64;
        I32TruncSatF32S => i32_trunc_sat_f32_s(a: f32) -> i32 = num::i32_trunc_sat_f32_s(a);
        I32TruncSatF32U => i32_trunc_sat_f32_u(a: f32) -> i32 = num::i32_trunc_sat_f32_u(a);
        I32TruncSatF64S => i32_trunc_sat_f64_s(a: f64) -> i32 = num::i32_trunc_sat_f64_s(a);
        I32TruncSatF64U => i32_trunc_sat_f64_u(a: f64) -> i32 = num::i32_trunc_sat_f64_u(a);
        I64TruncSatF32S => i64_trunc_sat_f32_s(a: f32) -> i64 = num::i64_trunc_sat_f32_s(a);
        I64TruncSatF32U => i64_trunc_sat_f32_u(a: f32) -> i64 = num::i64_trunc_sat_f32_u(a);
        I64TruncSatF64S => i64_trunc_sat_f64_s(a: f64) -> i64 = num::i64_trunc_sat_f64_s(a);
        I64TruncSatF64U => i64_trunc_sat_f64_u(a: f64) -> i64 = num::i64_trunc_sat_f64_u(a);
        F32ConvertI32S => f32_convert_i32_s(a: i32) -> f32 = a as f32;
        F32ConvertI32U => f32_convert_i32_u(a: u32) -> f32 = a as f32;
        F32ConvertI64S => f32_convert_i64_s(a: i64) -> f32 = a as f32;
        F32ConvertI64U => f32_convert_i64_u(a: u64) -> f32 = a as f32;
        F64ConvertI32S => f64_convert_i32_s(a: i32) -> f64 = a as f64;
        F64ConvertI32U => f64_convert_i32_u(a: u32) -> f64 = a as f64;
        F64ConvertI64S => f64_convert_i64_s(a: i64) -> f64 = a as f64;
        F64ConvertI64U => f64_convert_i64_u(a: u64) -> f64 = a as f64;
        F32DemoteF64 => f32_demote_f64(a: f64) -> f32 = a as f32;
        F64PromoteF32 => f64_promote_f32(a: f32) -> f64 = a as f64;
    }
    unary_try {
        I32TruncF32S => i32_trunc_f32_s(a: f32) -> i32 = conv(num::i32_trunc_f32_s(a));
        I32TruncF32U => i32_trunc_f32_u(a: f32) -> i32 = conv(num::i32_trunc_f32_u(a));
        I32TruncF64S => i32_trunc_f64_s(a: f64) -> i32 = conv(num::i32_trunc_f64_s(a));
        I32TruncF64U => i32_trunc_f64_u(a: f64) -> i32 = conv(num::i32_trunc_f64_u(a));
        I64TruncF32S => i64_trunc_f32_s(a: f32) -> i64 = conv(num::i64_trunc_f32_s(a));
        I64TruncF32U => i64_trunc_f32_u(a: f32) -> i64 = conv(num::i64_trunc_f32_u(a));
        I64TruncF64S => i64_trunc_f64_s(a: f64) -> i64 = conv(num::i64_trunc_f64_s(a));
        I64TruncF64U => i64_trunc_f64_u(a: f64) -> i64 = conv(num::i64_trunc_f64_u(a));
    }
    binary {}
    binary_try {}
    imm {}
}
