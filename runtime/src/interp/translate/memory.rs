//! Linear-memory loads and stores, `memory.size` and `memory.grow`.
//!
//! A load or store whose address is an `i32.add` just computed may take
//! the addition over: `(a + imm)` gives the wrapping (`W`) forms and
//! `(a + b * 2^shift)` the indexed (`Idx`) forms (see [`super::fuse`]).
//! `f32`/`f64` accesses use the `i32`/`i64` ops of the same width.

use super::operators::Imm;
use super::Translator;
use crate::interp::code::{Op, Slot};
use crate::types::ValType;
use wasmparser::{MemArg, Operator as O};

use ValType::{F32, F64, I32, I64, V128};

/// Builds a plain load op from its result, address slot and offset.
type Load = fn(Slot, Slot, u32) -> Op;
/// Builds an indexed load op.
type Indexed = fn(Slot, Slot, Slot, u8) -> Op;
/// Builds a shifted-wrapping load op.
type ShlW = fn(Slot, Slot, u8, i32) -> Op;

macro_rules! load {
    ($t:ident, $ty:expr, $m:expr, $v:ident) => {
        $t.load(
            $ty,
            |dst, addr, offset| Op::$v { dst, addr, offset },
            None,
            $m,
        )
    };
    ($t:ident, $ty:expr, $m:expr, $v:ident, $w:ident) => {
        $t.load(
            $ty,
            |dst, addr, offset| Op::$v { dst, addr, offset },
            imm!($w),
            $m,
        )
    };
}
macro_rules! store {
    ($t:ident, $m:expr, $v:ident) => {
        $t.store(
            |addr, value, offset| Op::$v {
                addr,
                value,
                offset,
            },
            None,
            $m,
        )
    };
    ($t:ident, $m:expr, $v:ident, $w:ident) => {
        $t.store(
            |addr, value, offset| Op::$v {
                addr,
                value,
                offset,
            },
            Some(|addr, value, imm| Op::$w { addr, value, imm }),
            $m,
        )
    };
}

impl Translator<'_> {
    /// Translates the memory access operators; false for any other.
    pub(super) fn memory_op(&mut self, op: &O) -> bool {
        match *op {
            O::I32Load { memarg } => load!(self, I32, memarg, I32Load, I32LoadW),
            O::I64Load { memarg } => load!(self, I64, memarg, I64Load, I64LoadW),
            O::F32Load { memarg } => load!(self, F32, memarg, I32Load, I32LoadW),
            O::F64Load { memarg } => load!(self, F64, memarg, I64Load, I64LoadW),
            O::I32Load8S { memarg } => load!(self, I32, memarg, I32Load8S, I32Load8SW),
            O::I32Load8U { memarg } => load!(self, I32, memarg, I32Load8U, I32Load8UW),
            O::I32Load16S { memarg } => load!(self, I32, memarg, I32Load16S, I32Load16SW),
            O::I32Load16U { memarg } => load!(self, I32, memarg, I32Load16U, I32Load16UW),
            O::I64Load8S { memarg } => load!(self, I64, memarg, I64Load8S),
            O::I64Load8U { memarg } => load!(self, I64, memarg, I64Load8U),
            O::I64Load16S { memarg } => load!(self, I64, memarg, I64Load16S),
            O::I64Load16U { memarg } => load!(self, I64, memarg, I64Load16U),
            O::I64Load32S { memarg } => load!(self, I64, memarg, I64Load32S),
            O::I64Load32U { memarg } => load!(self, I64, memarg, I64Load32U),
            O::I32Store { memarg } | O::F32Store { memarg } => {
                store!(self, memarg, I32Store, I32StoreW)
            }
            O::I64Store { memarg } | O::F64Store { memarg } => {
                store!(self, memarg, I64Store, I64StoreW)
            }
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => {
                store!(self, memarg, I32Store8, I32Store8W)
            }
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => store!(self, memarg, I32Store16),
            O::I64Store32 { memarg } => store!(self, memarg, I64Store32),
            O::V128Load { memarg } => load!(self, V128, memarg, V128Load),
            O::V128Store { memarg } => store!(self, memarg, V128Store),
            O::MemorySize { .. } => {
                let dst = self.push_result(I32);
                self.emit_result(Op::MemorySize { dst });
            }
            O::MemoryGrow { .. } => self.unary(I32, |dst, delta| Op::MemoryGrow { dst, delta }),
            _ => return false,
        }
        true
    }

    fn load(&mut self, ty: ValType, f: Load, fw: Option<Imm>, m: MemArg) {
        if m.offset == 0 && self.load_byte_indexed(ty, f(0, 0, 0)) {
            return;
        }
        if let (0, Some(fx)) = (m.offset, indexed_form(f)) {
            if let Some((a, b, scale)) = self.take_add_index() {
                let dst = self.push_result(ty);
                self.emit_result(fx(dst, a, b, scale));
                return;
            }
        }
        if let (0, Some(fs)) = (m.offset, shl_form(f)) {
            if let Some((a, shift, imm)) = self.take_shl_add_imm() {
                let dst = self.push_result(ty);
                self.emit_result(fs(dst, a, shift, imm));
                return;
            }
        }
        if let (0, Some(fw)) = (m.offset, fw) {
            if let Some((a, imm)) = self.take_add_imm() {
                let dst = self.push_result(ty);
                self.emit_result(fw(dst, a, imm));
                return;
            }
        }
        let addr = self.pop();
        let dst = self.push_result(ty);
        self.emit_result(f(dst, addr, m.offset as u32));
    }

    fn store(
        &mut self,
        f: fn(Slot, Slot, u32) -> Op,
        fw: Option<fn(Slot, Slot, i32) -> Op>,
        m: MemArg,
    ) {
        if matches!(f(0, 0, 0), Op::I32Store8 { .. }) && self.fuse_byte_copy(m.offset as u32) {
            return;
        }
        let value = self.pop();
        if matches!(f(0, 0, 0), Op::I32Store { .. })
            && self.fuse_select_store(value, m.offset as u32)
        {
            return;
        }
        if matches!(f(0, 0, 0), Op::I64Store { .. })
            && self.fuse_arith_store(value, m.offset as u32)
        {
            return;
        }
        if let (0, Some(fw)) = (m.offset, fw) {
            if let Some((a, imm)) = self.take_add_imm() {
                self.emit(fw(a, value, imm));
                return;
            }
            if let Some((a, imm)) = self.take_earlier_add_imm() {
                self.emit(fw(a, value, imm));
                return;
            }
        }
        let addr = self.pop();
        self.emit(f(addr, value, m.offset as u32));
    }
}

/// The indexed form of a plain load, for the loads that have one.
fn indexed_form(f: Load) -> Option<Indexed> {
    Some(match f(0, 0, 0) {
        Op::I32Load { .. } => |dst, a, b, scale| Op::I32LoadIdx { dst, a, b, scale },
        Op::I64Load { .. } => |dst, a, b, scale| Op::I64LoadIdx { dst, a, b, scale },
        Op::I32Load8U { .. } => |dst, a, b, scale| Op::I32Load8UIdx { dst, a, b, scale },
        _ => return None,
    })
}

/// The shifted-wrapping form of a plain load, for the loads that have one.
fn shl_form(f: Load) -> Option<ShlW> {
    Some(match f(0, 0, 0) {
        Op::I32Load { .. } => |dst, a, shift, imm| Op::I32LoadShlW { dst, a, shift, imm },
        Op::I64Load { .. } => |dst, a, shift, imm| Op::I64LoadShlW { dst, a, shift, imm },
        _ => return None,
    })
}
