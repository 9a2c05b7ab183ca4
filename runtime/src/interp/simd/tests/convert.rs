//! Tests of narrowing, widening and int/float conversions.

use super::*;

#[test]
fn narrowing_saturates() {
    use BinOp::*;
    let a = i16x8([-129, -128, 127, 128, 0, 255, 256, -1]);
    let b = i16x8([1, 2, 3, 4, 5, 6, 7, i16::MIN]);
    assert_eq!(
        binary(I8x16NarrowI16x8S, a, b),
        i8x16([-128, -128, 127, 127, 0, 127, 127, -1, 1, 2, 3, 4, 5, 6, 7, -128])
    );
    assert_eq!(
        binary(I8x16NarrowI16x8U, a, b),
        i8x16([0, 0, 127, -128, 0, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7, 0])
    );
    let a = i32x4([-32769, 32768, 65535, 65536]);
    let b = i32x4([-1, 1, i32::MIN, i32::MAX]);
    assert_eq!(
        binary(I16x8NarrowI32x4S, a, b),
        i16x8([-32768, 32767, 32767, 32767, -1, 1, -32768, 32767])
    );
    assert_eq!(
        binary(I16x8NarrowI32x4U, a, b),
        i16x8([0, -32768, -1, -1, 0, 1, 0, -1])
    );
}

#[test]
fn extend_and_pairwise() {
    use UnOp::*;
    let v = i8x16([-1, 2, -3, 4, -5, 6, -7, 8, -128, 127, 0, 1, -1, 2, 3, 4]);
    assert_eq!(
        unary(I16x8ExtendLowI8x16S, v),
        i16x8([-1, 2, -3, 4, -5, 6, -7, 8])
    );
    assert_eq!(
        unary(I16x8ExtendHighI8x16U, v),
        i16x8([128, 127, 0, 1, 255, 2, 3, 4])
    );
    assert_eq!(
        unary(I16x8ExtAddPairwiseI8x16S, v),
        i16x8([1, 1, 1, 1, -1, 1, 1, 7])
    );
    assert_eq!(
        unary(I16x8ExtAddPairwiseI8x16U, i8x16([-1; 16])),
        i16x8([510; 8])
    );
    let v = i16x8([-1, 1, i16::MIN, i16::MIN, 0, 0, 5, -6]);
    assert_eq!(
        unary(I32x4ExtendLowI16x8U, v),
        i32x4([65535, 1, 32768, 32768])
    );
    assert_eq!(unary(I32x4ExtendHighI16x8S, v), i32x4([0, 0, 5, -6]));
    assert_eq!(
        unary(I32x4ExtAddPairwiseI16x8S, v),
        i32x4([0, -65536, 0, -1])
    );
    assert_eq!(
        unary(I32x4ExtAddPairwiseI16x8U, v),
        i32x4([65536, 65536, 0, 65535])
    );
    let v = i32x4([-1, 2, i32::MIN, 3]);
    assert_eq!(unary(I64x2ExtendLowI32x4S, v), i64x2([-1, 2]));
    assert_eq!(unary(I64x2ExtendHighI32x4U, v), i64x2([1 << 31, 3]));
    assert_eq!(unary(I64x2ExtendLowI32x4U, v), i64x2([0xffff_ffff, 2]));
    assert_eq!(
        unary(I64x2ExtendHighI32x4S, v),
        i64x2([i64::from(i32::MIN), 3])
    );
}

#[test]
fn conversions() {
    use UnOp::*;
    let v = f32x4([f32::NAN, -2147483904.0, 2147483648.0, -1.9]);
    assert_eq!(
        unary(I32x4TruncSatF32x4S, v),
        i32x4([0, i32::MIN, i32::MAX, -1])
    );
    let v = f32x4([-1.0, 4294967296.0, 4294967040.0, 1.9]);
    assert_eq!(
        unary(I32x4TruncSatF32x4U, v),
        u32x4([0, u32::MAX, 4294967040, 1])
    );
    let v = f64x2([-2147483649.0, f64::NAN]);
    assert_eq!(
        unary(I32x4TruncSatF64x2SZero, v),
        i32x4([i32::MIN, 0, 0, 0])
    );
    let v = f64x2([4294967295.9, -0.9]);
    assert_eq!(
        unary(I32x4TruncSatF64x2UZero, v),
        u32x4([u32::MAX, 0, 0, 0])
    );
    assert_eq!(
        unary(F32x4ConvertI32x4S, i32x4([16777217, -1, i32::MIN, 0])),
        f32x4([16777216.0, -1.0, -2147483648.0, 0.0])
    );
    assert_eq!(
        unary(F32x4ConvertI32x4U, u32x4([u32::MAX, 16777219, 1, 0])),
        f32x4([4294967296.0, 16777220.0, 1.0, 0.0])
    );
    assert_eq!(
        unary(F64x2ConvertLowI32x4S, i32x4([i32::MIN, -1, 5, 5])),
        f64x2([-2147483648.0, -1.0])
    );
    assert_eq!(
        unary(F64x2ConvertLowI32x4U, i32x4([-1, 1, 5, 5])),
        f64x2([4294967295.0, 1.0])
    );
    assert_eq!(
        unary(F32x4DemoteF64x2Zero, f64x2([1e300, 0.1])),
        f32x4([f32::INFINITY, 0.1, 0.0, 0.0])
    );
    assert_eq!(
        unary(F64x2PromoteLowF32x4, f32x4([0.1, -0.0, 7.0, 7.0])),
        f64x2([f64::from(0.1f32), -0.0])
    );
    let nan = unary(F32x4DemoteF64x2Zero, f64x2([f64::NAN, 1.0]));
    assert!(lane::<f32>(nan, 0).is_nan());
}
