//! Tests of the floating-point operators.

use super::*;

#[test]
fn float_sign_ops_preserve_nan_bits() {
    use UnOp::*;
    let v = u32x4([0x7fa0_0001, 0xffc0_0000, 0x8000_0000, 0x3f80_0000]);
    assert_eq!(
        lanes32(unary(F32x4Neg, v)),
        [0xffa0_0001, 0x7fc0_0000, 0, 0xbf80_0000]
    );
    assert_eq!(
        lanes32(unary(F32x4Abs, v)),
        [0x7fa0_0001, 0x7fc0_0000, 0, 0x3f80_0000]
    );
    let v = build(|i| [0xfff4_0000_0000_0001u64, 0][i]);
    assert_eq!(
        unary(F64x2Abs, v),
        build(|i| [0x7ff4_0000_0000_0001u64, 0][i])
    );
    assert_eq!(
        unary(F64x2Neg, v),
        build(|i| [0x7ff4_0000_0000_0001u64, 1 << 63][i])
    );
}

#[test]
fn float_min_max_pmin_pmax() {
    use BinOp::*;
    let a = f32x4([0.0, -0.0, f32::NAN, 1.0]);
    let b = f32x4([-0.0, 0.0, 1.0, f32::NAN]);
    let min = binary(F32x4Min, a, b);
    assert_eq!(lanes32(min)[..2], [0x8000_0000, 0x8000_0000]);
    assert!(lane::<f32>(min, 2).is_nan() && lane::<f32>(min, 3).is_nan());
    let max = binary(F32x4Max, a, b);
    assert_eq!(lanes32(max)[..2], [0, 0]);
    assert!(lane::<f32>(max, 2).is_nan() && lane::<f32>(max, 3).is_nan());
    // pmin/pmax return the first operand unless the comparison holds.
    let pmin = binary(F32x4PMin, a, b);
    assert_eq!(
        lanes32(pmin),
        [0, 0x8000_0000, f32::NAN.to_bits(), 0x3f80_0000]
    );
    let pmax = binary(F32x4PMax, a, b);
    assert_eq!(
        lanes32(pmax),
        [0, 0x8000_0000, f32::NAN.to_bits(), 0x3f80_0000]
    );
    let pmin = binary(F32x4PMin, b, a);
    assert_eq!(
        lanes32(pmin),
        [0x8000_0000, 0, 0x3f80_0000, f32::NAN.to_bits()]
    );

    let a = f64x2([-0.0, 2.0]);
    let b = f64x2([0.0, f64::NAN]);
    assert_eq!(binary(F64x2Min, a, b) as u64, (-0.0f64).to_bits());
    assert_eq!(binary(F64x2Max, a, b) as u64, 0);
    assert!(lane::<f64>(binary(F64x2Max, a, b), 1).is_nan());
    assert_eq!(binary(F64x2PMax, a, b), a);
    assert_eq!(binary(F64x2PMin, b, a), b);
}

#[test]
fn float_arithmetic_and_rounding() {
    use UnOp::*;
    assert_eq!(
        binary(
            BinOp::F32x4Div,
            f32x4([1.0, -1.0, 0.0, 9.0]),
            f32x4([0.0, 0.0, 0.0, 3.0])
        ) & !(0xffff_ffffu128 << 64),
        f32x4([f32::INFINITY, f32::NEG_INFINITY, 0.0, 3.0]) & !(0xffff_ffffu128 << 64)
    );
    assert_eq!(
        unary(F32x4Nearest, f32x4([0.5, 1.5, -2.5, -0.1])),
        f32x4([0.0, 2.0, -2.0, -0.0])
    );
    assert_eq!(
        unary(F32x4Ceil, f32x4([-0.5, 1.1, -1.1, 1e30])),
        f32x4([-0.0, 2.0, -1.0, 1e30])
    );
    assert_eq!(
        unary(F32x4Floor, f32x4([-0.5, 1.1, -1.1, 0.5])),
        f32x4([-1.0, 1.0, -2.0, 0.0])
    );
    assert_eq!(unary(F64x2Trunc, f64x2([-1.9, 2.9])), f64x2([-1.0, 2.0]));
    assert_eq!(unary(F64x2Nearest, f64x2([2.5, -3.5])), f64x2([2.0, -4.0]));
    assert_eq!(unary(F64x2Sqrt, f64x2([4.0, 2.25])), f64x2([2.0, 1.5]));
    let snan = u32x4([0x7fa0_0000; 4]);
    for op in [F32x4Ceil, F32x4Floor, F32x4Trunc, F32x4Nearest, F32x4Sqrt] {
        assert_eq!(lanes32(unary(op, snan)), [0x7fe0_0000; 4], "{op:?}");
    }
}
