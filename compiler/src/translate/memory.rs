//! Linear-memory loads and stores, `memory.size` and `memory.grow`.
//!
//! The effective address is `base + zext(addr) + offset`, computed in 64
//! bits so it cannot wrap. In guard-page mode there is no check: a 32-bit
//! memory reserves 4 GiB plus a [`GUARD_BYTES`] guard region (SPEC §1), so
//! any access with `offset + size <= GUARD_BYTES` lands in the reservation
//! and a stray one faults in the guard. Larger static offsets, and every
//! access in `--bounds-checks=1` mode, compare `zext(addr) + offset + size`
//! with the definition's current length and trap `MemoryOutOfBounds`.
//! All accesses use alignment 1: the wasm alignment is only a hint.
//!
//! Every access is volatile. In guard-page mode an out-of-bounds access
//! traps by faulting, which LLVM does not know: it would delete a load
//! whose value ends up unused (dropped, overwritten, fed to dead code),
//! and move or merge accesses across one that faults, so a trap could go
//! missing or memory could show stores that follow it. Volatile accesses
//! stay, once each, in program order. For the same reason `global.set`,
//! `table.set` and the bulk `memory.fill`/`memory.copy` are volatile too:
//! what they write is visible after a trap, so a later write to the same
//! place must not remove them. The one exception is the fast copy of a
//! versioned loop ([`super::loop_version`]), whose accesses were shown to
//! be in bounds before it starts: they are plain accesses, unchecked.

use super::FuncTranslator;
use crate::error::{CompileError, Result};
use inkwell::types::{BasicTypeEnum, IntType};
use inkwell::values::{BasicValue, PointerValue};
use inkwell::IntPredicate;
use kiln_format::TrapCode;
use wasmparser::{MemArg, MemArgTarget, Operator};

/// Bytes of guard region after the 4 GiB of a 32-bit memory's reservation.
pub const GUARD_BYTES: u64 = 2 << 30;

