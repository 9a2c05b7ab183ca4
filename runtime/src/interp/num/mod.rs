//! Scalar numeric helpers with exact WebAssembly semantics.
//!
//! Covers the operators whose Rust counterparts differ from wasm: `min`/`max`
//! (NaN propagation and signed zeros), `nearest` (ties to even),
//! `ceil`/`floor`/`trunc` (signaling NaNs must come out quiet), and the
//! float-to-integer truncations (trapping and saturating).
//!
//! Operators that Rust already gets right are not wrapped here: integer to
//! float conversions (`u64 as f32` etc. round to nearest-even),
//! `f32.demote_f64`/`f64.promote_f32` (`as` casts), `abs`/`neg`/`copysign`
//! (bitwise in Rust) and `sqrt`.
//!
//! Unsigned truncations return the same-width signed type holding the result
//! bits, e.g. `i32_trunc_f64_u(4294967295.0) == Ok(-1)`.

/// Why a trapping float-to-integer truncation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConvError {
    /// The truncated value does not fit the target type: trap "integer overflow".
    Overflow,
    /// The input was NaN: trap "invalid conversion to integer".
    Invalid,
}

// When `a == b` the operands are either bit-identical or a pair of zeros with
// different signs; OR-ing the bits picks -0.0 for min, AND-ing picks +0.0 for
// max. NaN operands go through `a + b`, which yields a quiet NaN that is
// canonical whenever the NaN inputs are.

/// `f32.min`: NaN if either operand is NaN, and -0.0 < +0.0.
#[inline]
pub fn f32_min(a: f32, b: f32) -> f32 {
    if a < b {
        a
    } else if b < a {
        b
    } else if a == b {
        f32::from_bits(a.to_bits() | b.to_bits())
    } else {
        a + b
    }
}

/// `f32.max`: NaN if either operand is NaN, and -0.0 < +0.0.
#[inline]
pub fn f32_max(a: f32, b: f32) -> f32 {
    if a > b {
        a
    } else if b > a {
        b
    } else if a == b {
        f32::from_bits(a.to_bits() & b.to_bits())
    } else {
        a + b
    }
}

/// `f64.min`: NaN if either operand is NaN, and -0.0 < +0.0.
#[inline]
pub fn f64_min(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else if b < a {
        b
    } else if a == b {
        f64::from_bits(a.to_bits() | b.to_bits())
    } else {
        a + b
    }
}

/// `f64.max`: NaN if either operand is NaN, and -0.0 < +0.0.
#[inline]
pub fn f64_max(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else if b > a {
        b
    } else if a == b {
        f64::from_bits(a.to_bits() & b.to_bits())
    } else {
        a + b
    }
}

// Without SSE4.1, `ceil`/`floor`/`trunc`/`round_ties_even` are libm calls
// that return a NaN input unchanged, but wasm requires a quiet (arithmetic)
// NaN result for a signaling NaN input; `x + x` quiets it.

