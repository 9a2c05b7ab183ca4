//! Linear-memory loads and stores, the `f64` arithmetic with a fused load,
//! `memory.size` and `memory.grow`.
//!
//! Every access is bounds-checked against the memory's current length:
//! the effective address is computed in `usize` (it cannot wrap), except
//! in the fused `W` and `Idx` forms, where the translator took over an
//! `i32.add` whose 32-bit wrap-around the address keeps. Values are
//! little-endian at any alignment.

use super::slots::{g128, g32, g64, s32, s64, SlotValue};
use crate::interp::code::Slot;
use crate::vm::memory::WASM_PAGE;
use crate::vm::LinearMemory;
use kiln_format::TrapCode;
use std::ops::{BitAnd, BitOr, BitXor};
use std::ptr;

/// The current memory's base and length, cached by the dispatch loop and
/// refreshed after anything that may grow or move it.
#[derive(Clone, Copy)]
pub(super) struct View {
    pub base: *mut u8,
    pub len: usize,
}

/// A value read from or written to memory.
pub(super) trait Access: Copy {
    /// Converts between little-endian and native byte order (either way).
    fn le(self) -> Self;
}

macro_rules! access {
    ($($t:ty)*) => {$(
        impl Access for $t {
            #[inline(always)]
            fn le(self) -> Self {
                <$t>::from_le(self)
            }
        }
    )*};
}
access!(u8 i8 u16 i16 u32 i32 u64 u128);

