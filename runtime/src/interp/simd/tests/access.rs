//! Tests of the lane layout and the lane access operators.

use super::*;

#[test]
fn lane_layout_is_little_endian() {
    let v = i8x16([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    assert_eq!(v, 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100);
    assert_eq!(i32x4([1, 2, 3, 4]), 0x4_0000_0003_0000_0002_0000_0001);
    assert_eq!(lane::<u16>(v, 7), 0x0f0e);
}

#[test]
fn extract_and_replace() {
    let v = i8x16([-128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1]);
    assert_eq!(extract_lane(ExtractOp::I8x16S, v, 0), 0xffff_ff80);
    assert_eq!(extract_lane(ExtractOp::I8x16U, v, 0), 0x80);
    assert_eq!(extract_lane(ExtractOp::I8x16S, v, 1), 127);
    assert_eq!(extract_lane(ExtractOp::I8x16U, v, 15), 255);
    let v = i16x8([0, 0, 0, 0, 0, 0, 0, -32768]);
    assert_eq!(extract_lane(ExtractOp::I16x8S, v, 7), 0xffff_8000);
    assert_eq!(extract_lane(ExtractOp::I16x8U, v, 7), 0x8000);
    let v = i32x4([0, 0, -1, 0]);
    assert_eq!(extract_lane(ExtractOp::I32x4, v, 2), 0xffff_ffff);
    let v = i64x2([0, -2]);
    assert_eq!(extract_lane(ExtractOp::I64x2, v, 1), (-2i64) as u64);
    let v = f32x4([0.0, 0.0, 0.0, -1.5]);
    assert_eq!(
        extract_lane(ExtractOp::F32x4, v, 3),
        (-1.5f32).to_bits().into()
    );
    let v = f64x2([f64::NAN, 2.0]);
    assert_eq!(extract_lane(ExtractOp::F64x2, v, 0), f64::NAN.to_bits());

    assert_eq!(
        replace_lane(ReplaceOp::I8x16, 0, 15, 0x1ff),
        i8x16([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1])
    );
    assert_eq!(
        replace_lane(ReplaceOp::I16x8, i16x8([7; 8]), 3, 0xffff_8000),
        i16x8([7, 7, 7, -32768, 7, 7, 7, 7])
    );
    assert_eq!(
        replace_lane(ReplaceOp::I32x4, u128::MAX, 1, 5),
        i32x4([-1, 5, -1, -1])
    );
    assert_eq!(
        replace_lane(ReplaceOp::F64x2, 0, 1, 2.5f64.to_bits()),
        f64x2([0.0, 2.5])
    );
    assert_eq!(
        replace_lane(ReplaceOp::F32x4, 0, 0, 1.0f32.to_bits().into()),
        f32x4([1.0, 0.0, 0.0, 0.0])
    );
}

#[test]
fn splats() {
    assert_eq!(splat(SplatOp::I8x16, 0x1ff), u128::MAX);
    assert_eq!(splat(SplatOp::I16x8, 0x1_8001), i16x8([-32767; 8]));
    assert_eq!(splat(SplatOp::I32x4, 0xffff_fffe), i32x4([-2; 4]));
    assert_eq!(splat(SplatOp::I64x2, 3), i64x2([3, 3]));
    assert_eq!(
        splat(SplatOp::F32x4, (-0.5f32).to_bits().into()),
        f32x4([-0.5; 4])
    );
    assert_eq!(splat(SplatOp::F64x2, 1e300f64.to_bits()), f64x2([1e300; 2]));
}

#[test]
fn shuffle_and_swizzle() {
    let a = i8x16([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    let b = i8x16([
        16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
    ]);
    let lanes = [31, 0, 30, 1, 29, 2, 28, 3, 16, 15, 17, 14, 18, 13, 19, 12];
    assert_eq!(
        shuffle(&lanes, a, b),
        i8x16([31, 0, 30, 1, 29, 2, 28, 3, 16, 15, 17, 14, 18, 13, 19, 12])
    );
    let idx = i8x16([15, 14, 16, -1, 0, 1, 100, 2, 3, 4, 5, 6, 7, 8, 9, -128]);
    assert_eq!(
        binary(BinOp::I8x16Swizzle, b, idx),
        i8x16([31, 30, 0, 0, 16, 17, 0, 18, 19, 20, 21, 22, 23, 24, 25, 0])
    );
}
