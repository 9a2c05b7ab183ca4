//! Tests of the memory operator transforms.

use super::*;
use wasmparser::{MemArg, Operator};

#[test]
fn memory_transforms() {
    use LoadKind::*;
    let bytes = 0x8007_ff80_0102_fffe_u128;
    assert_eq!(
        load_transform(I8x8S, bytes),
        i16x8([-2, -1, 2, 1, -128, -1, 7, -128])
    );
    assert_eq!(
        load_transform(I8x8U, bytes),
        i16x8([254, 255, 2, 1, 128, 255, 7, 128])
    );
    assert_eq!(
        load_transform(I16x4S, bytes),
        i32x4([-2, 0x0102, -128, -32761])
    );
    assert_eq!(
        load_transform(I16x4U, bytes),
        i32x4([0xfffe, 0x0102, 0xff80, 0x8007])
    );
    assert_eq!(
        load_transform(I32x2S, bytes),
        i64x2([0x0102_fffe, -2146959488])
    );
    assert_eq!(
        load_transform(I32x2U, bytes),
        i64x2([0x0102_fffe, 0x8007_ff80])
    );
    assert_eq!(load_transform(Splat8, 0x80), i8x16([-128; 16]));
    assert_eq!(load_transform(Splat16, 0x1234), i16x8([0x1234; 8]));
    assert_eq!(load_transform(Splat32, 0x8000_0000), u32x4([1 << 31; 4]));
    assert_eq!(load_transform(Splat64, 5), i64x2([5, 5]));
    assert_eq!(load_transform(Zero32, 0xdead_beef), 0xdead_beef);
    assert_eq!(load_transform(Zero64, 0x1_dead_beef), 0x1_dead_beef);
    assert_eq!(load_transform(V128, u128::MAX - 1), u128::MAX - 1);
    let widths = [16, 8, 8, 8, 8, 8, 8, 1, 2, 4, 8, 4, 8];
    let kinds = [
        V128, I8x8S, I8x8U, I16x4S, I16x4U, I32x2S, I32x2U, Splat8, Splat16, Splat32, Splat64,
        Zero32, Zero64,
    ];
    for (k, w) in kinds.into_iter().zip(widths) {
        assert_eq!(k.width(), w, "{k:?}");
    }

    let v = i8x16([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    assert_eq!(store_lane(LaneWidth::W8, v, 15), 15);
    assert_eq!(store_lane(LaneWidth::W16, v, 1), 0x0302);
    assert_eq!(store_lane(LaneWidth::W32, v, 3), 0x0f0e_0d0c);
    assert_eq!(store_lane(LaneWidth::W64, v, 1), 0x0f0e_0d0c_0b0a_0908);
    assert_eq!(load_lane(LaneWidth::W8, 0, 3, 0xff), 0xff00_0000);
    assert_eq!(load_lane(LaneWidth::W16, u128::MAX, 7, 0), u128::MAX >> 16);
    assert_eq!(load_lane(LaneWidth::W32, 0, 2, 0xabcd), 0xabcd << 64);
    assert_eq!(load_lane(LaneWidth::W64, v, 0, 7), (v >> 64 << 64) | 7);

    let memarg = MemArg {
        align: 0,
        max_align: 4,
        offset: 12,
        target: Default::default(),
        ordering: None,
    };
    assert_eq!(
        load_kind(&Operator::V128Load16x4U { memarg }),
        Some((I16x4U, memarg))
    );
    assert_eq!(
        lane_access(&Operator::V128Store32Lane { memarg, lane: 3 }),
        Some((true, LaneWidth::W32, memarg, 3))
    );
    assert_eq!(
        lane_access(&Operator::V128Load64Lane { memarg, lane: 1 }),
        Some((false, LaneWidth::W64, memarg, 1))
    );
}
