//! Placeholder until the numeric semantics land.
#![allow(dead_code)]
pub enum ConvError {
    Overflow,
    Invalid,
}
pub fn f32_min(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        f32::NAN
    } else if a == b {
        f32::from_bits(a.to_bits() | b.to_bits())
    } else {
        a.min(b)
    }
}
pub fn f32_max(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        f32::NAN
    } else if a == b {
        f32::from_bits(a.to_bits() & b.to_bits())
    } else {
        a.max(b)
    }
}
pub fn f64_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b {
        f64::from_bits(a.to_bits() | b.to_bits())
    } else {
        a.min(b)
    }
}
pub fn f64_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b {
        f64::from_bits(a.to_bits() & b.to_bits())
    } else {
        a.max(b)
    }
}
pub fn f32_nearest(x: f32) -> f32 {
    x.round_ties_even()
}
pub fn f64_nearest(x: f64) -> f64 {
    x.round_ties_even()
}
macro_rules! tr {
    ($name:ident, $f:ty, $i:ty, $lo:expr, $hi:expr) => {
        pub fn $name(x: $f) -> Result<$i, ConvError> {
            if x.is_nan() {
                return Err(ConvError::Invalid);
            }
            let t = x.trunc();
            if !(t > $lo && t < $hi) {
                return Err(ConvError::Overflow);
            }
            Ok(t as $i)
        }
    };
}
tr!(i32_trunc_f32_s, f32, i32, -2147483904.0f32, 2147483648.0f32);
tr!(i32_trunc_f32_u, f32, u32, -1.0f32, 4294967296.0f32);
tr!(i32_trunc_f64_s, f64, i32, -2147483649.0f64, 2147483648.0f64);
tr!(i32_trunc_f64_u, f64, u32, -1.0f64, 4294967296.0f64);
tr!(
    i64_trunc_f32_s,
    f32,
    i64,
    -9223373136366403584.0f32,
    9223372036854775808.0f32
);
tr!(
    i64_trunc_f32_u,
    f32,
    u64,
    -1.0f32,
    18446744073709551616.0f32
);
tr!(
    i64_trunc_f64_s,
    f64,
    i64,
    -9223372036854777856.0f64,
    9223372036854775808.0f64
);
tr!(
    i64_trunc_f64_u,
    f64,
    u64,
    -1.0f64,
    18446744073709551616.0f64
);
