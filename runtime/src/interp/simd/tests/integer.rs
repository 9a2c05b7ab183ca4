//! Tests of the integer, bitwise and comparison operators.

use super::*;

#[test]
fn tests_and_bitmasks() {
    use TestOp::*;
    assert_eq!(test(V128AnyTrue, 0), 0);
    assert_eq!(test(V128AnyTrue, 1 << 127), 1);
    assert_eq!(test(I8x16AllTrue, u128::MAX), 1);
    assert_eq!(test(I8x16AllTrue, u128::MAX ^ (0xff << 64)), 0);
    assert_eq!(test(I16x8AllTrue, i16x8([1, 1, 1, 1, 1, 1, 1, 256])), 1);
    assert_eq!(test(I32x4AllTrue, i32x4([1, 1, 0, 1])), 0);
    assert_eq!(test(I64x2AllTrue, i64x2([1 << 40, -1])), 1);
    assert_eq!(test(I64x2AllTrue, i64x2([0, -1])), 0);
    let v = i8x16([-1, 0, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -5]);
    assert_eq!(test(I8x16Bitmask, v), 0b1000_0000_0000_0101);
    assert_eq!(
        test(I16x8Bitmask, i16x8([-1, 1, 0, 0, 0, 0, 0, -32768])),
        0x81
    );
    assert_eq!(test(I32x4Bitmask, i32x4([1, -1, i32::MIN, 0])), 0b0110);
    assert_eq!(test(I64x2Bitmask, i64x2([-1, 0])), 1);
    assert_eq!(test(I8x16Bitmask, u128::MAX), 0xffff);
}

