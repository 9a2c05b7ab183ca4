//! Scalar operations that can trap or need more than one expression.

use crate::interp::num::{self, ConvError};
use kiln_format::TrapCode;

#[inline(always)]
pub(super) fn conv<T>(r: Result<T, ConvError>) -> Result<T, TrapCode> {
    r.map_err(|e| match e {
        ConvError::Overflow => TrapCode::IntegerOverflow,
        ConvError::Invalid => TrapCode::InvalidConversionToInteger,
    })
}

#[inline(always)]
pub(super) fn i32_div_s(a: i32, b: i32) -> Result<i32, TrapCode> {
    match b {
        0 => Err(TrapCode::IntegerDivideByZero),
        -1 if a == i32::MIN => Err(TrapCode::IntegerOverflow),
        _ => Ok(a.wrapping_div(b)),
    }
}

#[inline(always)]
pub(super) fn i64_div_s(a: i64, b: i64) -> Result<i64, TrapCode> {
    match b {
        0 => Err(TrapCode::IntegerDivideByZero),
        -1 if a == i64::MIN => Err(TrapCode::IntegerOverflow),
        _ => Ok(a.wrapping_div(b)),
    }
}

#[inline(always)]
pub(super) fn nonzero<T: PartialEq + Default>(b: T) -> Result<T, TrapCode> {
    if b == T::default() {
        Err(TrapCode::IntegerDivideByZero)
    } else {
        Ok(b)
    }
}

#[inline(always)]
pub(super) fn f32_copysign(a: f32, b: f32) -> f32 {
    f32::from_bits((a.to_bits() & 0x7fff_ffff) | (b.to_bits() & 0x8000_0000))
}

#[inline(always)]
pub(super) fn f64_copysign(a: f64, b: f64) -> f64 {
    const SIGN: u64 = 1 << 63;
    f64::from_bits((a.to_bits() & !SIGN) | (b.to_bits() & SIGN))
}

#[inline(always)]
pub(super) fn f32_abs(a: f32) -> f32 {
    f32::from_bits(a.to_bits() & 0x7fff_ffff)
}

#[inline(always)]
pub(super) fn f64_abs(a: f64) -> f64 {
    f64::from_bits(a.to_bits() & !(1 << 63))
}

#[inline(always)]
pub(super) fn f32_neg(a: f32) -> f32 {
    f32::from_bits(a.to_bits() ^ 0x8000_0000)
}

#[inline(always)]
pub(super) fn f64_neg(a: f64) -> f64 {
    f64::from_bits(a.to_bits() ^ (1 << 63))
}

pub(super) use num::{f32_max, f32_min, f32_nearest, f64_max, f64_min, f64_nearest};