/// How a loaded narrow integer is widened.
#[derive(Clone, Copy)]
enum Ext {
    None,
    Signed,
    Unsigned,
}

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Memory operators; returns whether `op` was one.
    pub(super) fn memory(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        let i8t = self.ctx.i8_type();
        let i16t = self.ctx.i16_type();
        let i32t = self.ctx.i32_type();
        let i64t = self.ctx.i64_type();
        let f32t: BasicTypeEnum = self.ctx.f32_type().into();
        let f64t: BasicTypeEnum = self.ctx.f64_type().into();
        match op {
            O::I32Load { memarg } => self.load_op(memarg, i32t.into(), None, Ext::None)?,
            O::I64Load { memarg } => self.load_op(memarg, i64t.into(), None, Ext::None)?,
            O::F32Load { memarg } => self.load_op(memarg, f32t, None, Ext::None)?,
            O::F64Load { memarg } => self.load_op(memarg, f64t, None, Ext::None)?,
            O::I32Load8S { memarg } => self.load_op(memarg, i8t.into(), Some(i32t), Ext::Signed)?,
            O::I32Load8U { memarg } => {
                self.load_op(memarg, i8t.into(), Some(i32t), Ext::Unsigned)?
            }
            O::I32Load16S { memarg } => {
                self.load_op(memarg, i16t.into(), Some(i32t), Ext::Signed)?
            }
            O::I32Load16U { memarg } => {
                self.load_op(memarg, i16t.into(), Some(i32t), Ext::Unsigned)?
            }
            O::I64Load8S { memarg } => self.load_op(memarg, i8t.into(), Some(i64t), Ext::Signed)?,
            O::I64Load8U { memarg } => {
                self.load_op(memarg, i8t.into(), Some(i64t), Ext::Unsigned)?
            }
            O::I64Load16S { memarg } => {
                self.load_op(memarg, i16t.into(), Some(i64t), Ext::Signed)?
            }
            O::I64Load16U { memarg } => {
                self.load_op(memarg, i16t.into(), Some(i64t), Ext::Unsigned)?
            }
            O::I64Load32S { memarg } => {
                self.load_op(memarg, i32t.into(), Some(i64t), Ext::Signed)?
            }
            O::I64Load32U { memarg } => {
                self.load_op(memarg, i32t.into(), Some(i64t), Ext::Unsigned)?
            }
            O::I32Store { memarg }
            | O::I64Store { memarg }
            | O::F32Store { memarg }
            | O::F64Store { memarg } => self.store_op(memarg, None)?,
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => {
                self.store_op(memarg, Some(i8t))?
            }
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => {
                self.store_op(memarg, Some(i16t))?
            }
            O::I64Store32 { memarg } => self.store_op(memarg, Some(i32t))?,
            O::MemorySize { mem } => self.memory_size(*mem)?,
            O::MemoryGrow { mem } => {
                let delta = self.pop()?;
                let grow = self.memory_grow_fn();
                let mem = i32t.const_int(u64::from(*mem), false);
                let args = [self.vmctx.into(), mem.into(), delta.into()];
                let v = self
                    .builder
                    .build_call(grow, &args, "")?
                    .try_as_basic_value();
                let v = v
                    .basic()
                    .ok_or_else(|| CompileError::Llvm("memory.grow".into()))?;
                self.push(v);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn load_op(
        &mut self,
        memarg: &MemArg,
        ty: BasicTypeEnum<'ctx>,
        widen: Option<IntType<'ctx>>,
        ext: Ext,
    ) -> Result<()> {
        let (addr, volatile) = match self.fast_address()? {
            Some(addr) => (addr, false),
            None => (self.effective_address(memarg, access_size(ty))?, true),
        };
        let v = self.builder.build_load(ty, addr, "")?;
        mark_memory_access(v.as_instruction_value(), volatile)?;
        let v = match (widen, ext) {
            (Some(w), Ext::Signed) => self
                .builder
                .build_int_s_extend(v.into_int_value(), w, "")?
                .into(),
            (Some(w), Ext::Unsigned) => self
                .builder
                .build_int_z_extend(v.into_int_value(), w, "")?
                .into(),
            _ => v,
        };
        self.push(v);
        Ok(())
    }

    fn store_op(&mut self, memarg: &MemArg, narrow: Option<IntType<'ctx>>) -> Result<()> {
        let mut v = self.pop()?;
        if let Some(n) = narrow {
            v = self
                .builder
                .build_int_truncate(v.into_int_value(), n, "")?
                .into();
        }
        let (addr, volatile) = match self.fast_address()? {
            Some(addr) => (addr, false),
            None => (
                self.effective_address(memarg, access_size(v.get_type()))?,
                true,
            ),
        };
        let store = self.builder.build_store(addr, v)?;
        mark_memory_access(Some(store), volatile)
    }

    /// Pops the address operand and returns the checked native address.
    pub(super) fn effective_address(
        &mut self,
        memarg: &MemArg,
        size: u64,
    ) -> Result<PointerValue<'ctx>> {
        let MemArgTarget::Memory(0) = memarg.target else {
            return Err(CompileError::Unsupported("multiple memories".into()));
        };
        if self.env.memories.first().is_some_and(|m| m.memory64) {
            return Err(CompileError::Unsupported("memory64".into()));
        }
        let base = self
            .memory_base
            .ok_or_else(|| CompileError::InvalidWasm("memory access without a memory".into()))?;
        let i64t = self.ctx.i64_type();
        let addr = self.pop()?.into_int_value();
        let addr = self.builder.build_int_z_extend(addr, i64t, "")?;
        let ea = if memarg.offset == 0 {
            addr
        } else {
            let off = i64t.const_int(memarg.offset, false);
            self.builder.build_int_add(addr, off, "")?
        };
        if self.config.bounds_checks || memarg.offset + size > GUARD_BYTES {
            let len = self.memory_length(0)?;
            let end = self
                .builder
                .build_int_add(ea, i64t.const_int(size, false), "")?;
            let oob = self
                .builder
                .build_int_compare(IntPredicate::UGT, end, len, "")?;
            self.trap_if(oob, TrapCode::MemoryOutOfBounds)?;
        }
        self.byte_offset_dyn(base, ea)
    }

    /// The current byte length of memory `mem`, as an `i64`.
    pub(super) fn memory_length(&mut self, mem: u32) -> Result<inkwell::values::IntValue<'ctx>> {
        let offsets = self.config.offsets;
        let def = self.vmctx_ptr(offsets.memory(mem))?;
        let len = self
            .load(self.ptr_int_type().into(), def, offsets.memory_length())?
            .into_int_value();
        Ok(self
            .builder
            .build_int_z_extend_or_bit_cast(len, self.ctx.i64_type(), "")?)
    }

    fn memory_size(&mut self, mem: u32) -> Result<()> {
        let len = self.memory_length(mem)?;
        let i64t = self.ctx.i64_type();
        let pages = self
            .builder
            .build_right_shift(len, i64t.const_int(16, false), false, "")?;
        let v = self
            .builder
            .build_int_truncate(pages, self.ctx.i32_type(), "")?;
        self.push(v);
        Ok(())
    }
}

fn access_size(ty: BasicTypeEnum<'_>) -> u64 {
    match ty {
        BasicTypeEnum::IntType(t) => u64::from(t.get_bit_width() / 8),
        BasicTypeEnum::FloatType(t) if t == t.get_context().f32_type() => 4,
        BasicTypeEnum::FloatType(_) => 8,
        _ => 16,
    }
}

/// Marks a load or store of linear memory: unaligned (the wasm alignment
/// is only a hint) and volatile (see the module doc) unless it cannot
/// fault ([`super::loop_version`]).
pub(super) fn mark_memory_access(
    inst: Option<inkwell::values::InstructionValue<'_>>,
    volatile: bool,
) -> Result<()> {
    if let Some(i) = inst {
        i.set_alignment(1)
            .map_err(|e| CompileError::Llvm(format!("alignment: {e:?}")))?;
        i.set_volatile(volatile)
            .map_err(|e| CompileError::Llvm(format!("volatile: {e:?}")))?;
    }
    Ok(())
}
