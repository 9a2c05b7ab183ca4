//! Command-line arguments as wasm values, and results as text.

use kiln_runtime::{Val, ValType};

/// An integer in decimal or `0x` hex, optionally negative.
fn integer(s: &str) -> Option<i128> {
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let magnitude = match body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        Some(hex) => u128::from_str_radix(hex, 16).ok()?,
        None => body.parse::<u128>().ok()?,
    };
    let magnitude = i128::try_from(magnitude).ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

/// An integer that fits in `bits` bits, signed or unsigned.
fn fitting(s: &str, bits: u32) -> Option<i128> {
    let v = integer(s)?;
    let (min, max) = (-(1i128 << (bits - 1)), (1i128 << bits) - 1);
    (min..=max).contains(&v).then_some(v)
}

/// A float: decimal, `inf`, `nan` (either with a sign).
fn float(s: &str) -> Option<f64> {
    let body = s.trim_start_matches(['-', '+']);
    let negative = s.starts_with('-');
    let v = if body.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else {
        body.parse::<f64>().ok()?
    };
    Some(if negative { -v } else { v })
}

/// The value of type `ty` written as `s` on the command line.
pub fn parse(ty: ValType, s: &str) -> Result<Val, String> {
    let bad = || format!("cannot parse `{s}` as {ty}");
    Ok(match ty {
        ValType::I32 => Val::I32(fitting(s, 32).ok_or_else(bad)? as i32),
        ValType::I64 => Val::I64(fitting(s, 64).ok_or_else(bad)? as i64),
        ValType::F32 => {
            let v = float(s).ok_or_else(bad)?;
            // Parse f32 directly so decimal rounding happens once.
            let direct = s.parse::<f32>().ok().filter(|x| !x.is_nan());
            Val::F32(direct.unwrap_or(v as f32).to_bits())
        }
        ValType::F64 => Val::F64(float(s).ok_or_else(bad)?.to_bits()),
        ValType::V128 => {
            let body = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"));
            let v = match body {
                Some(hex) => u128::from_str_radix(hex, 16),
                None => s.parse::<u128>(),
            };
            Val::V128(v.map_err(|_| bad())?)
        }
        ValType::FUNCREF if s == "null" => Val::FuncRef(None),
        ValType::EXTERNREF if s == "null" => Val::ExternRef(None),
        ValType::FUNCREF | ValType::EXTERNREF => {
            return Err(format!("a {ty} argument can only be `null`, not `{s}`"))
        }
    })
}

fn float_text(v: f64, display: String) -> String {
    if v.is_nan() {
        "nan".to_string()
    } else {
        display
    }
}

/// A result as printed by `kiln run`: integers signed decimal, floats in
/// shortest form (`nan`, `inf`), v128 as hex, references by kind.
pub fn show(v: &Val) -> String {
    match v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(b) => {
            let f = f32::from_bits(*b);
            float_text(f as f64, f.to_string())
        }
        Val::F64(b) => {
            let f = f64::from_bits(*b);
            float_text(f, f.to_string())
        }
        Val::V128(x) => format!("{x:#034x}"),
        Val::FuncRef(None) | Val::ExternRef(None) => "ref.null".into(),
        Val::FuncRef(Some(_)) => "ref.func".into(),
        Val::ExternRef(Some(_)) => "ref.extern".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_in_decimal_and_hex_with_range_checks() {
        assert_eq!(parse(ValType::I32, "-7"), Ok(Val::I32(-7)));
        assert_eq!(parse(ValType::I32, "0x10"), Ok(Val::I32(16)));
        assert_eq!(parse(ValType::I32, "0xffffffff"), Ok(Val::I32(-1)));
        assert_eq!(parse(ValType::I32, "-2147483648"), Ok(Val::I32(i32::MIN)));
        assert!(parse(ValType::I32, "4294967296").is_err());
        assert!(parse(ValType::I32, "x").is_err());
        assert_eq!(parse(ValType::I64, "0xffffffffffffffff"), Ok(Val::I64(-1)));
        assert_eq!(parse(ValType::V128, "0x1"), Ok(Val::V128(1)));
    }

    #[test]
    fn floats_with_nan_and_inf() {
        assert_eq!(parse(ValType::F32, "1.1"), Ok(Val::F32(1.1f32.to_bits())));
        assert_eq!(
            parse(ValType::F64, "-inf"),
            Ok(Val::F64(f64::NEG_INFINITY.to_bits()))
        );
        let Ok(Val::F32(b)) = parse(ValType::F32, "-nan") else {
            panic!()
        };
        assert!(f32::from_bits(b).is_nan() && b >> 31 == 1);
        assert!(parse(ValType::F64, "nano").is_err());
    }

    #[test]
    fn results_are_printed_plainly() {
        assert_eq!(show(&Val::I32(-5)), "-5");
        assert_eq!(show(&Val::F32(1.1f32.to_bits())), "1.1");
        assert_eq!(show(&Val::F64(f64::NAN.to_bits())), "nan");
        assert_eq!(show(&Val::F64(f64::INFINITY.to_bits())), "inf");
        assert_eq!(show(&Val::V128(1)), format!("0x{:032x}", 1));
        assert_eq!(show(&Val::ExternRef(None)), "ref.null");
    }
}
