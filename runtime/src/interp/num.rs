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
mod tests {
    use super::*;

    fn is_quiet_nan32(x: f32) -> bool {
        x.to_bits() & 0x7fc0_0000 == 0x7fc0_0000
    }

    fn is_quiet_nan64(x: f64) -> bool {
        x.to_bits() & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000
    }

    #[test]
    fn min_max_signed_zeros() {
        for (a, b) in [(0.0f32, -0.0f32), (-0.0, 0.0)] {
            assert_eq!(f32_min(a, b).to_bits(), (-0.0f32).to_bits());
            assert_eq!(f32_max(a, b).to_bits(), 0.0f32.to_bits());
            let (a, b) = (f64::from(a), f64::from(b));
            assert_eq!(f64_min(a, b).to_bits(), (-0.0f64).to_bits());
            assert_eq!(f64_max(a, b).to_bits(), 0.0f64.to_bits());
        }
        assert_eq!(f32_min(-0.0, -0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(f32_max(0.0, 0.0).to_bits(), 0.0f32.to_bits());
    }

    #[test]
    fn min_max_ordinary() {
        assert_eq!(f32_min(1.0, 2.0), 1.0);
        assert_eq!(f32_max(1.0, 2.0), 2.0);
        assert_eq!(f32_min(f32::NEG_INFINITY, f32::INFINITY), f32::NEG_INFINITY);
        assert_eq!(f64_min(3.0, -2.0), -2.0);
        assert_eq!(f64_max(3.0, -2.0), 3.0);
        assert_eq!(f64_max(f64::INFINITY, 5.0), f64::INFINITY);
    }

    #[test]
    fn min_max_nan() {
        let snan32 = f32::from_bits(0x7fa0_0000);
        let neg_nan32 = f32::from_bits(0xffc0_0000);
        for x in [0.0f32, -1.0, f32::INFINITY, f32::NAN] {
            for n in [f32::NAN, snan32, neg_nan32] {
                assert!(is_quiet_nan32(f32_min(x, n)));
                assert!(is_quiet_nan32(f32_min(n, x)));
                assert!(is_quiet_nan32(f32_max(x, n)));
                assert!(is_quiet_nan32(f32_max(n, x)));
            }
        }
        let snan64 = f64::from_bits(0x7ff4_0000_0000_0000);
        for x in [0.0f64, -1.0, f64::NEG_INFINITY] {
            for n in [f64::NAN, snan64] {
                assert!(is_quiet_nan64(f64_min(x, n)));
                assert!(is_quiet_nan64(f64_max(n, x)));
            }
        }
        // A canonical NaN operand yields a canonical NaN.
        assert_eq!(f32_min(1.0, f32::NAN).to_bits() & 0x7fff_ffff, 0x7fc0_0000);
    }

    #[test]
    fn nearest_ties_to_even() {
        let cases = [
            (0.5f32, 0.0f32),
            (1.5, 2.0),
            (2.5, 2.0),
            (-2.5, -2.0),
            (3.5, 4.0),
            (-0.5, -0.0),
            (4.4, 4.0),
            (8388609.0, 8388609.0),
            (f32::INFINITY, f32::INFINITY),
        ];
        for (x, want) in cases {
            assert_eq!(f32_nearest(x).to_bits(), want.to_bits(), "{x}");
            let (x, want) = (f64::from(x), f64::from(want));
            assert_eq!(f64_nearest(x).to_bits(), want.to_bits(), "{x}");
        }
        assert_eq!(f32_nearest(-0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(f64_nearest(-0.4).to_bits(), (-0.0f64).to_bits());
        assert_eq!(f64_nearest(4503599627370497.0), 4503599627370497.0);
    }

    #[test]
    fn rounding_quiets_nans() {
        let snan32 = f32::from_bits(0xffa0_0000);
        let snan64 = f64::from_bits(0x7ff4_0000_0000_0000);
        for f in [f32_ceil, f32_floor, f32_trunc, f32_nearest] {
            let r = f(snan32);
            assert!(is_quiet_nan32(r));
            assert_eq!(r.to_bits() >> 31, 1, "sign kept");
        }
        for f in [f64_ceil, f64_floor, f64_trunc, f64_nearest] {
            assert!(is_quiet_nan64(f(snan64)));
        }
        assert_eq!(f32_ceil(-0.5).to_bits(), (-0.0f32).to_bits());
        assert_eq!(f32_floor(-0.5), -1.0);
        assert_eq!(f64_trunc(-1.9), -1.0);
        assert_eq!(f64_ceil(1.1), 2.0);
    }

    #[test]
    fn trunc_i32_s() {
        use ConvError::*;
        assert_eq!(i32_trunc_f32_s(-2147483648.0), Ok(i32::MIN));
        assert_eq!(i32_trunc_f32_s(-2147483904.0), Err(Overflow));
        assert_eq!(i32_trunc_f32_s(2147483520.0), Ok(2147483520));
        assert_eq!(i32_trunc_f32_s(2147483648.0), Err(Overflow));
        assert_eq!(i32_trunc_f32_s(-1.9), Ok(-1));
        assert_eq!(i32_trunc_f32_s(-0.0), Ok(0));
        assert_eq!(i32_trunc_f32_s(f32::NAN), Err(Invalid));
        assert_eq!(i32_trunc_f32_s(f32::INFINITY), Err(Overflow));
        assert_eq!(i32_trunc_f64_s(-2147483648.9), Ok(i32::MIN));
        assert_eq!(i32_trunc_f64_s(-2147483649.0), Err(Overflow));
        assert_eq!(i32_trunc_f64_s(2147483647.9), Ok(i32::MAX));
        assert_eq!(i32_trunc_f64_s(2147483648.0), Err(Overflow));
        assert_eq!(i32_trunc_f64_s(-f64::NAN), Err(Invalid));
    }

    #[test]
    fn trunc_i32_u() {
        use ConvError::*;
        assert_eq!(i32_trunc_f32_u(-0.9), Ok(0));
        assert_eq!(i32_trunc_f32_u(-1.0), Err(Overflow));
        assert_eq!(i32_trunc_f32_u(4294967040.0), Ok(-256));
        assert_eq!(i32_trunc_f32_u(4294967296.0), Err(Overflow));
        assert_eq!(i32_trunc_f32_u(f32::NAN), Err(Invalid));
        assert_eq!(i32_trunc_f64_u(-0.99999999), Ok(0));
        assert_eq!(i32_trunc_f64_u(4294967295.9), Ok(-1));
        assert_eq!(i32_trunc_f64_u(4294967296.0), Err(Overflow));
        assert_eq!(i32_trunc_f64_u(2147483648.0), Ok(i32::MIN));
        assert_eq!(i32_trunc_f64_u(f64::NEG_INFINITY), Err(Overflow));
    }

    #[test]
    fn trunc_i64() {
        use ConvError::*;
        assert_eq!(i64_trunc_f32_s(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(i64_trunc_f32_s(-9223373136366403584.0), Err(Overflow));
        assert_eq!(
            i64_trunc_f32_s(9223371487098961920.0),
            Ok(9223371487098961920)
        );
        assert_eq!(i64_trunc_f32_s(9223372036854775808.0), Err(Overflow));
        assert_eq!(i64_trunc_f64_s(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(i64_trunc_f64_s(-9223372036854777856.0), Err(Overflow));
        assert_eq!(
            i64_trunc_f64_s(9223372036854774784.0),
            Ok(9223372036854774784)
        );
        assert_eq!(i64_trunc_f64_s(9223372036854775808.0), Err(Overflow));
        assert_eq!(i64_trunc_f64_s(f64::NAN), Err(Invalid));
        assert_eq!(i64_trunc_f32_u(-0.9), Ok(0));
        assert_eq!(i64_trunc_f32_u(-1.0), Err(Overflow));
        assert_eq!(i64_trunc_f32_u(18446742974197923840.0), Ok(-1099511627776));
        assert_eq!(i64_trunc_f32_u(18446744073709551616.0), Err(Overflow));
        assert_eq!(i64_trunc_f64_u(18446744073709549568.0), Ok(-2048));
        assert_eq!(i64_trunc_f64_u(18446744073709551616.0), Err(Overflow));
        assert_eq!(i64_trunc_f64_u(-0.5), Ok(0));
        assert_eq!(i64_trunc_f64_u(f64::NAN), Err(Invalid));
    }

    #[test]
    fn trunc_sat() {
        assert_eq!(i32_trunc_sat_f32_s(f32::NAN), 0);
        assert_eq!(i32_trunc_sat_f32_s(-3e9), i32::MIN);
        assert_eq!(i32_trunc_sat_f32_s(3e9), i32::MAX);
        assert_eq!(i32_trunc_sat_f32_u(-1.0), 0);
        assert_eq!(i32_trunc_sat_f32_u(5e9), -1);
        assert_eq!(i32_trunc_sat_f64_s(-2147483648.9), i32::MIN);
        assert_eq!(i32_trunc_sat_f64_u(4294967295.9), -1);
        assert_eq!(i32_trunc_sat_f64_u(f64::NAN), 0);
        assert_eq!(i64_trunc_sat_f32_s(f32::INFINITY), i64::MAX);
        assert_eq!(i64_trunc_sat_f32_u(f32::NEG_INFINITY), 0);
        assert_eq!(i64_trunc_sat_f64_s(-1e300), i64::MIN);
        assert_eq!(i64_trunc_sat_f64_u(1e300), -1);
        assert_eq!(i64_trunc_sat_f64_u(-0.9), 0);
    }

    #[test]
    fn rust_casts_round_correctly() {
        // The conversions left to `as` casts: spot-check the rounding cases
        // from conversions.wast.
        assert_eq!(9007199791611905u64 as f32, 9007200328482816.0);
        assert_eq!(0xffff_ff7f_ffff_ffffu64 as f32, 18446742974197923840.0);
        assert_eq!(16777217i32 as f32, 16777216.0);
        assert_eq!(16777219i64 as f32, 16777220.0);
        assert_eq!(9007199254740993u64 as f64, 9007199254740992.0);
        assert_eq!(0x7fff_ffff_ffff_fdff_u64 as f64, 9223372036854774784.0);
        assert_eq!(
            f64::from_bits(0x3ff0_0000_1000_0000) as f32,
            1.0,
            "demote ties to even"
        );
    }
}
