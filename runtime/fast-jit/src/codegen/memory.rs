//! Linear memory: loads and stores (bounds by guard pages: the address is
//! `membase + zero-extended index + offset`), `memory.size`, `memory.grow`
//! and the bulk operators.

use super::call::NativeArg;
use super::stack::Src;
use super::FuncGen;
use crate::masm::*;
use crate::CompileError;
use kiln_format::TrapCode;
use wasmparser::{MemArg, Operator};

/// Whether `op` accesses linear memory through the memory base register.
pub(super) fn touches_memory(op: &Operator<'_>) -> bool {
    use Operator::*;
    matches!(
        op,
        I32Load { .. }
            | I64Load { .. }
            | F32Load { .. }
            | F64Load { .. }
            | I32Load8S { .. }
            | I32Load8U { .. }
            | I32Load16S { .. }
            | I32Load16U { .. }
            | I64Load8S { .. }
            | I64Load8U { .. }
            | I64Load16S { .. }
            | I64Load16U { .. }
            | I64Load32S { .. }
            | I64Load32U { .. }
            | I32Store { .. }
            | I64Store { .. }
            | F32Store { .. }
            | F64Store { .. }
            | I32Store8 { .. }
            | I32Store16 { .. }
            | I64Store8 { .. }
            | I64Store16 { .. }
            | I64Store32 { .. }
    ) || super::simd_shape::memarg(op).is_some()
}

/// Offsets up to this fold into the address; larger ones are checked
/// explicitly (the guard region after the 4 GiB range is 2 GiB).
const MAX_FOLDED_OFFSET: u64 = i32::MAX as u64;