#[test]
fn shifts_take_amount_modulo_width() {
    use ShiftOp::*;
    let v = i8x16([-128, 1, 64, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(shift(I8x16Shl, v, 9), shift(I8x16Shl, v, 1));
    assert_eq!(
        shift(I8x16Shl, v, 1),
        i8x16([0, 2, -128, -2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        shift(I8x16ShrS, v, 7),
        i8x16([-1, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        shift(I8x16ShrU, v, 7),
        i8x16([1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    let v = i16x8([-32768, 1, 0, 0, 0, 0, 0, 0x4000]);
    assert_eq!(
        shift(I16x8ShrS, v, 17),
        i16x8([-16384, 0, 0, 0, 0, 0, 0, 0x2000])
    );
    assert_eq!(shift(I16x8ShrU, v, 15), i16x8([1, 0, 0, 0, 0, 0, 0, 0]));
    assert_eq!(shift(I16x8Shl, v, 16), v);
    let v = i32x4([i32::MIN, 1, -1, 3]);
    assert_eq!(shift(I32x4ShrS, v, 31), i32x4([-1, 0, -1, 0]));
    assert_eq!(shift(I32x4ShrU, v, 63), i32x4([1, 0, 1, 0]));
    assert_eq!(shift(I32x4Shl, v, 32), v);
    assert_eq!(shift(I32x4Shl, v, 1), i32x4([0, 2, -2, 6]));
    let v = i64x2([i64::MIN, 1]);
    assert_eq!(shift(I64x2ShrS, v, 127), i64x2([-1, 0]));
    assert_eq!(shift(I64x2ShrU, v, 63), i64x2([1, 0]));
    assert_eq!(shift(I64x2Shl, v, 64 + 63), i64x2([0, i64::MIN]));
}

#[test]
fn integer_arithmetic() {
    use BinOp::*;
    let a = i8x16([127, -128, 100, -100, 0, 1, -1, 50, 0, 0, 0, 0, 0, 0, 0, 0]);
    let b = i8x16([1, -1, 100, -100, 0, -1, -1, -50, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        binary(I8x16Add, a, b),
        i8x16([-128, 127, -56, 56, 0, 0, -2, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        binary(I8x16AddSatS, a, b),
        i8x16([127, -128, 127, -128, 0, 0, -2, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        binary(I8x16AddSatU, a, b),
        i8x16([-128, -1, -56, -1, 0, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        binary(I8x16SubSatS, a, b),
        i8x16([126, -127, 0, 0, 0, 2, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        binary(I8x16SubSatU, a, b),
        i8x16([126, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        binary(I8x16AvgrU, a, b),
        i8x16([64, -64, 100, -100, 0, -128, -1, -128, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        binary(
            I16x8AvgrU,
            i16x8([-1, 0, 1, 2, 3, 4, 5, 6]),
            i16x8([-1, 1, 1, 3, 3, 4, 6, 6])
        ),
        i16x8([-1, 1, 1, 3, 3, 4, 6, 6])
    );
    assert_eq!(
        binary(
            I16x8Mul,
            i16x8([-32768, 300, 0, 0, 0, 0, 0, 2]),
            i16x8([-1, 300, 0, 0, 0, 0, 0, -3])
        ),
        i16x8([-32768, 24464, 0, 0, 0, 0, 0, -6])
    );
    assert_eq!(
        binary(I32x4MinU, i32x4([-1, 0, 5, -5]), i32x4([1, -1, 5, 3])),
        i32x4([1, 0, 5, 3])
    );
    assert_eq!(
        binary(I32x4MaxS, i32x4([-1, 0, 5, -5]), i32x4([1, -1, 5, 3])),
        i32x4([1, 0, 5, 3])
    );
    assert_eq!(
        binary(I64x2Mul, i64x2([i64::MAX, -3]), i64x2([2, 5])),
        i64x2([-2, -15])
    );
    assert_eq!(
        binary(I64x2Sub, i64x2([i64::MIN, 0]), i64x2([1, 1])),
        i64x2([i64::MAX, -1])
    );
}

#[test]
fn abs_neg_popcnt() {
    use UnOp::*;
    let v = i8x16([-128, -1, 1, 0, 127, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        unary(I8x16Abs, v),
        i8x16([-128, 1, 1, 0, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        unary(I8x16Neg, v),
        i8x16([-128, 1, -1, 0, -127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        unary(I8x16Popcnt, v),
        i8x16([1, 8, 1, 0, 7, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(unary(I16x8Abs, i16x8([i16::MIN; 8])), i16x8([i16::MIN; 8]));
    assert_eq!(
        unary(I32x4Abs, i32x4([i32::MIN, -5, 5, 0])),
        i32x4([i32::MIN, 5, 5, 0])
    );
    assert_eq!(unary(I64x2Neg, i64x2([i64::MIN, 7])), i64x2([i64::MIN, -7]));
    assert_eq!(unary(V128Not, 0), u128::MAX);
}

#[test]
fn comparisons() {
    use BinOp::*;
    let a = i8x16([-1, 0, 1, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let b = i8x16([1, 0, -1, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(binary(I8x16LtS, a, b) & 0xffff_ffff, 0xff00_00ff);
    assert_eq!(binary(I8x16LtU, a, b) & 0xffff_ffff, 0x00ff_0000);
    assert_eq!(binary(I8x16Eq, a, b), !0xffff_ffffu128 | 0x0000_ff00);
    assert_eq!(
        binary(
            I16x8GeU,
            i16x8([-1, 0, 1, 2, 0, 0, 0, 0]),
            i16x8([1, 1, 1, 3, 0, 0, 0, 0])
        ),
        i16x8([-1, 0, -1, 0, -1, -1, -1, -1])
    );
    assert_eq!(
        binary(I32x4GtS, i32x4([-1, 0, 1, 2]), i32x4([1, 0, -1, 3])),
        i32x4([0, 0, -1, 0])
    );
    assert_eq!(
        binary(I64x2LeS, i64x2([i64::MIN, 0]), i64x2([i64::MAX, -1])),
        i64x2([-1, 0])
    );
    let a = f32x4([f32::NAN, 0.0, 1.0, -1.0]);
    let b = f32x4([f32::NAN, -0.0, 2.0, -2.0]);
    assert_eq!(binary(F32x4Eq, a, b), i32x4([0, -1, 0, 0]));
    assert_eq!(binary(F32x4Ne, a, b), i32x4([-1, 0, -1, -1]));
    assert_eq!(binary(F32x4Lt, a, b), i32x4([0, 0, -1, 0]));
    assert_eq!(binary(F32x4Ge, a, b), i32x4([0, -1, 0, -1]));
    let a = f64x2([f64::NAN, 1.0]);
    assert_eq!(binary(F64x2Ne, a, a), i64x2([-1, 0]));
    assert_eq!(binary(F64x2Le, a, a), i64x2([0, -1]));
}

#[test]
fn bitwise() {
    let a = 0xff00_ff00u128;
    let b = 0xf0f0_f0f0u128;
    assert_eq!(binary(BinOp::V128And, a, b), 0xf000_f000);
    assert_eq!(binary(BinOp::V128AndNot, a, b), 0x0f00_0f00);
    assert_eq!(binary(BinOp::V128Or, a, b), 0xfff0_fff0);
    assert_eq!(binary(BinOp::V128Xor, a, b), 0x0ff0_0ff0);
    assert_eq!(ternary(TernOp::V128Bitselect, u128::MAX, 0, 0xabcd), 0xabcd);
    assert_eq!(ternary(TernOp::V128Bitselect, a, b, 0xffff), 0xf0f0_ff00);
}

#[test]
fn multiplies() {
    use BinOp::*;
    let m = i16x8([i16::MIN; 8]);
    assert_eq!(binary(I32x4DotI16x8S, m, m), i32x4([i32::MIN; 4]));
    assert_eq!(
        binary(I32x4DotI16x8S, m, i16x8([-32767; 8])),
        i32x4([2147418112; 4])
    );
    assert_eq!(
        binary(
            I32x4DotI16x8S,
            i16x8([1, 2, 3, 4, 5, 6, 7, 8]),
            i16x8([-1; 8])
        ),
        i32x4([-3, -7, -11, -15])
    );
    assert_eq!(binary(I16x8Q15MulrSatS, m, m), i16x8([32767; 8]));
    assert_eq!(
        binary(
            I16x8Q15MulrSatS,
            i16x8([16384, 16383, -16384, 32767, 1, -1, 32766, -32767]),
            i16x8([16384, 16384, 16384, 32767, 1, 1, 32766, -32768])
        ),
        i16x8([8192, 8192, -8192, 32766, 0, 0, 32764, 32767])
    );
    let a = i8x16([-128, 127, -1, 1, 0, 0, 0, 0, -128, -128, -1, 2, 0, 0, 0, 0]);
    assert_eq!(
        binary(I16x8ExtMulLowI8x16S, a, a),
        i16x8([16384, 16129, 1, 1, 0, 0, 0, 0])
    );
    assert_eq!(
        binary(I16x8ExtMulHighI8x16U, a, a),
        i16x8([16384, 16384, -511, 4, 0, 0, 0, 0])
    );
    let a = i16x8([i16::MIN, -1, 2, 3, -1, 0, 0, 5]);
    assert_eq!(
        binary(I32x4ExtMulLowI16x8S, a, a),
        i32x4([1 << 30, 1, 4, 9])
    );
    assert_eq!(
        binary(I32x4ExtMulHighI16x8U, a, a),
        i32x4([-131071, 0, 0, 25])
    );
    let a = i32x4([i32::MIN, -1, -1, 7]);
    assert_eq!(binary(I64x2ExtMulLowI32x4S, a, a), i64x2([1 << 62, 1]));
    assert_eq!(
        binary(I64x2ExtMulHighI32x4U, a, a),
        i64x2([-8589934591, 49])
    );
    assert_eq!(
        binary(I64x2ExtMulLowI32x4U, a, a),
        i64x2([1 << 62, -8589934591])
    );
    assert_eq!(binary(I64x2ExtMulHighI32x4S, a, a), i64x2([1, 49]));
}
