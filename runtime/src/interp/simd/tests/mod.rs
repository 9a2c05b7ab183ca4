//! Unit tests of the SIMD semantics, grouped like the implementation, and
//! the lane-building helpers they share.

mod access;
mod classify;
mod convert;
mod float;
mod integer;
mod memory;
mod swar;

use super::lanes::{build, lane};
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