impl<M: MacroAssembler> FuncGen<'_, M> {
    /// Memory operators; returns whether `op` was one.
    pub(super) fn memory_op(&mut self, op: &Operator<'_>) -> Result<bool, CompileError> {
        use LoadKind as L;
        use Operator as O;
        match *op {
            O::I32Load { memarg } => self.load(L::Full(Kind::I32), Kind::I32, memarg),
            O::I64Load { memarg } => self.load(L::Full(Kind::I64), Kind::I64, memarg),
            O::F32Load { memarg } => self.load(L::Full(Kind::F32), Kind::F32, memarg),
            O::F64Load { memarg } => self.load(L::Full(Kind::F64), Kind::F64, memarg),
            O::I32Load8S { memarg } => self.load(L::I8S(false), Kind::I32, memarg),
            O::I32Load8U { memarg } => self.load(L::I8U(false), Kind::I32, memarg),
            O::I32Load16S { memarg } => self.load(L::I16S(false), Kind::I32, memarg),
            O::I32Load16U { memarg } => self.load(L::I16U(false), Kind::I32, memarg),
            O::I64Load8S { memarg } => self.load(L::I8S(true), Kind::I64, memarg),
            O::I64Load8U { memarg } => self.load(L::I8U(true), Kind::I64, memarg),
            O::I64Load16S { memarg } => self.load(L::I16S(true), Kind::I64, memarg),
            O::I64Load16U { memarg } => self.load(L::I16U(true), Kind::I64, memarg),
            O::I64Load32S { memarg } => self.load(L::I32S, Kind::I64, memarg),
            O::I64Load32U { memarg } => self.load(L::I32U, Kind::I64, memarg),
            O::I32Store { memarg } => self.store(4, Kind::I32, memarg),
            O::I64Store { memarg } => self.store(8, Kind::I64, memarg),
            O::F32Store { memarg } => self.store(4, Kind::F32, memarg),
            O::F64Store { memarg } => self.store(8, Kind::F64, memarg),
            O::I32Store8 { memarg } => self.store(1, Kind::I32, memarg),
            O::I32Store16 { memarg } => self.store(2, Kind::I32, memarg),
            O::I64Store8 { memarg } => self.store(1, Kind::I64, memarg),
            O::I64Store16 { memarg } => self.store(2, Kind::I64, memarg),
            O::I64Store32 { memarg } => self.store(4, Kind::I64, memarg),
            O::MemorySize { mem, .. } => {
                let r = self.alloc(false);
                let def = self.offsets.memory(mem) as i32;
                self.masm
                    .load(LoadKind::Full(Kind::I64), r, Mem::at(M::VMCTX, def));
                let len = self.offsets.memory_length() as i32;
                self.masm
                    .load(LoadKind::Full(Kind::I64), r, Mem::at(r, len));
                self.masm.int_op(IntOp::ShrU, true, r, r, Operand::Imm(16));
                self.push_reg(Kind::I32, r);
            }
            O::MemoryGrow { mem, .. } => {
                let f = self.rt.memory_grow;
                self.call_native(
                    f,
                    &[
                        NativeArg::Vmctx,
                        NativeArg::Imm(mem as u64),
                        NativeArg::Value(0),
                    ],
                    1,
                    Some(Kind::I32),
                );
            }
            O::MemoryFill { mem } => {
                let f = crate::helpers::memory_fill as *const () as usize;
                let args = [
                    NativeArg::MemoryDef(mem),
                    NativeArg::Value(0),
                    NativeArg::Value(1),
                    NativeArg::Value(2),
                ];
                self.call_checked(f, &args, 3);
            }
            O::MemoryCopy { dst_mem, src_mem } => {
                let f = crate::helpers::memory_copy as *const () as usize;
                let args = [
                    NativeArg::MemoryDef(dst_mem),
                    NativeArg::MemoryDef(src_mem),
                    NativeArg::Value(0),
                    NativeArg::Value(1),
                    NativeArg::Value(2),
                ];
                self.call_checked(f, &args, 3);
            }
            O::MemoryInit { data_index, mem } => {
                let f = self.rt.memory_init;
                let args = [
                    NativeArg::Vmctx,
                    NativeArg::Imm(mem as u64),
                    NativeArg::Imm(data_index as u64),
                    NativeArg::Value(0),
                    NativeArg::Value(1),
                    NativeArg::Value(2),
                ];
                self.call_native(f, &args, 3, None);
            }
            O::DataDrop { data_index } => {
                let f = self.rt.data_drop;
                let args = [NativeArg::Vmctx, NativeArg::Imm(data_index as u64)];
                self.call_native(f, &args, 0, None);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The operand addressing `width` bytes at `addr + offset`, and a
    /// register to free afterwards.
    pub(super) fn address(&mut self, addr: Src, offset: u64, width: u32) -> (Mem, Option<Reg>) {
        if let Src::Const(a) = addr {
            let ea = a as u32 as u64 + offset;
            if ea <= MAX_FOLDED_OFFSET {
                return (Mem::at(M::MEMBASE, ea as i32), None);
            }
        }
        let addr = self.src_reg(addr, Kind::I32);
        let r = addr.reg().expect("in a register");
        if offset <= MAX_FOLDED_OFFSET {
            let m = Mem {
                base: M::MEMBASE,
                index: Some(r),
                disp: offset as i32,
            };
            return (
                m,
                if let Src::Temp(t) = addr {
                    Some(t)
                } else {
                    None
                },
            );
        }
        // Explicit check: addr + offset + width <= length.
        let end = self.alloc(false);
        self.masm
            .mov_const(Kind::I64, end, (offset + width as u64) as u128);
        self.masm
            .int_op(IntOp::Add, true, end, end, Operand::Reg(r));
        self.free_src(addr);
        let len = self.alloc(false);
        let def = self.offsets.memory(0) as i32;
        self.masm
            .load(LoadKind::Full(Kind::I64), len, Mem::at(M::VMCTX, def));
        let length = self.offsets.memory_length() as i32;
        self.masm
            .load(LoadKind::Full(Kind::I64), len, Mem::at(len, length));
        self.masm.int_cmp(true, end, Operand::Reg(len));
        let oob = self.trap_label(TrapCode::MemoryOutOfBounds);
        self.masm.jump_if(Cond::GtU, oob);
        self.free(len);
        let m = Mem {
            base: M::MEMBASE,
            index: Some(end),
            disp: -(width as i32),
        };
        (m, Some(end))
    }

    fn load(&mut self, kind: LoadKind, result: Kind, memarg: MemArg) {
        let addr = self.pop_src();
        let (m, tmp) = self.address(addr, memarg.offset, kind.width());
        let dst = match tmp {
            Some(t) if !result.is_float() => t,
            _ => self.alloc_for(result),
        };
        self.masm.load(kind, dst, m);
        if let Some(t) = tmp.filter(|t| *t != dst) {
            self.free(t);
        }
        self.push_reg(result, dst);
    }

    fn store(&mut self, width: u32, kind: Kind, memarg: MemArg) {
        let value = self.pop_src();
        let addr = self.pop_src();
        let (m, tmp) = self.address(addr, memarg.offset, width);
        match value {
            Src::Const(bits) if width == super::stack::width(kind) => {
                self.masm.store_const(kind, m, bits)
            }
            _ => {
                let v = self.src_reg(value, kind);
                self.masm.store(width, m, v.reg().expect("in a register"));
                self.free_src(v);
            }
        }
        if let Some(t) = tmp {
            self.free(t);
        }
    }
}
