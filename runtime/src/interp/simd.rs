//! Semantics of the WebAssembly 2.0 fixed-width SIMD (`v128`) operators.
//!
//! A `v128` is a [`V128`] (`u128`) in little-endian lane order: lane 0 is the
//! least significant bits, matching the byte order in linear memory. Scalars
//! cross the boundary as `u64` bits, with i32/f32 in the low 32 bits and the
//! upper bits zero.
//!
//! [`classify`] sorts every non-memory, non-const SIMD operator into a
//! [`SimdOp`] whose payload is evaluated by the matching function
//! ([`unary`], [`binary`], ...). Memory operators are split into a byte access,
//! done by the interpreter, and a pure transform here ([`load_kind`] with
//! [`load_transform`], [`lane_access`] with [`load_lane`]/[`store_lane`]).
//!
//! Lane indices are validated before execution; these functions mask them to
//! the valid range instead of panicking.

use super::num;
use wasmparser::{MemArg, Operator};

/// A 128-bit vector, lane 0 in the least significant bits.
pub type V128 = u128;

/// A SIMD operator, classified by the shape of its operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimdOp {
    /// `v128 -> v128`.
    Unary(UnOp),
    /// `v128, v128 -> v128`.
    Binary(BinOp),
    /// `v128, v128, v128 -> v128`.
    Ternary(TernOp),
    /// `v128, i32 -> v128`.
    Shift(ShiftOp),
    /// `v128 -> i32`.
    Test(TestOp),
    /// scalar -> `v128`.
    Splat(SplatOp),
    /// `v128 -> scalar`, with the lane index immediate.
    ExtractLane(ExtractOp, u8),
    /// `v128, scalar -> v128`, with the lane index immediate.
    ReplaceLane(ReplaceOp, u8),
    /// `i8x16.shuffle` with its lane immediates.
    Shuffle([u8; 16]),
}

// Defines the immediate-free operator enums with variants named after the
// `wasmparser::Operator` variants, plus the classification of those operators.
macro_rules! simple_ops {
    ($($(#[$doc:meta])* $kind:ident($name:ident) { $($op:ident,)* })*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            #[repr(u8)]
            #[allow(missing_docs)]
            pub enum $name { $($op,)* }
        )*

        fn classify_simple(op: &Operator) -> Option<SimdOp> {
            Some(match op {
                $($(Operator::$op => SimdOp::$kind($name::$op),)*)*
                _ => return None,
            })
        }
    };
}

simple_ops! {
    /// `v128 -> v128` operators.
    Unary(UnOp) {
        V128Not,
        I8x16Abs, I8x16Neg, I8x16Popcnt,
        I16x8Abs, I16x8Neg,
        I16x8ExtAddPairwiseI8x16S, I16x8ExtAddPairwiseI8x16U,
        I16x8ExtendLowI8x16S, I16x8ExtendHighI8x16S,
        I16x8ExtendLowI8x16U, I16x8ExtendHighI8x16U,
        I32x4Abs, I32x4Neg,
        I32x4ExtAddPairwiseI16x8S, I32x4ExtAddPairwiseI16x8U,
        I32x4ExtendLowI16x8S, I32x4ExtendHighI16x8S,
        I32x4ExtendLowI16x8U, I32x4ExtendHighI16x8U,
        I64x2Abs, I64x2Neg,
        I64x2ExtendLowI32x4S, I64x2ExtendHighI32x4S,
        I64x2ExtendLowI32x4U, I64x2ExtendHighI32x4U,
        F32x4Ceil, F32x4Floor, F32x4Trunc, F32x4Nearest,
        F32x4Abs, F32x4Neg, F32x4Sqrt,
        F64x2Ceil, F64x2Floor, F64x2Trunc, F64x2Nearest,
        F64x2Abs, F64x2Neg, F64x2Sqrt,
        I32x4TruncSatF32x4S, I32x4TruncSatF32x4U,
        F32x4ConvertI32x4S, F32x4ConvertI32x4U,
        I32x4TruncSatF64x2SZero, I32x4TruncSatF64x2UZero,
        F64x2ConvertLowI32x4S, F64x2ConvertLowI32x4U,
        F32x4DemoteF64x2Zero, F64x2PromoteLowF32x4,
    }

    /// `v128, v128 -> v128` operators.
    Binary(BinOp) {
        V128And, V128AndNot, V128Or, V128Xor,
        I8x16Swizzle,
        I8x16Eq, I8x16Ne, I8x16LtS, I8x16LtU, I8x16GtS, I8x16GtU,
        I8x16LeS, I8x16LeU, I8x16GeS, I8x16GeU,
        I16x8Eq, I16x8Ne, I16x8LtS, I16x8LtU, I16x8GtS, I16x8GtU,
        I16x8LeS, I16x8LeU, I16x8GeS, I16x8GeU,
        I32x4Eq, I32x4Ne, I32x4LtS, I32x4LtU, I32x4GtS, I32x4GtU,
        I32x4LeS, I32x4LeU, I32x4GeS, I32x4GeU,
        I64x2Eq, I64x2Ne, I64x2LtS, I64x2GtS, I64x2LeS, I64x2GeS,
        F32x4Eq, F32x4Ne, F32x4Lt, F32x4Gt, F32x4Le, F32x4Ge,
        F64x2Eq, F64x2Ne, F64x2Lt, F64x2Gt, F64x2Le, F64x2Ge,
        I8x16NarrowI16x8S, I8x16NarrowI16x8U,
        I8x16Add, I8x16AddSatS, I8x16AddSatU,
        I8x16Sub, I8x16SubSatS, I8x16SubSatU,
        I8x16MinS, I8x16MinU, I8x16MaxS, I8x16MaxU, I8x16AvgrU,
        I16x8NarrowI32x4S, I16x8NarrowI32x4U,
        I16x8Add, I16x8AddSatS, I16x8AddSatU,
        I16x8Sub, I16x8SubSatS, I16x8SubSatU,
        I16x8Mul, I16x8MinS, I16x8MinU, I16x8MaxS, I16x8MaxU, I16x8AvgrU,
        I16x8Q15MulrSatS,
        I16x8ExtMulLowI8x16S, I16x8ExtMulHighI8x16S,
        I16x8ExtMulLowI8x16U, I16x8ExtMulHighI8x16U,
        I32x4Add, I32x4Sub, I32x4Mul,
        I32x4MinS, I32x4MinU, I32x4MaxS, I32x4MaxU,
        I32x4DotI16x8S,
        I32x4ExtMulLowI16x8S, I32x4ExtMulHighI16x8S,
        I32x4ExtMulLowI16x8U, I32x4ExtMulHighI16x8U,
        I64x2Add, I64x2Sub, I64x2Mul,
        I64x2ExtMulLowI32x4S, I64x2ExtMulHighI32x4S,
        I64x2ExtMulLowI32x4U, I64x2ExtMulHighI32x4U,
        F32x4Add, F32x4Sub, F32x4Mul, F32x4Div,
        F32x4Min, F32x4Max, F32x4PMin, F32x4PMax,
        F64x2Add, F64x2Sub, F64x2Mul, F64x2Div,
        F64x2Min, F64x2Max, F64x2PMin, F64x2PMax,
    }

    /// `v128, v128, v128 -> v128` operators.
    Ternary(TernOp) {
        V128Bitselect,
    }

    /// `v128, i32 -> v128` shifts; the amount is taken modulo the lane width.
    Shift(ShiftOp) {
        I8x16Shl, I8x16ShrS, I8x16ShrU,
        I16x8Shl, I16x8ShrS, I16x8ShrU,
        I32x4Shl, I32x4ShrS, I32x4ShrU,
        I64x2Shl, I64x2ShrS, I64x2ShrU,
    }

    /// `v128 -> i32` operators.
    Test(TestOp) {
        V128AnyTrue,
        I8x16AllTrue, I8x16Bitmask,
        I16x8AllTrue, I16x8Bitmask,
        I32x4AllTrue, I32x4Bitmask,
        I64x2AllTrue, I64x2Bitmask,
    }
}

/// `*.splat` operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum SplatOp {
    I8x16,
    I16x8,
    I32x4,
    I64x2,
    F32x4,
    F64x2,
}