/// Reads a `T` at `ea`, trapping when it does not lie inside the memory.
///
/// # Safety
/// `view` must describe the current memory.
#[inline(always)]
pub(super) unsafe fn read<T: Access>(view: View, ea: usize) -> Result<T, TrapCode> {
    if ea + std::mem::size_of::<T>() > view.len {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    // SAFETY: `ea..ea + size` lies inside the memory (checked above).
    Ok(T::le(unsafe {
        ptr::read_unaligned(view.base.add(ea) as *const T)
    }))
}

/// Writes `v` at `ea`, trapping when it does not lie inside the memory.
///
/// # Safety
/// `view` must describe the current memory.
#[inline(always)]
pub(super) unsafe fn write<T: Access>(view: View, ea: usize, v: T) -> Result<(), TrapCode> {
    if ea + std::mem::size_of::<T>() > view.len {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    // SAFETY: `ea..ea + size` lies inside the memory (checked above).
    unsafe { ptr::write_unaligned(view.base.add(ea) as *mut T, v.le()) };
    Ok(())
}

/// Defines, per load, its plain handler `name(.., addr, offset)` and when
/// listed its wrapping `name_w(.., a, imm)` and indexed
/// `name_idx(.., a, b, scale)` forms: `name: T => R` reads a `T` and
/// stores it in the result slot as an `R` (sign- or zero-extending).
macro_rules! loads {
    ($($name:ident $(, w: $w:ident)? $(, idx: $idx:ident)?: $t:ty => $r:ty;)*) => {$(
        #[inline(always)]
        pub(super) unsafe fn $name(fp: *mut u64, view: View, dst: Slot, addr: Slot, offset: u32) -> Result<(), TrapCode> {
            // SAFETY: the caller guarantees the slots lie in the frame and
            // `view` describes the current memory.
            unsafe {
                let v: $t = read(view, g32(fp, addr) as usize + offset as usize)?;
                <$r as SlotValue>::set(fp, dst, v as $r);
            }
            Ok(())
        }
        $(
        #[inline(always)]
        pub(super) unsafe fn $w(fp: *mut u64, view: View, dst: Slot, a: Slot, imm: i32) -> Result<(), TrapCode> {
            // SAFETY: as for the plain form.
            unsafe {
                let v: $t = read(view, g32(fp, a).wrapping_add(imm as u32) as usize)?;
                <$r as SlotValue>::set(fp, dst, v as $r);
            }
            Ok(())
        }
        )?
        $(
        #[inline(always)]
        pub(super) unsafe fn $idx(fp: *mut u64, view: View, dst: Slot, a: Slot, b: Slot, scale: u8) -> Result<(), TrapCode> {
            // SAFETY: as for the plain form.
            unsafe {
                let v: $t = read(view, g32(fp, a).wrapping_add(g32(fp, b).wrapping_mul(scale as u32)) as usize)?;
                <$r as SlotValue>::set(fp, dst, v as $r);
            }
            Ok(())
        }
        )?
    )*};
}

loads! {
    i32_load, w: i32_load_w, idx: i32_load_idx: u32 => u32;
    i64_load, w: i64_load_w, idx: i64_load_idx: u64 => u64;
    i32_load8_u, w: i32_load8_u_w, idx: i32_load8_u_idx: u8 => u32;
    i32_load8_s, w: i32_load8_s_w: i8 => i32;
    i32_load16_u, w: i32_load16_u_w: u16 => u32;
    i32_load16_s, w: i32_load16_s_w: i16 => i32;
    i64_load8_s: i8 => i64;
    i64_load8_u: u8 => u64;
    i64_load16_s: i16 => i64;
    i64_load16_u: u16 => u64;
    i64_load32_s: i32 => i64;
    i64_load32_u: u32 => u64;
    v128_load: u128 => u128;
}

/// Defines the loads at `((a << shift) + imm) mod 2^32`: `name: T`.
macro_rules! loads_shl_w {
    ($($name:ident: $t:ty;)*) => {$(
        #[inline(always)]
        pub(super) unsafe fn $name(fp: *mut u64, view: View, dst: Slot, a: Slot, shift: u8, imm: i32) -> Result<(), TrapCode> {
            // SAFETY: the caller guarantees the slots lie in the frame and
            // `view` describes the current memory.
            unsafe {
                let ea = (g32(fp, a) << (shift & 31)).wrapping_add(imm as u32);
                let v: $t = read(view, ea as usize)?;
                <$t as SlotValue>::set(fp, dst, v);
            }
            Ok(())
        }
    )*};
}

loads_shl_w! {
    i32_load_shl_w: u32;
    i64_load_shl_w: u64;
}

/// Defines, per store, its plain handler `name(.., addr, value, offset)`
/// and when listed its wrapping form `name_w(.., addr, value, imm)`: the
/// value slot is truncated to a `T`.
macro_rules! stores {
    ($($name:ident $(, w: $w:ident)?: $t:ty = $get:ident;)*) => {$(
        #[inline(always)]
        pub(super) unsafe fn $name(fp: *mut u64, view: View, addr: Slot, value: Slot, offset: u32) -> Result<(), TrapCode> {
            // SAFETY: the caller guarantees the slots lie in the frame and
            // `view` describes the current memory.
            unsafe {
                let v = $get(fp, value) as $t;
                write(view, g32(fp, addr) as usize + offset as usize, v)
            }
        }
        $(
        #[inline(always)]
        pub(super) unsafe fn $w(fp: *mut u64, view: View, addr: Slot, value: Slot, imm: i32) -> Result<(), TrapCode> {
            // SAFETY: as for the plain form.
            unsafe {
                let v = $get(fp, value) as $t;
                write(view, g32(fp, addr).wrapping_add(imm as u32) as usize, v)
            }
        }
        )?
    )*};
}

stores! {
    i32_store, w: i32_store_w: u32 = g64;
    i64_store, w: i64_store_w: u64 = g64;
    i32_store8, w: i32_store8_w: u8 = g64;
    i32_store16: u16 = g64;
    i64_store32: u32 = g64;
    v128_store: u128 = g128;
}

/// `SelectI32*Store`: stores the low 32 bits of slot `a` if `cmp` holds
/// for slots `x` and `y`, else of slot `b`, at slot `addr` plus `offset`.
///
/// # Safety
/// The frame at `fp` must hold every slot named; `view` must describe the
/// current memory.
#[inline(always)]
pub(super) unsafe fn select_store(
    fp: *mut u64,
    view: View,
    a: Slot,
    b: Slot,
    offset: u32,
    (x, y, addr): (Slot, Slot, u32),
    cmp: impl Fn(u32, u32) -> bool,
) -> Result<(), TrapCode> {
    // SAFETY: the caller's guarantee.
    unsafe {
        let v = if cmp(g32(fp, x), g32(fp, y)) {
            g32(fp, a)
        } else {
            g32(fp, b)
        };
        write(view, g32(fp, addr) as usize + offset as usize, v)
    }
}

/// Defines the `f64` add/sub/mul with the right operand loaded from memory:
/// `name(.., a, addr, offset)` and the wrapping `name_w(.., a, addr, imm)`.
macro_rules! f64_load_arith {
    ($($name:ident, w: $w:ident: $op:tt;)*) => {$(
        #[inline(always)]
        pub(super) unsafe fn $name(fp: *mut u64, view: View, dst: Slot, a: u16, addr: u16, offset: u32) -> Result<(), TrapCode> {
            // SAFETY: the caller guarantees the slots lie in the frame and
            // `view` describes the current memory.
            unsafe {
                let m = f64::from_bits(read(view, g32(fp, addr as u32) as usize + offset as usize)?);
                <f64 as SlotValue>::set(fp, dst, <f64 as SlotValue>::get(fp, a as u32) $op m);
            }
            Ok(())
        }
        #[inline(always)]
        pub(super) unsafe fn $w(fp: *mut u64, view: View, dst: Slot, a: u16, addr: u16, imm: i32) -> Result<(), TrapCode> {
            // SAFETY: as for the plain form.
            unsafe {
                let m = f64::from_bits(read(view, g32(fp, addr as u32).wrapping_add(imm as u32) as usize)?);
                <f64 as SlotValue>::set(fp, dst, <f64 as SlotValue>::get(fp, a as u32) $op m);
            }
            Ok(())
        }
    )*};
}

f64_load_arith! {
    f64_add_load, w: f64_add_load_w: +;
    f64_sub_load, w: f64_sub_load_w: -;
    f64_mul_load, w: f64_mul_load_w: *;
}

/// Defines the `f64` add/sub/mul whose result is also stored to memory:
/// `name(.., a, b, addr, offset)` (`dst = a op b`, stored at `addr +
/// offset`) and `to_mem(.., a, addr, offset)` (the left operand `a`, the
/// right one read from `addr + offset`, the result written back there).
macro_rules! f64_arith_store {
    ($($name:ident, to_mem: $m:ident: $op:tt;)*) => {$(
        #[inline(always)]
        pub(super) unsafe fn $name(fp: *mut u64, view: View, dst: Slot, a: u16, b: u16, addr: u16, offset: u32) -> Result<(), TrapCode> {
            // SAFETY: the caller guarantees the slots lie in the frame and
            // `view` describes the current memory.
            unsafe {
                let r = <f64 as SlotValue>::get(fp, a as u32) $op <f64 as SlotValue>::get(fp, b as u32);
                let ea = g32(fp, addr as u32) as usize + offset as usize;
                <f64 as SlotValue>::set(fp, dst, r);
                write(view, ea, r.to_bits())
            }
        }
        #[inline(always)]
        pub(super) unsafe fn $m(fp: *mut u64, view: View, dst: Slot, a: u16, addr: u16, offset: u32) -> Result<(), TrapCode> {
            // SAFETY: as above.
            unsafe {
                let ea = g32(fp, addr as u32) as usize + offset as usize;
                let r = <f64 as SlotValue>::get(fp, a as u32) $op f64::from_bits(read(view, ea)?);
                <f64 as SlotValue>::set(fp, dst, r);
                write(view, ea, r.to_bits())
            }
        }
    )*};
}

f64_arith_store! {
    f64_add_store, to_mem: f64_add_to_mem: +;
    f64_sub_store, to_mem: f64_sub_to_mem: -;
    f64_mul_store, to_mem: f64_mul_to_mem: *;
}

/// Defines the `i64` operations whose result is also stored to memory:
/// `name(.., a, b, addr, offset)` (`dst = a op b`, stored at `addr +
/// offset`), `op` a method of `u64` such as `wrapping_add`.
macro_rules! i64_arith_store {
    ($($name:ident: $op:ident;)*) => {$(
        #[inline(always)]
        pub(super) unsafe fn $name(fp: *mut u64, view: View, dst: Slot, a: u16, b: u16, addr: u16, offset: u32) -> Result<(), TrapCode> {
            // SAFETY: the caller guarantees the slots lie in the frame and
            // `view` describes the current memory.
            unsafe {
                let r = g64(fp, a as u32).$op(g64(fp, b as u32));
                let ea = g32(fp, addr as u32) as usize + offset as usize;
                s64(fp, dst, r);
                write(view, ea, r)
            }
        }
    )*};
}

i64_arith_store! {
    i64_add_store: wrapping_add;
    i64_sub_store: wrapping_sub;
    i64_mul_store: wrapping_mul;
    i64_and_store: bitand;
    i64_or_store: bitor;
    i64_xor_store: bitxor;
}

/// `memory.size`.
///
/// # Safety
/// The frame at `fp` must hold slot `dst`.
#[inline(always)]
pub(super) unsafe fn size(fp: *mut u64, view: View, dst: Slot) {
    // SAFETY: the caller's guarantee.
    unsafe { s32(fp, dst, (view.len / WASM_PAGE) as u32) }
}

/// `memory.grow`: returns the memory's new view.
///
/// # Safety
/// `mem` must point to the live current memory (validation guarantees one)
/// and the frame at `fp` must hold slots `dst` and `delta`.
#[inline(always)]
pub(super) unsafe fn grow(fp: *mut u64, mem: *mut LinearMemory, dst: Slot, delta: Slot) -> View {
    // SAFETY: the caller's guarantee; nothing else borrows the memory now.
    unsafe {
        let r = (*mem)
            .grow(g32(fp, delta) as u64)
            .map_or(u32::MAX, |old| old as u32);
        let view = super::frame::view_of(mem);
        s32(fp, dst, r);
        view
    }
}
