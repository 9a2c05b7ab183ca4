//! The pure halves of the memory operators: recognizing `v128.load*` and
//! the lane loads/stores, and turning the accessed bytes into vectors.

use super::access::insert;
use super::{splat, unary, SplatOp, UnOp, V128};
use wasmparser::{MemArg, Operator};

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
