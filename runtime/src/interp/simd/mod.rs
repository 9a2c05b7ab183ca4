//! Semantics of the WebAssembly 2.0 fixed-width SIMD (`v128`) operators.
//!
//! A `v128` is a [`V128`] (`u128`) in little-endian lane order: lane 0 is the
//! least significant bits, matching the byte order in linear memory. Scalars
//! cross the boundary as `u64` bits, with i32/f32 in the low 32 bits and the
//! upper bits zero.
//!
//! [`classify()`] sorts every non-memory, non-const SIMD operator into a
//! [`SimdOp`] whose payload is evaluated by the matching function
//! ([`unary()`], [`binary()`], ...). Memory operators are split into a byte access,
//! done by the interpreter, and a pure transform here ([`load_kind`] with
//! [`load_transform`], [`lane_access`] with [`load_lane`]/[`store_lane`]).
//!
//! Lane indices are validated before execution; these functions mask them to
//! the valid range instead of panicking.

mod access;
mod binary;
mod classify;
mod lanes;
mod memory;
mod reduce;
mod shift;
mod swar;
#[cfg(test)]
mod tests;
mod unary;

pub use access::{extract_lane, replace_lane, shuffle, splat};
pub use binary::{binary, ternary};
pub use classify::{classify, BinOp, ExtractOp, ReplaceOp, ShiftOp, SplatOp, TernOp, TestOp, UnOp};
pub use memory::{
    lane_access, load_kind, load_lane, load_transform, store_lane, LaneWidth, LoadKind,
};
pub use reduce::test;
pub use shift::shift;
pub use unary::unary;

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
