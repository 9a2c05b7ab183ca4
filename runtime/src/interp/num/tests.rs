//! Tests of the exact-semantics numeric helpers.
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