macro_rules! rounding {
    ($($(#[$doc:meta])* $name:ident: $t:ty => $method:ident;)*) => {$(
        $(#[$doc])*
        #[inline]
        pub fn $name(x: $t) -> $t {
            if x.is_nan() {
                x + x
            } else {
                x.$method()
            }
        }
    )*};
}

rounding! {
    /// `f32.ceil`, with NaN results quieted.
    f32_ceil: f32 => ceil;
    /// `f32.floor`, with NaN results quieted.
    f32_floor: f32 => floor;
    /// `f32.trunc`, with NaN results quieted.
    f32_trunc: f32 => trunc;
    /// `f32.nearest`: round to integral, ties to even, keeping the sign of
    /// zero; NaN results are quieted.
    f32_nearest: f32 => round_ties_even;
    /// `f64.ceil`, with NaN results quieted.
    f64_ceil: f64 => ceil;
    /// `f64.floor`, with NaN results quieted.
    f64_floor: f64 => floor;
    /// `f64.trunc`, with NaN results quieted.
    f64_trunc: f64 => trunc;
    /// `f64.nearest`: round to integral, ties to even, keeping the sign of
    /// zero; NaN results are quieted.
    f64_nearest: f64 => round_ties_even;
}

// Trapping truncations. Every f32 is exactly representable as an f64, so the
// f32 variants widen and share the f64 range checks. The bounds are exclusive
// and chosen so that each is exactly representable: the truncation of `x`
// fits iff `lo < x < hi`, where `lo` is one below the minimum (for i64 the
// next f64 below -2^63 is -2^63 - 2048, so `x >= -2^63` is used instead).

const TWO_31: f64 = 2147483648.0;
const TWO_32: f64 = 4294967296.0;
const TWO_63: f64 = 9223372036854775808.0;
const TWO_64: f64 = 18446744073709551616.0;

#[inline]
fn check(x: f64, in_range: bool) -> Result<(), ConvError> {
    if in_range {
        Ok(())
    } else if x.is_nan() {
        Err(ConvError::Invalid)
    } else {
        Err(ConvError::Overflow)
    }
}

/// `i32.trunc_f64_s`.
#[inline]
pub fn i32_trunc_f64_s(x: f64) -> Result<i32, ConvError> {
    check(x, x > -TWO_31 - 1.0 && x < TWO_31)?;
    Ok(x as i32)
}

/// `i32.trunc_f64_u`; the result is the u32 bit pattern as an i32.
#[inline]
pub fn i32_trunc_f64_u(x: f64) -> Result<i32, ConvError> {
    check(x, x > -1.0 && x < TWO_32)?;
    Ok(x as u32 as i32)
}

/// `i64.trunc_f64_s`.
#[inline]
pub fn i64_trunc_f64_s(x: f64) -> Result<i64, ConvError> {
    check(x, (-TWO_63..TWO_63).contains(&x))?;
    Ok(x as i64)
}

/// `i64.trunc_f64_u`; the result is the u64 bit pattern as an i64.
#[inline]
pub fn i64_trunc_f64_u(x: f64) -> Result<i64, ConvError> {
    check(x, x > -1.0 && x < TWO_64)?;
    Ok(x as u64 as i64)
}

/// `i32.trunc_f32_s`.
#[inline]
pub fn i32_trunc_f32_s(x: f32) -> Result<i32, ConvError> {
    i32_trunc_f64_s(f64::from(x))
}

/// `i32.trunc_f32_u`; the result is the u32 bit pattern as an i32.
#[inline]
pub fn i32_trunc_f32_u(x: f32) -> Result<i32, ConvError> {
    i32_trunc_f64_u(f64::from(x))
}

/// `i64.trunc_f32_s`.
#[inline]
pub fn i64_trunc_f32_s(x: f32) -> Result<i64, ConvError> {
    i64_trunc_f64_s(f64::from(x))
}

/// `i64.trunc_f32_u`; the result is the u64 bit pattern as an i64.
#[inline]
pub fn i64_trunc_f32_u(x: f32) -> Result<i64, ConvError> {
    i64_trunc_f64_u(f64::from(x))
}

// Saturating truncations: Rust's float-to-int `as` casts saturate at the
// target's bounds and map NaN to 0, which is exactly `trunc_sat`.

/// `i32.trunc_sat_f32_s`.
#[inline]
pub fn i32_trunc_sat_f32_s(x: f32) -> i32 {
    x as i32
}

/// `i32.trunc_sat_f32_u`; the result is the u32 bit pattern as an i32.
#[inline]
pub fn i32_trunc_sat_f32_u(x: f32) -> i32 {
    x as u32 as i32
}

/// `i32.trunc_sat_f64_s`.
#[inline]
pub fn i32_trunc_sat_f64_s(x: f64) -> i32 {
    x as i32
}

/// `i32.trunc_sat_f64_u`; the result is the u32 bit pattern as an i32.
#[inline]
pub fn i32_trunc_sat_f64_u(x: f64) -> i32 {
    x as u32 as i32
}

/// `i64.trunc_sat_f32_s`.
#[inline]
pub fn i64_trunc_sat_f32_s(x: f32) -> i64 {
    x as i64
}

/// `i64.trunc_sat_f32_u`; the result is the u64 bit pattern as an i64.
#[inline]
pub fn i64_trunc_sat_f32_u(x: f32) -> i64 {
    x as u64 as i64
}

/// `i64.trunc_sat_f64_s`.
#[inline]
pub fn i64_trunc_sat_f64_s(x: f64) -> i64 {
    x as i64
}

/// `i64.trunc_sat_f64_u`; the result is the u64 bit pattern as an i64.
#[inline]
pub fn i64_trunc_sat_f64_u(x: f64) -> i64 {
    x as u64 as i64
}

#[cfg(test)]
mod tests;