/// `*.extract_lane` operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum ExtractOp {
    I8x16S,
    I8x16U,
    I16x8S,
    I16x8U,
    I32x4,
    I64x2,
    F32x4,
    F64x2,
}

/// `*.replace_lane` operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum ReplaceOp {
    I8x16,
    I16x8,
    I32x4,
    I64x2,
    F32x4,
    F64x2,
}

/// Classifies a SIMD operator. Returns `None` for non-SIMD operators, for
/// relaxed-SIMD operators, and for `v128.const` and the memory operators
/// (see [`load_kind`] and [`lane_access`]).
pub fn classify(op: &Operator) -> Option<SimdOp> {
    use ExtractOp as E;
    use ReplaceOp as R;
    Some(match *op {
        Operator::I8x16ExtractLaneS { lane } => SimdOp::ExtractLane(E::I8x16S, lane),
        Operator::I8x16ExtractLaneU { lane } => SimdOp::ExtractLane(E::I8x16U, lane),
        Operator::I16x8ExtractLaneS { lane } => SimdOp::ExtractLane(E::I16x8S, lane),
        Operator::I16x8ExtractLaneU { lane } => SimdOp::ExtractLane(E::I16x8U, lane),
        Operator::I32x4ExtractLane { lane } => SimdOp::ExtractLane(E::I32x4, lane),
        Operator::I64x2ExtractLane { lane } => SimdOp::ExtractLane(E::I64x2, lane),
        Operator::F32x4ExtractLane { lane } => SimdOp::ExtractLane(E::F32x4, lane),
        Operator::F64x2ExtractLane { lane } => SimdOp::ExtractLane(E::F64x2, lane),
        Operator::I8x16ReplaceLane { lane } => SimdOp::ReplaceLane(R::I8x16, lane),
        Operator::I16x8ReplaceLane { lane } => SimdOp::ReplaceLane(R::I16x8, lane),
        Operator::I32x4ReplaceLane { lane } => SimdOp::ReplaceLane(R::I32x4, lane),
        Operator::I64x2ReplaceLane { lane } => SimdOp::ReplaceLane(R::I64x2, lane),
        Operator::F32x4ReplaceLane { lane } => SimdOp::ReplaceLane(R::F32x4, lane),
        Operator::F64x2ReplaceLane { lane } => SimdOp::ReplaceLane(R::F64x2, lane),
        Operator::I8x16Shuffle { lanes } => SimdOp::Shuffle(lanes),
        Operator::I8x16Splat => SimdOp::Splat(SplatOp::I8x16),
        Operator::I16x8Splat => SimdOp::Splat(SplatOp::I16x8),
        Operator::I32x4Splat => SimdOp::Splat(SplatOp::I32x4),
        Operator::I64x2Splat => SimdOp::Splat(SplatOp::I64x2),
        Operator::F32x4Splat => SimdOp::Splat(SplatOp::F32x4),
        Operator::F64x2Splat => SimdOp::Splat(SplatOp::F64x2),
        _ => return classify_simple(op),
    })
}

/// One lane type: how to read lane `i` of a vector's bytes and how to write
/// it back.
trait Lane: Copy {
    const BYTES: usize;
    const N: usize = 16 / Self::BYTES;
    fn load(v: &[u8; 16], i: usize) -> Self;
    fn store(self, v: &mut [u8; 16], i: usize);
}

