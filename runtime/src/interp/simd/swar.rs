//! SWAR ("SIMD within a register") forms of common 8- and 16-bit lane
//! operations, for which per-lane loops over a `u128` compile to scalar code.
//! `h` has the top bit of every lane set; `repeat` has the value 1 in every
//! lane, so `repeat * x` splats a lane value `x`.

use super::V128;

pub(super) const REPEAT8: V128 = 0x0101_0101_0101_0101_0101_0101_0101_0101;
pub(super) const REPEAT16: V128 = 0x0001_0001_0001_0001_0001_0001_0001_0001;
pub(super) const REPEAT32: V128 = 0x0000_0001_0000_0001_0000_0001_0000_0001;
pub(super) const REPEAT64: V128 = 0x0000_0000_0000_0001_0000_0000_0000_0001;

pub(super) const H8: V128 = REPEAT8 * 0x80;
pub(super) const H16: V128 = REPEAT16 * 0x8000;

/// Lane-wise wrapping add: adds the low bits, whose carries stop at each
/// lane's top bit, then adds the top bits carry-less (xor).
#[inline(always)]
pub(super) fn swar_add(a: V128, b: V128, h: V128) -> V128 {
    ((a & !h) + (b & !h)) ^ ((a ^ b) & h)
}

/// Lane-wise wrapping subtract: borrows only from a forced top bit in each
/// lane, then fixes the top bits up with xor.
#[inline(always)]
pub(super) fn swar_sub(a: V128, b: V128, h: V128) -> V128 {
    ((a | h) - (b & !h)) ^ ((a ^ !b) & h)
}

/// Sets the top bit of each lane iff the lane is nonzero.
#[inline(always)]
pub(super) fn swar_nonzero(x: V128, h: V128) -> V128 {
    (((x & !h) + !h) | x) & h
}

/// Widens top-bit flags (as from [`swar_nonzero`]) to all-ones lanes.
#[inline(always)]
pub(super) fn swar_lanes_from_top(top: V128, bits: u32) -> V128 {
    (top << 1).wrapping_sub(top >> (bits - 1))
}

#[inline(always)]
pub(super) fn swar_shl(a: V128, s: u32, repeat: V128, lane_ones: V128) -> V128 {
    (a << s) & (repeat * ((lane_ones << s) & lane_ones))
}

#[inline(always)]
pub(super) fn swar_shr_u(a: V128, s: u32, repeat: V128, lane_ones: V128) -> V128 {
    (a >> s) & (repeat * (lane_ones >> s))
}

/// Arithmetic shift: a logical shift, then sign extension from the shifted
/// sign bit `m` of each lane as `(x ^ m) - m`.
#[inline(always)]
pub(super) fn swar_shr_s(a: V128, s: u32, repeat: V128, top: V128) -> V128 {
    let m = repeat * (top >> s);
    swar_sub(
        swar_shr_u(a, s, repeat, (top << 1) - 1) ^ m,
        m,
        repeat * top,
    )
}

/// Lane-wise saturating unsigned add: lanes that carried out become all ones.
#[inline(always)]
pub(super) fn swar_add_sat_u(a: V128, b: V128, h: V128, bits: u32) -> V128 {
    let r = swar_add(a, b, h);
    let carry = ((a & b) | ((a | b) & !r)) & h;
    r | swar_lanes_from_top(carry, bits)
}

/// Lane-wise saturating unsigned subtract: lanes that borrowed become zero.
#[inline(always)]
pub(super) fn swar_sub_sat_u(a: V128, b: V128, h: V128, bits: u32) -> V128 {
    let r = swar_sub(a, b, h);
    let borrow = ((!a & b) | ((!a | b) & r)) & h;
    r & !swar_lanes_from_top(borrow, bits)
}

/// Replaces the lanes of `r` flagged in `overflow` (top bits) with the
/// signed bound on the side of `a`'s sign: MAX for positive, MIN for negative.
#[inline(always)]
fn swar_saturate_s(r: V128, a: V128, overflow: V128, h: V128, bits: u32) -> V128 {
    let bound = !h ^ swar_lanes_from_top(a & h, bits);
    let m = swar_lanes_from_top(overflow, bits);
    (r & !m) | (bound & m)
}

#[inline(always)]
pub(super) fn swar_add_sat_s(a: V128, b: V128, h: V128, bits: u32) -> V128 {
    let r = swar_add(a, b, h);
    swar_saturate_s(r, a, (a ^ r) & (b ^ r) & h, h, bits)
}

#[inline(always)]
pub(super) fn swar_sub_sat_s(a: V128, b: V128, h: V128, bits: u32) -> V128 {
    let r = swar_sub(a, b, h);
    swar_saturate_s(r, a, (a ^ b) & (a ^ r) & h, h, bits)
}

/// Per-byte population count by summing bits in pairs, nibbles, then bytes.
#[inline(always)]
pub(super) fn swar_popcnt8(x: V128) -> V128 {
    let x = x - ((x >> 1) & (REPEAT8 * 0x55));
    let x = (x & (REPEAT8 * 0x33)) + ((x >> 2) & (REPEAT8 * 0x33));
    (x + (x >> 4)) & (REPEAT8 * 0x0f)
}

/// The top bits of the eight bytes of `x`, byte 0 in bit 0: the multiply
/// gathers the bit of byte `k` into bit `56 + k`.
#[inline(always)]
pub(super) fn bitmask8(x: u64) -> u32 {
    (((x & 0x8080_8080_8080_8080) >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}
