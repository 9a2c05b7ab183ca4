//! Checks the SWAR fast paths against the generic lane loops on random
//! vectors.

use super::super::lanes::{cmp, map, zip};
use super::super::reduce::{all_true, bitmask};
use super::*;

/// Random vectors whose lanes are biased towards edge values.
fn random_vectors(n: usize) -> Vec<V128> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|_| {
            let edges = [0u8, 0x80, 0x7f, 0xff, 1];
            let bytes: [u8; 16] = core::array::from_fn(|_| {
                let r = next();
                if r % 3 == 0 {
                    edges[(r >> 8) as usize % edges.len()]
                } else {
                    (r >> 16) as u8
                }
            });
            V128::from_le_bytes(bytes)
        })
        .collect()
}

#[test]
fn swar_paths_match_lane_loops() {
    use BinOp::*;
    use ShiftOp::*;
    let vs = random_vectors(300);
    for &a in &vs {
        for &b in vs.iter().take(40) {
            assert_eq!(binary(I8x16Add, a, b), zip(a, b, u8::wrapping_add));
            assert_eq!(binary(I8x16Sub, a, b), zip(a, b, u8::wrapping_sub));
            assert_eq!(binary(I16x8Add, a, b), zip(a, b, u16::wrapping_add));
            assert_eq!(binary(I16x8Sub, a, b), zip(a, b, u16::wrapping_sub));
            assert_eq!(binary(I8x16Eq, a, b), cmp(a, b, |x: u8, y| x == y));
            assert_eq!(binary(I8x16Ne, a, b), cmp(a, b, |x: u8, y| x != y));
            assert_eq!(binary(I16x8Eq, a, b), cmp(a, b, |x: u16, y| x == y));
            assert_eq!(binary(I16x8Ne, a, b), cmp(a, b, |x: u16, y| x != y));
            // Mixing in `a` makes equal lanes common.
            let c = (a & 0xffff_0000_ffff_0000_ff00_ff00_ff00_ff00) | (b & 0xffff_ffff);
            assert_eq!(binary(I8x16Eq, a, c), cmp(a, c, |x: u8, y| x == y));
            assert_eq!(binary(I16x8Ne, a, c), cmp(a, c, |x: u16, y| x != y));
            assert_eq!(binary(I8x16AddSatS, a, b), zip(a, b, i8::saturating_add));
            assert_eq!(binary(I8x16AddSatU, a, b), zip(a, b, u8::saturating_add));
            assert_eq!(binary(I8x16SubSatS, a, b), zip(a, b, i8::saturating_sub));
            assert_eq!(binary(I8x16SubSatU, a, b), zip(a, b, u8::saturating_sub));
            assert_eq!(binary(I16x8AddSatS, a, b), zip(a, b, i16::saturating_add));
            assert_eq!(binary(I16x8AddSatU, a, b), zip(a, b, u16::saturating_add));
            assert_eq!(binary(I16x8SubSatS, a, b), zip(a, b, i16::saturating_sub));
            assert_eq!(binary(I16x8SubSatU, a, b), zip(a, b, u16::saturating_sub));
        }
        assert_eq!(test(TestOp::I8x16AllTrue, a), all_true::<u8>(a));
        assert_eq!(test(TestOp::I16x8AllTrue, a), all_true::<u16>(a));
        assert_eq!(test(TestOp::I8x16Bitmask, a), bitmask::<u8>(a));
        let popcnt = map(a, |x: u8| x.count_ones() as u8);
        assert_eq!(unary(UnOp::I8x16Popcnt, a), popcnt);
        for n in [0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 100, u32::MAX] {
            assert_eq!(shift(I8x16Shl, a, n), map(a, |x: u8| x.wrapping_shl(n)));
            assert_eq!(shift(I8x16ShrS, a, n), map(a, |x: i8| x.wrapping_shr(n)));
            assert_eq!(shift(I8x16ShrU, a, n), map(a, |x: u8| x.wrapping_shr(n)));
            assert_eq!(shift(I16x8Shl, a, n), map(a, |x: u16| x.wrapping_shl(n)));
            assert_eq!(shift(I16x8ShrS, a, n), map(a, |x: i16| x.wrapping_shr(n)));
            assert_eq!(shift(I16x8ShrU, a, n), map(a, |x: u16| x.wrapping_shr(n)));
        }
    }
}