macro_rules! lane_impl {
    ($($t:ty),*) => {$(
        impl Lane for $t {
            const BYTES: usize = size_of::<$t>();
            #[inline(always)]
            fn load(v: &[u8; 16], i: usize) -> Self {
                let mut b = [0; size_of::<$t>()];
                b.copy_from_slice(&v[i * Self::BYTES..][..Self::BYTES]);
                <$t>::from_le_bytes(b)
            }
            #[inline(always)]
            fn store(self, v: &mut [u8; 16], i: usize) {
                v[i * Self::BYTES..][..Self::BYTES].copy_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
lane_impl!(i8, u8, i16, u16, i32, u32, i64, u64, f32, f64);

#[inline(always)]
fn lane<T: Lane>(v: V128, i: usize) -> T {
    T::load(&v.to_le_bytes(), i)
}

/// Builds a vector of `T` lanes from a function of the lane index.
#[inline(always)]
fn build<T: Lane>(f: impl Fn(usize) -> T) -> V128 {
    let mut r = [0; 16];
    for i in 0..T::N {
        f(i).store(&mut r, i);
    }
    V128::from_le_bytes(r)
}

/// Lane-wise map between lane types of the same width.
#[inline(always)]
fn map<T: Lane, R: Lane>(a: V128, f: impl Fn(T) -> R) -> V128 {
    let a = a.to_le_bytes();
    build(|i| f(T::load(&a, i)))
}

/// Lane-wise binary operation.
#[inline(always)]
fn zip<T: Lane>(a: V128, b: V128, f: impl Fn(T, T) -> T) -> V128 {
    let (a, b) = (a.to_le_bytes(), b.to_le_bytes());
    build(|i| f(T::load(&a, i), T::load(&b, i)))
}

/// Lane-wise comparison producing all-ones or all-zeros lanes.
#[inline(always)]
fn cmp<T: Lane>(a: V128, b: V128, f: impl Fn(T, T) -> bool) -> V128 {
    let (a, b) = (a.to_le_bytes(), b.to_le_bytes());
    let mut r = [0; 16];
    for (i, out) in r.chunks_exact_mut(T::BYTES).enumerate() {
        out.fill(0u8.wrapping_sub(u8::from(f(T::load(&a, i), T::load(&b, i)))));
    }
    V128::from_le_bytes(r)
}

/// The pair `(a, b)` as one 32-lane input to narrowing: lanes of `a` first.
#[inline(always)]
fn concat<T: Lane>(a: V128, b: V128, i: usize) -> T {
    if i < T::N {
        lane(a, i)
    } else {
        lane(b, i - T::N)
    }
}

const F32_SIGNS: V128 = 0x8000_0000_8000_0000_8000_0000_8000_0000;
const F64_SIGNS: V128 = 0x8000_0000_0000_0000_8000_0000_0000_0000;

// SWAR ("SIMD within a register") forms of common 8- and 16-bit lane
// operations, for which per-lane loops over a `u128` compile to scalar code.
// `h` has the top bit of every lane set; `repeat` has the value 1 in every
// lane, so `repeat * x` splats a lane value `x`.

const H8: V128 = REPEAT8 * 0x80;
const H16: V128 = REPEAT16 * 0x8000;

/// Lane-wise wrapping add: adds the low bits, whose carries stop at each
/// lane's top bit, then adds the top bits carry-less (xor).
#[inline(always)]
fn swar_add(a: V128, b: V128, h: V128) -> V128 {
    ((a & !h) + (b & !h)) ^ ((a ^ b) & h)
}

/// Lane-wise wrapping subtract: borrows only from a forced top bit in each
/// lane, then fixes the top bits up with xor.
#[inline(always)]
fn swar_sub(a: V128, b: V128, h: V128) -> V128 {
    ((a | h) - (b & !h)) ^ ((a ^ !b) & h)
}

/// Sets the top bit of each lane iff the lane is nonzero.
#[inline(always)]
fn swar_nonzero(x: V128, h: V128) -> V128 {
    (((x & !h) + !h) | x) & h
}

/// Widens top-bit flags (as from [`swar_nonzero`]) to all-ones lanes.
#[inline(always)]
fn swar_lanes_from_top(top: V128, bits: u32) -> V128 {
    (top << 1).wrapping_sub(top >> (bits - 1))
}

#[inline(always)]
fn swar_shl(a: V128, s: u32, repeat: V128, lane_ones: V128) -> V128 {
    (a << s) & (repeat * ((lane_ones << s) & lane_ones))
}

#[inline(always)]
fn swar_shr_u(a: V128, s: u32, repeat: V128, lane_ones: V128) -> V128 {
    (a >> s) & (repeat * (lane_ones >> s))
}

/// Arithmetic shift: a logical shift, then sign extension from the shifted
/// sign bit `m` of each lane as `(x ^ m) - m`.
#[inline(always)]
fn swar_shr_s(a: V128, s: u32, repeat: V128, top: V128) -> V128 {
    let m = repeat * (top >> s);
    swar_sub(
        swar_shr_u(a, s, repeat, (top << 1) - 1) ^ m,
        m,
        repeat * top,
    )
}

/// Lane-wise saturating unsigned add: lanes that carried out become all ones.
#[inline(always)]
fn swar_add_sat_u(a: V128, b: V128, h: V128, bits: u32) -> V128 {
    let r = swar_add(a, b, h);
    let carry = ((a & b) | ((a | b) & !r)) & h;
    r | swar_lanes_from_top(carry, bits)
}

/// Lane-wise saturating unsigned subtract: lanes that borrowed become zero.
#[inline(always)]
fn swar_sub_sat_u(a: V128, b: V128, h: V128, bits: u32) -> V128 {
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
fn swar_add_sat_s(a: V128, b: V128, h: V128, bits: u32) -> V128 {
    let r = swar_add(a, b, h);
    swar_saturate_s(r, a, (a ^ r) & (b ^ r) & h, h, bits)
}

#[inline(always)]
fn swar_sub_sat_s(a: V128, b: V128, h: V128, bits: u32) -> V128 {
    let r = swar_sub(a, b, h);
    swar_saturate_s(r, a, (a ^ b) & (a ^ r) & h, h, bits)
}

/// Per-byte population count by summing bits in pairs, nibbles, then bytes.
#[inline(always)]
fn swar_popcnt8(x: V128) -> V128 {
    let x = x - ((x >> 1) & (REPEAT8 * 0x55));
    let x = (x & (REPEAT8 * 0x33)) + ((x >> 2) & (REPEAT8 * 0x33));
    (x + (x >> 4)) & (REPEAT8 * 0x0f)
}

/// The top bits of the eight bytes of `x`, byte 0 in bit 0: the multiply
/// gathers the bit of byte `k` into bit `56 + k`.
#[inline(always)]
fn bitmask8(x: u64) -> u32 {
    (((x & 0x8080_8080_8080_8080) >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

/// Evaluates a `v128 -> v128` operator.
pub fn unary(op: UnOp, a: V128) -> V128 {
    use UnOp::*;
    match op {
        V128Not => !a,
        I8x16Abs => map(a, i8::wrapping_abs),
        I8x16Neg => map(a, i8::wrapping_neg),
        I8x16Popcnt => swar_popcnt8(a),
        I16x8Abs => map(a, i16::wrapping_abs),
        I16x8Neg => map(a, i16::wrapping_neg),
        I16x8ExtAddPairwiseI8x16S => {
            build(|i| i16::from(lane::<i8>(a, 2 * i)) + i16::from(lane::<i8>(a, 2 * i + 1)))
        }
        I16x8ExtAddPairwiseI8x16U => {
            build(|i| u16::from(lane::<u8>(a, 2 * i)) + u16::from(lane::<u8>(a, 2 * i + 1)))
        }
        I16x8ExtendLowI8x16S => build(|i| i16::from(lane::<i8>(a, i))),
        I16x8ExtendHighI8x16S => build(|i| i16::from(lane::<i8>(a, i + 8))),
        I16x8ExtendLowI8x16U => build(|i| u16::from(lane::<u8>(a, i))),
        I16x8ExtendHighI8x16U => build(|i| u16::from(lane::<u8>(a, i + 8))),
        I32x4Abs => map(a, i32::wrapping_abs),
        I32x4Neg => map(a, i32::wrapping_neg),
        I32x4ExtAddPairwiseI16x8S => {
            build(|i| i32::from(lane::<i16>(a, 2 * i)) + i32::from(lane::<i16>(a, 2 * i + 1)))
        }
        I32x4ExtAddPairwiseI16x8U => {
            build(|i| u32::from(lane::<u16>(a, 2 * i)) + u32::from(lane::<u16>(a, 2 * i + 1)))
        }
        I32x4ExtendLowI16x8S => build(|i| i32::from(lane::<i16>(a, i))),
        I32x4ExtendHighI16x8S => build(|i| i32::from(lane::<i16>(a, i + 4))),
        I32x4ExtendLowI16x8U => build(|i| u32::from(lane::<u16>(a, i))),
        I32x4ExtendHighI16x8U => build(|i| u32::from(lane::<u16>(a, i + 4))),
        I64x2Abs => map(a, i64::wrapping_abs),
        I64x2Neg => map(a, i64::wrapping_neg),
        I64x2ExtendLowI32x4S => build(|i| i64::from(lane::<i32>(a, i))),
        I64x2ExtendHighI32x4S => build(|i| i64::from(lane::<i32>(a, i + 2))),
        I64x2ExtendLowI32x4U => build(|i| u64::from(lane::<u32>(a, i))),
        I64x2ExtendHighI32x4U => build(|i| u64::from(lane::<u32>(a, i + 2))),
        F32x4Ceil => map(a, num::f32_ceil),
        F32x4Floor => map(a, num::f32_floor),
        F32x4Trunc => map(a, num::f32_trunc),
        F32x4Nearest => map(a, num::f32_nearest),
        F32x4Abs => a & !F32_SIGNS,
        F32x4Neg => a ^ F32_SIGNS,
        F32x4Sqrt => map(a, f32::sqrt),
        F64x2Ceil => map(a, num::f64_ceil),
        F64x2Floor => map(a, num::f64_floor),
        F64x2Trunc => map(a, num::f64_trunc),
        F64x2Nearest => map(a, num::f64_nearest),
        F64x2Abs => a & !F64_SIGNS,
        F64x2Neg => a ^ F64_SIGNS,
        F64x2Sqrt => map(a, f64::sqrt),
        I32x4TruncSatF32x4S => map(a, num::i32_trunc_sat_f32_s),
        I32x4TruncSatF32x4U => map(a, num::i32_trunc_sat_f32_u),
        F32x4ConvertI32x4S => map(a, |x: i32| x as f32),
        F32x4ConvertI32x4U => map(a, |x: u32| x as f32),
        I32x4TruncSatF64x2SZero => build(|i| {
            if i < 2 {
                num::i32_trunc_sat_f64_s(lane(a, i))
            } else {
                0
            }
        }),
        I32x4TruncSatF64x2UZero => build(|i| {
            if i < 2 {
                num::i32_trunc_sat_f64_u(lane(a, i))
            } else {
                0
            }
        }),
        F64x2ConvertLowI32x4S => build(|i| f64::from(lane::<i32>(a, i))),
        F64x2ConvertLowI32x4U => build(|i| f64::from(lane::<u32>(a, i))),
        F32x4DemoteF64x2Zero => build(|i| if i < 2 { lane::<f64>(a, i) as f32 } else { 0.0 }),
        F64x2PromoteLowF32x4 => build(|i| f64::from(lane::<f32>(a, i))),
    }
}

/// Evaluates a `v128, v128 -> v128` operator.
pub fn binary(op: BinOp, a: V128, b: V128) -> V128 {
    use BinOp::*;
    match op {
        V128And => a & b,
        V128AndNot => a & !b,
        V128Or => a | b,
        V128Xor => a ^ b,
        I8x16Swizzle => {
            let (a, b) = (a.to_le_bytes(), b.to_le_bytes());
            V128::from_le_bytes(core::array::from_fn(|i| {
                a.get(usize::from(b[i])).copied().unwrap_or(0)
            }))
        }

        I8x16Eq => !swar_lanes_from_top(swar_nonzero(a ^ b, H8), 8),
        I8x16Ne => swar_lanes_from_top(swar_nonzero(a ^ b, H8), 8),
        I8x16LtS => cmp(a, b, |x: i8, y| x < y),
        I8x16LtU => cmp(a, b, |x: u8, y| x < y),
        I8x16GtS => cmp(a, b, |x: i8, y| x > y),
        I8x16GtU => cmp(a, b, |x: u8, y| x > y),
        I8x16LeS => cmp(a, b, |x: i8, y| x <= y),
        I8x16LeU => cmp(a, b, |x: u8, y| x <= y),
        I8x16GeS => cmp(a, b, |x: i8, y| x >= y),
        I8x16GeU => cmp(a, b, |x: u8, y| x >= y),
        I16x8Eq => !swar_lanes_from_top(swar_nonzero(a ^ b, H16), 16),
        I16x8Ne => swar_lanes_from_top(swar_nonzero(a ^ b, H16), 16),
        I16x8LtS => cmp(a, b, |x: i16, y| x < y),
        I16x8LtU => cmp(a, b, |x: u16, y| x < y),
        I16x8GtS => cmp(a, b, |x: i16, y| x > y),
        I16x8GtU => cmp(a, b, |x: u16, y| x > y),
        I16x8LeS => cmp(a, b, |x: i16, y| x <= y),
        I16x8LeU => cmp(a, b, |x: u16, y| x <= y),
        I16x8GeS => cmp(a, b, |x: i16, y| x >= y),
        I16x8GeU => cmp(a, b, |x: u16, y| x >= y),
        I32x4Eq => cmp(a, b, |x: u32, y| x == y),
        I32x4Ne => cmp(a, b, |x: u32, y| x != y),
        I32x4LtS => cmp(a, b, |x: i32, y| x < y),
        I32x4LtU => cmp(a, b, |x: u32, y| x < y),
        I32x4GtS => cmp(a, b, |x: i32, y| x > y),
        I32x4GtU => cmp(a, b, |x: u32, y| x > y),
        I32x4LeS => cmp(a, b, |x: i32, y| x <= y),
        I32x4LeU => cmp(a, b, |x: u32, y| x <= y),
        I32x4GeS => cmp(a, b, |x: i32, y| x >= y),
        I32x4GeU => cmp(a, b, |x: u32, y| x >= y),
        I64x2Eq => cmp(a, b, |x: u64, y| x == y),
        I64x2Ne => cmp(a, b, |x: u64, y| x != y),
        I64x2LtS => cmp(a, b, |x: i64, y| x < y),
        I64x2GtS => cmp(a, b, |x: i64, y| x > y),
        I64x2LeS => cmp(a, b, |x: i64, y| x <= y),
        I64x2GeS => cmp(a, b, |x: i64, y| x >= y),
        F32x4Eq => cmp(a, b, |x: f32, y| x == y),
        F32x4Ne => cmp(a, b, |x: f32, y| x != y),
        F32x4Lt => cmp(a, b, |x: f32, y| x < y),
        F32x4Gt => cmp(a, b, |x: f32, y| x > y),
        F32x4Le => cmp(a, b, |x: f32, y| x <= y),
        F32x4Ge => cmp(a, b, |x: f32, y| x >= y),
        F64x2Eq => cmp(a, b, |x: f64, y| x == y),
        F64x2Ne => cmp(a, b, |x: f64, y| x != y),
        F64x2Lt => cmp(a, b, |x: f64, y| x < y),
        F64x2Gt => cmp(a, b, |x: f64, y| x > y),
        F64x2Le => cmp(a, b, |x: f64, y| x <= y),
        F64x2Ge => cmp(a, b, |x: f64, y| x >= y),

        I8x16NarrowI16x8S => build(|i| concat::<i16>(a, b, i).clamp(-128, 127) as i8),
        I8x16NarrowI16x8U => build(|i| concat::<i16>(a, b, i).clamp(0, 255) as u8),
        I8x16Add => swar_add(a, b, H8),
        I8x16AddSatS => swar_add_sat_s(a, b, H8, 8),
        I8x16AddSatU => swar_add_sat_u(a, b, H8, 8),
        I8x16Sub => swar_sub(a, b, H8),
        I8x16SubSatS => swar_sub_sat_s(a, b, H8, 8),
        I8x16SubSatU => swar_sub_sat_u(a, b, H8, 8),
        I8x16MinS => zip(a, b, i8::min),
        I8x16MinU => zip(a, b, u8::min),
        I8x16MaxS => zip(a, b, i8::max),
        I8x16MaxU => zip(a, b, u8::max),
        I8x16AvgrU => zip(a, b, |x: u8, y| {
            ((u16::from(x) + u16::from(y) + 1) >> 1) as u8
        }),

        I16x8NarrowI32x4S => build(|i| concat::<i32>(a, b, i).clamp(-32768, 32767) as i16),
        I16x8NarrowI32x4U => build(|i| concat::<i32>(a, b, i).clamp(0, 65535) as u16),
        I16x8Add => swar_add(a, b, H16),
        I16x8AddSatS => swar_add_sat_s(a, b, H16, 16),
        I16x8AddSatU => swar_add_sat_u(a, b, H16, 16),
        I16x8Sub => swar_sub(a, b, H16),
        I16x8SubSatS => swar_sub_sat_s(a, b, H16, 16),
        I16x8SubSatU => swar_sub_sat_u(a, b, H16, 16),
        I16x8Mul => zip(a, b, u16::wrapping_mul),
        I16x8MinS => zip(a, b, i16::min),
        I16x8MinU => zip(a, b, u16::min),
        I16x8MaxS => zip(a, b, i16::max),
        I16x8MaxU => zip(a, b, u16::max),
        I16x8AvgrU => zip(a, b, |x: u16, y| {
            ((u32::from(x) + u32::from(y) + 1) >> 1) as u16
        }),
        I16x8Q15MulrSatS => zip(a, b, |x: i16, y| {
            let p = (i32::from(x) * i32::from(y) + 0x4000) >> 15;
            p.clamp(-32768, 32767) as i16
        }),
        I16x8ExtMulLowI8x16S => {
            build(|i| i16::from(lane::<i8>(a, i)) * i16::from(lane::<i8>(b, i)))
        }
        I16x8ExtMulHighI8x16S => {
            build(|i| i16::from(lane::<i8>(a, i + 8)) * i16::from(lane::<i8>(b, i + 8)))
        }
        I16x8ExtMulLowI8x16U => {
            build(|i| u16::from(lane::<u8>(a, i)) * u16::from(lane::<u8>(b, i)))
        }
        I16x8ExtMulHighI8x16U => {
            build(|i| u16::from(lane::<u8>(a, i + 8)) * u16::from(lane::<u8>(b, i + 8)))
        }

        I32x4Add => zip(a, b, u32::wrapping_add),
        I32x4Sub => zip(a, b, u32::wrapping_sub),
        I32x4Mul => zip(a, b, u32::wrapping_mul),
        I32x4MinS => zip(a, b, i32::min),
        I32x4MinU => zip(a, b, u32::min),
        I32x4MaxS => zip(a, b, i32::max),
        I32x4MaxU => zip(a, b, u32::max),
        I32x4DotI16x8S => build(|i| {
            let lo = i32::from(lane::<i16>(a, 2 * i)) * i32::from(lane::<i16>(b, 2 * i));
            let hi = i32::from(lane::<i16>(a, 2 * i + 1)) * i32::from(lane::<i16>(b, 2 * i + 1));
            lo.wrapping_add(hi)
        }),
        I32x4ExtMulLowI16x8S => {
            build(|i| i32::from(lane::<i16>(a, i)) * i32::from(lane::<i16>(b, i)))
        }
        I32x4ExtMulHighI16x8S => {
            build(|i| i32::from(lane::<i16>(a, i + 4)) * i32::from(lane::<i16>(b, i + 4)))
        }
        I32x4ExtMulLowI16x8U => {
            build(|i| u32::from(lane::<u16>(a, i)) * u32::from(lane::<u16>(b, i)))
        }
        I32x4ExtMulHighI16x8U => {
            build(|i| u32::from(lane::<u16>(a, i + 4)) * u32::from(lane::<u16>(b, i + 4)))
        }

        I64x2Add => zip(a, b, u64::wrapping_add),
        I64x2Sub => zip(a, b, u64::wrapping_sub),
        I64x2Mul => zip(a, b, u64::wrapping_mul),
        I64x2ExtMulLowI32x4S => {
            build(|i| i64::from(lane::<i32>(a, i)) * i64::from(lane::<i32>(b, i)))
        }
        I64x2ExtMulHighI32x4S => {
            build(|i| i64::from(lane::<i32>(a, i + 2)) * i64::from(lane::<i32>(b, i + 2)))
        }
        I64x2ExtMulLowI32x4U => {
            build(|i| u64::from(lane::<u32>(a, i)) * u64::from(lane::<u32>(b, i)))
        }
        I64x2ExtMulHighI32x4U => {
            build(|i| u64::from(lane::<u32>(a, i + 2)) * u64::from(lane::<u32>(b, i + 2)))
        }

        F32x4Add => zip(a, b, |x: f32, y| x + y),
        F32x4Sub => zip(a, b, |x: f32, y| x - y),
        F32x4Mul => zip(a, b, |x: f32, y| x * y),
        F32x4Div => zip(a, b, |x: f32, y| x / y),
        F32x4Min => zip(a, b, num::f32_min),
        F32x4Max => zip(a, b, num::f32_max),
        F32x4PMin => zip(a, b, |x: f32, y| if y < x { y } else { x }),
        F32x4PMax => zip(a, b, |x: f32, y| if x < y { y } else { x }),
        F64x2Add => zip(a, b, |x: f64, y| x + y),
        F64x2Sub => zip(a, b, |x: f64, y| x - y),
        F64x2Mul => zip(a, b, |x: f64, y| x * y),
        F64x2Div => zip(a, b, |x: f64, y| x / y),
        F64x2Min => zip(a, b, num::f64_min),
        F64x2Max => zip(a, b, num::f64_max),
        F64x2PMin => zip(a, b, |x: f64, y| if y < x { y } else { x }),
        F64x2PMax => zip(a, b, |x: f64, y| if x < y { y } else { x }),
    }
}

/// Evaluates a `v128, v128, v128 -> v128` operator.
pub fn ternary(op: TernOp, a: V128, b: V128, c: V128) -> V128 {
    match op {
        TernOp::V128Bitselect => (a & c) | (b & !c),
    }
}

/// Evaluates a shift; `amount` is taken modulo the lane width.
pub fn shift(op: ShiftOp, a: V128, amount: u32) -> V128 {
    use ShiftOp::*;
    // `wrapping_shl`/`wrapping_shr` also reduce the amount modulo the lane width.
    match op {
        I8x16Shl => swar_shl(a, amount % 8, REPEAT8, 0xff),
        I8x16ShrS => swar_shr_s(a, amount % 8, REPEAT8, 0x80),
        I8x16ShrU => swar_shr_u(a, amount % 8, REPEAT8, 0xff),
        I16x8Shl => swar_shl(a, amount % 16, REPEAT16, 0xffff),
        I16x8ShrS => swar_shr_s(a, amount % 16, REPEAT16, 0x8000),
        I16x8ShrU => swar_shr_u(a, amount % 16, REPEAT16, 0xffff),
        I32x4Shl => map(a, |x: u32| x.wrapping_shl(amount)),
        I32x4ShrS => map(a, |x: i32| x.wrapping_shr(amount)),
        I32x4ShrU => map(a, |x: u32| x.wrapping_shr(amount)),
        I64x2Shl => map(a, |x: u64| x.wrapping_shl(amount)),
        I64x2ShrS => map(a, |x: i64| x.wrapping_shr(amount)),
        I64x2ShrU => map(a, |x: u64| x.wrapping_shr(amount)),
    }
}

/// Collects the top bit of each lane, lane 0 in bit 0.
#[inline(always)]
fn bitmask<T: Lane + Into<u64>>(a: V128) -> u32 {
    let a = a.to_le_bytes();
    let mut r = 0;
    for i in 0..T::N {
        r |= ((T::load(&a, i).into() >> (T::BYTES * 8 - 1)) as u32) << i;
    }
    r
}

#[inline(always)]
fn all_true<T: Lane + Into<u64>>(a: V128) -> u32 {
    let a = a.to_le_bytes();
    u32::from((0..T::N).all(|i| T::load(&a, i).into() != 0))
}

/// Evaluates a `v128 -> i32` operator; the result is the i32 bit pattern.
pub fn test(op: TestOp, a: V128) -> u32 {
    use TestOp::*;
    match op {
        V128AnyTrue => u32::from(a != 0),
        I8x16AllTrue => u32::from(swar_nonzero(a, H8) == H8),
        I8x16Bitmask => bitmask8(a as u64) | bitmask8((a >> 64) as u64) << 8,
        I16x8AllTrue => u32::from(swar_nonzero(a, H16) == H16),
        I16x8Bitmask => bitmask::<u16>(a),
        I32x4AllTrue => all_true::<u32>(a),
        I32x4Bitmask => bitmask::<u32>(a),
        I64x2AllTrue => all_true::<u64>(a),
        I64x2Bitmask => bitmask::<u64>(a),
    }
}

const REPEAT8: V128 = 0x0101_0101_0101_0101_0101_0101_0101_0101;
const REPEAT16: V128 = 0x0001_0001_0001_0001_0001_0001_0001_0001;
const REPEAT32: V128 = 0x0000_0001_0000_0001_0000_0001_0000_0001;
const REPEAT64: V128 = 0x0000_0000_0000_0001_0000_0000_0000_0001;

/// Evaluates a splat of the scalar bits `x`.
pub fn splat(op: SplatOp, x: u64) -> V128 {
    match op {
        SplatOp::I8x16 => V128::from(x as u8) * REPEAT8,
        SplatOp::I16x8 => V128::from(x as u16) * REPEAT16,
        SplatOp::I32x4 | SplatOp::F32x4 => V128::from(x as u32) * REPEAT32,
        SplatOp::I64x2 | SplatOp::F64x2 => V128::from(x) * REPEAT64,
    }
}

/// Evaluates an `extract_lane`. Narrow signed lanes are sign-extended to 32
/// bits; 32-bit results are zero-extended to `u64`.
pub fn extract_lane(op: ExtractOp, a: V128, lane: u8) -> u64 {
    let at = |bits: u32| a >> ((u32::from(lane) * bits) & 127);
    match op {
        ExtractOp::I8x16S => u64::from(at(8) as i8 as i32 as u32),
        ExtractOp::I8x16U => u64::from(at(8) as u8),
        ExtractOp::I16x8S => u64::from(at(16) as i16 as i32 as u32),
        ExtractOp::I16x8U => u64::from(at(16) as u16),
        ExtractOp::I32x4 | ExtractOp::F32x4 => u64::from(at(32) as u32),
        ExtractOp::I64x2 | ExtractOp::F64x2 => at(64) as u64,
    }
}

/// Replaces the `bits`-wide lane `lane` of `a` with the low bits of `x`.
#[inline(always)]
fn insert(a: V128, bits: u32, lane: u8, x: u64) -> V128 {
    let mask = u128::MAX >> (128 - bits);
    let at = (u32::from(lane) * bits) & 127;
    (a & !(mask << at)) | ((V128::from(x) & mask) << at)
}

/// Evaluates a `replace_lane` with the scalar bits `x`.
pub fn replace_lane(op: ReplaceOp, a: V128, lane: u8, x: u64) -> V128 {
    let bits = match op {
        ReplaceOp::I8x16 => 8,
        ReplaceOp::I16x8 => 16,
        ReplaceOp::I32x4 | ReplaceOp::F32x4 => 32,
        ReplaceOp::I64x2 | ReplaceOp::F64x2 => 64,
    };
    insert(a, bits, lane, x)
}

/// `i8x16.shuffle`: byte `i` of the result is byte `lanes[i]` of `a || b`.
pub fn shuffle(lanes: &[u8; 16], a: V128, b: V128) -> V128 {
    let mut ab = [0; 32];
    ab[..16].copy_from_slice(&a.to_le_bytes());
    ab[16..].copy_from_slice(&b.to_le_bytes());
    V128::from_le_bytes(core::array::from_fn(|i| ab[usize::from(lanes[i] & 31)]))
}

/// The memory-to-vector transform of a `v128.load*` operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum LoadKind {
    /// `v128.load`.
    V128,
    /// `v128.load8x8_s`.
    I8x8S,
    /// `v128.load8x8_u`.
    I8x8U,
    /// `v128.load16x4_s`.
    I16x4S,
    /// `v128.load16x4_u`.
    I16x4U,
    /// `v128.load32x2_s`.
    I32x2S,
    /// `v128.load32x2_u`.
    I32x2U,
    /// `v128.load8_splat`.
    Splat8,
    /// `v128.load16_splat`.
    Splat16,
    /// `v128.load32_splat`.
    Splat32,
    /// `v128.load64_splat`.
    Splat64,
    /// `v128.load32_zero`.
    Zero32,
    /// `v128.load64_zero`.
    Zero64,
}

impl LoadKind {
    /// The number of bytes read from memory.
    pub fn width(self) -> u32 {
        use LoadKind::*;
        match self {
            V128 => 16,
            I8x8S | I8x8U | I16x4S | I16x4U | I32x2S | I32x2U | Splat64 | Zero64 => 8,
            Splat8 => 1,
            Splat16 => 2,
            Splat32 | Zero32 => 4,
        }
    }
}

/// Recognizes the `v128.load*` operators (not the lane forms).
pub fn load_kind(op: &Operator) -> Option<(LoadKind, MemArg)> {
    use LoadKind::*;
    Some(match *op {
        Operator::V128Load { memarg } => (V128, memarg),
        Operator::V128Load8x8S { memarg } => (I8x8S, memarg),
        Operator::V128Load8x8U { memarg } => (I8x8U, memarg),
        Operator::V128Load16x4S { memarg } => (I16x4S, memarg),
        Operator::V128Load16x4U { memarg } => (I16x4U, memarg),
        Operator::V128Load32x2S { memarg } => (I32x2S, memarg),
        Operator::V128Load32x2U { memarg } => (I32x2U, memarg),
        Operator::V128Load8Splat { memarg } => (Splat8, memarg),
        Operator::V128Load16Splat { memarg } => (Splat16, memarg),
        Operator::V128Load32Splat { memarg } => (Splat32, memarg),
        Operator::V128Load64Splat { memarg } => (Splat64, memarg),
        Operator::V128Load32Zero { memarg } => (Zero32, memarg),
        Operator::V128Load64Zero { memarg } => (Zero64, memarg),
        _ => return None,
    })
}

/// Turns the `kind.width()` bytes read from memory (little-endian, in the low
/// bits of `bytes`) into the loaded vector.
pub fn load_transform(kind: LoadKind, bytes: u128) -> V128 {
    use LoadKind::*;
    let x = bytes as u64;
    match kind {
        V128 => bytes,
        I8x8S => unary(UnOp::I16x8ExtendLowI8x16S, bytes),
        I8x8U => unary(UnOp::I16x8ExtendLowI8x16U, bytes),
        I16x4S => unary(UnOp::I32x4ExtendLowI16x8S, bytes),
        I16x4U => unary(UnOp::I32x4ExtendLowI16x8U, bytes),
        I32x2S => unary(UnOp::I64x2ExtendLowI32x4S, bytes),
        I32x2U => unary(UnOp::I64x2ExtendLowI32x4U, bytes),
        Splat8 => splat(SplatOp::I8x16, x),
        Splat16 => splat(SplatOp::I16x8, x),
        Splat32 => splat(SplatOp::I32x4, x),
        Splat64 => splat(SplatOp::I64x2, x),
        Zero32 => u128::from(x as u32),
        Zero64 => u128::from(x),
    }
}

/// The lane width of a `v128.loadN_lane`/`v128.storeN_lane` operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum LaneWidth {
    /// 8-bit lanes, 1 byte of memory.
    W8,
    /// 16-bit lanes, 2 bytes of memory.
    W16,
    /// 32-bit lanes, 4 bytes of memory.
    W32,
    /// 64-bit lanes, 8 bytes of memory.
    W64,
}

impl LaneWidth {
    /// The lane width in bytes, which is also the memory access width.
    pub fn bytes(self) -> u32 {
        match self {
            LaneWidth::W8 => 1,
            LaneWidth::W16 => 2,
            LaneWidth::W32 => 4,
            LaneWidth::W64 => 8,
        }
    }
}

/// Recognizes `v128.loadN_lane` and `v128.storeN_lane`, returning
/// `(is_store, width, memarg, lane)`.
pub fn lane_access(op: &Operator) -> Option<(bool, LaneWidth, MemArg, u8)> {
    use LaneWidth::*;
    Some(match *op {
        Operator::V128Load8Lane { memarg, lane } => (false, W8, memarg, lane),
        Operator::V128Load16Lane { memarg, lane } => (false, W16, memarg, lane),
        Operator::V128Load32Lane { memarg, lane } => (false, W32, memarg, lane),
        Operator::V128Load64Lane { memarg, lane } => (false, W64, memarg, lane),
        Operator::V128Store8Lane { memarg, lane } => (true, W8, memarg, lane),
        Operator::V128Store16Lane { memarg, lane } => (true, W16, memarg, lane),
        Operator::V128Store32Lane { memarg, lane } => (true, W32, memarg, lane),
        Operator::V128Store64Lane { memarg, lane } => (true, W64, memarg, lane),
        _ => return None,
    })
}

/// `v128.loadN_lane`: replaces lane `lane` of `a` with the bytes read from
/// memory (little-endian, in the low bits of `bytes`).
pub fn load_lane(width: LaneWidth, a: V128, lane: u8, bytes: u64) -> V128 {
    insert(a, width.bytes() * 8, lane, bytes)
}

/// `v128.storeN_lane`: the bytes to write, little-endian in the low bits.
pub fn store_lane(width: LaneWidth, a: V128, lane: u8) -> u64 {
    let bits = width.bytes() * 8;
    let mask = u128::MAX >> (128 - bits);
    ((a >> ((u32::from(lane) * bits) & 127)) & mask) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i8x16(x: [i8; 16]) -> V128 {
        build(|i| x[i])
    }
    fn i16x8(x: [i16; 8]) -> V128 {
        build(|i| x[i])
    }
    fn i32x4(x: [i32; 4]) -> V128 {
        build(|i| x[i])
    }
    fn u32x4(x: [u32; 4]) -> V128 {
        build(|i| x[i])
    }
    fn i64x2(x: [i64; 2]) -> V128 {
        build(|i| x[i])
    }
    fn f32x4(x: [f32; 4]) -> V128 {
        build(|i| x[i])
    }
    fn f64x2(x: [f64; 2]) -> V128 {
        build(|i| x[i])
    }
    fn lanes32(v: V128) -> [u32; 4] {
        core::array::from_fn(|i| lane(v, i))
    }

    /// Builds each SIMD operator with placeholder immediates and checks that
    /// exactly one of the entry points recognizes it (none for relaxed SIMD).
    #[test]
    fn classify_covers_every_simd_operator() {
        trait Dummy {
            fn dummy() -> Self;
        }
        impl Dummy for u8 {
            fn dummy() -> Self {
                1
            }
        }
        impl Dummy for [u8; 16] {
            fn dummy() -> Self {
                [3; 16]
            }
        }
        impl Dummy for wasmparser::V128 {
            fn dummy() -> Self {
                0u128.into()
            }
        }
        impl Dummy for MemArg {
            fn dummy() -> Self {
                MemArg {
                    align: 0,
                    max_align: 0,
                    offset: 7,
                    target: Default::default(),
                    ordering: None,
                }
            }
        }

        fn check(proposal: &str, op: &Operator) -> (usize, usize) {
            let hits = usize::from(classify(op).is_some())
                + usize::from(load_kind(op).is_some())
                + usize::from(lane_access(op).is_some())
                + usize::from(matches!(
                    op,
                    Operator::V128Const { .. } | Operator::V128Store { .. }
                ));
            match proposal {
                "simd" => assert_eq!(hits, 1, "{op:?}"),
                _ => assert_eq!(hits, 0, "{op:?}"),
            }
            (
                usize::from(proposal == "simd"),
                usize::from(classify(op).is_some()),
            )
        }

        macro_rules! check_all {
            ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })?
                => $visit:ident ($($ann:tt)*) )*) => {{
                let (mut simd, mut classified) = (0, 0);
                $(
                    let op = Operator::$op $({ $($arg: <$argty as Dummy>::dummy()),* })?;
                    let (s, c) = check(stringify!($proposal), &op);
                    simd += s;
                    classified += c;
                )*
                (simd, classified)
            }};
        }
        let (simd, classified) = wasmparser::for_each_visit_simd_operator!(check_all);
        // Everything but v128.const and the 22 memory operators.
        assert_eq!(simd, 236);
        assert_eq!(classified, simd - 23);

        for op in [
            Operator::Nop,
            Operator::I32Add,
            Operator::F32Min,
            Operator::End,
        ] {
            assert_eq!(classify(&op), None);
            assert_eq!(load_kind(&op), None);
            assert_eq!(lane_access(&op), None);
        }
        assert_eq!(
            classify(&Operator::I8x16ExtractLaneS { lane: 5 }),
            Some(SimdOp::ExtractLane(ExtractOp::I8x16S, 5))
        );
        assert_eq!(
            classify(&Operator::F64x2ReplaceLane { lane: 1 }),
            Some(SimdOp::ReplaceLane(ReplaceOp::F64x2, 1))
        );
        assert_eq!(
            classify(&Operator::I8x16Shuffle { lanes: [9; 16] }),
            Some(SimdOp::Shuffle([9; 16]))
        );
        assert_eq!(
            classify(&Operator::I16x8Q15MulrSatS),
            Some(SimdOp::Binary(BinOp::I16x8Q15MulrSatS))
        );
        assert_eq!(
            classify(&Operator::V128Bitselect),
            Some(SimdOp::Ternary(TernOp::V128Bitselect))
        );
    }

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

    #[test]
    fn enums_are_small() {
        assert_eq!(size_of::<UnOp>(), 1);
        assert_eq!(size_of::<BinOp>(), 1);
        assert_eq!(size_of::<SimdOp>(), 17);
    }
}
