//! Bulk memory operators: `memory.fill`, `memory.copy`, `memory.init` and
//! `data.drop`, plus the helper that calls the runtime's bulk intrinsics.
//!
//! `memory.fill` and `memory.copy` are inline: the whole destination (and
//! source) range, computed in 64 bits so it cannot wrap, is compared with
//! the memory's current length (trapping `MemoryOutOfBounds` before
//! anything is written, in guard-page mode too), then `llvm.memset` /
//! `llvm.memmove` do the work. `memory.init` and `data.drop` need the
//! instance's data segments and go through the intrinsics of
//! [`crate::abi`], which do their own bounds checks.

use super::FuncTranslator;
use crate::abi;
use crate::error::{CompileError, Result};
use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::module::Linkage;
use inkwell::types::FunctionType;
use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum, IntValue};
use inkwell::IntPredicate;
use kiln_format::intrinsics;
use kiln_format::TrapCode;
use wasmparser::Operator;

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Bulk memory operators; returns whether `op` was one.
    pub(super) fn bulk_memory(&mut self, op: &Operator<'_>) -> Result<bool> {
        match op {
            Operator::MemoryFill { mem } => self.memory_fill(*mem)?,
            Operator::MemoryCopy { dst_mem, src_mem } => self.memory_copy(*dst_mem, *src_mem)?,
            Operator::MemoryInit { data_index, mem } => {
                let args = self.pop_args(3)?;
                let ty = abi::intrinsic_type(self.ctx, &intrinsics::MEMORY_INIT);
                let (mem, seg) = (self.const_i32(*mem), self.const_i32(*data_index));
                self.runtime_call(intrinsics::MEMORY_INIT.name, ty, &[mem, seg], &args)?;
            }
            Operator::DataDrop { data_index } => {
                let ty = abi::intrinsic_type(self.ctx, &intrinsics::DATA_DROP);
                let seg = self.const_i32(*data_index);
                self.runtime_call(intrinsics::DATA_DROP.name, ty, &[seg], &[])?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn memory_fill(&mut self, mem: u32) -> Result<()> {
        self.single_memory(mem)?;
        let len = self.pop()?.into_int_value();
        let value = self.pop()?.into_int_value();
        let dst = self.pop()?.into_int_value();
        let len = self.check_memory_range(&[dst], len)?;
        let dst = self.memory_address(dst)?;
        let byte = self
            .builder
            .build_int_truncate(value, self.ctx.i8_type(), "")?;
        // Volatile, like every access (memory.rs): a later overwrite must not
        // remove it, as a trap in between would let it be seen missing.
        let (ptr, volatile) = (dst.get_type().into(), self.ctx.bool_type().const_all_ones());
        let args = [dst.into(), byte.into(), len.into(), volatile.into()];
        self.intrinsic_call("llvm.memset", &[ptr, len.get_type().into()], &args)?;
        Ok(())
    }

    fn memory_copy(&mut self, dst_mem: u32, src_mem: u32) -> Result<()> {
        self.single_memory(dst_mem)?;
        self.single_memory(src_mem)?;
        let len = self.pop()?.into_int_value();
        let src = self.pop()?.into_int_value();
        let dst = self.pop()?.into_int_value();
        let len = self.check_memory_range(&[dst, src], len)?;
        let (dst, src) = (self.memory_address(dst)?, self.memory_address(src)?);
        let (ptr, volatile) = (dst.get_type().into(), self.ctx.bool_type().const_all_ones());
        let args = [dst.into(), src.into(), len.into(), volatile.into()];
        self.intrinsic_call("llvm.memmove", &[ptr, ptr, len.get_type().into()], &args)?;
        Ok(())
    }

    /// Refuses memories other than 0 (multi-memory is not a wasm 2.0 feature).
    fn single_memory(&self, mem: u32) -> Result<()> {
        if mem != 0 {
            return Err(CompileError::Unsupported("multiple memories".into()));
        }
        if self.env.memories.first().is_some_and(|m| m.memory64) {
            return Err(CompileError::Unsupported("memory64".into()));
        }
        Ok(())
    }

    /// Traps `MemoryOutOfBounds` unless `start + len <= length` of memory 0
    /// for every `start`; returns `len` widened to a pointer-sized integer.
    fn check_memory_range(
        &mut self,
        starts: &[IntValue<'ctx>],
        len: IntValue<'ctx>,
    ) -> Result<IntValue<'ctx>> {
        let offsets = self.config.offsets;
        let i64t = self.ctx.i64_type();
        let def = self.vmctx_ptr(offsets.memory(0))?;
        let mem_len = self
            .load(self.ptr_int_type().into(), def, offsets.memory_length())?
            .into_int_value();
        let mem_len = self
            .builder
            .build_int_z_extend_or_bit_cast(mem_len, i64t, "")?;
        let len64 = self.builder.build_int_z_extend(len, i64t, "")?;
        let mut oob: Option<IntValue<'ctx>> = None;
        for start in starts {
            let start = self.builder.build_int_z_extend(*start, i64t, "")?;
            let end = self.builder.build_int_add(start, len64, "")?;
            let out = self
                .builder
                .build_int_compare(IntPredicate::UGT, end, mem_len, "")?;
            oob = Some(match oob {
                Some(o) => self.builder.build_or(o, out, "")?,
                None => out,
            });
        }
        if let Some(oob) = oob {
            self.trap_if(oob, TrapCode::MemoryOutOfBounds)?;
        }
        Ok(self
            .builder
            .build_int_z_extend_or_bit_cast(len, self.ptr_int_type(), "")?)
    }

    /// The native address of (checked) offset `addr` in memory 0.
    fn memory_address(&self, addr: IntValue<'ctx>) -> Result<inkwell::values::PointerValue<'ctx>> {
        let base = self
            .memory_base
            .ok_or_else(|| CompileError::InvalidWasm("bulk memory without a memory".into()))?;
        let addr = self
            .builder
            .build_int_z_extend(addr, self.ctx.i64_type(), "")?;
        self.byte_offset_dyn(base, addr)
    }

    /// An `i32` constant.
    pub(super) fn const_i32(&self, v: u32) -> BasicMetadataValueEnum<'ctx> {
        self.ctx.i32_type().const_int(u64::from(v), false).into()
    }

    /// Pops `n` operands, bottom first, as call arguments.
    pub(super) fn pop_args(&mut self, n: usize) -> Result<Vec<BasicMetadataValueEnum<'ctx>>> {
        Ok(self.pop_n(n)?.into_iter().map(Into::into).collect())
    }

    /// Calls runtime intrinsic `name` of type `ty` with `vmctx`, then
    /// `immediates`, then `operands`; returns its result, if any.
    pub(super) fn runtime_call(
        &self,
        name: &str,
        ty: FunctionType<'ctx>,
        immediates: &[BasicMetadataValueEnum<'ctx>],
        operands: &[BasicMetadataValueEnum<'ctx>],
    ) -> Result<Option<BasicValueEnum<'ctx>>> {
        let f = match self.module.get_function(name) {
            Some(f) => f,
            None => {
                let f = self.module.add_function(name, ty, Some(Linkage::External));
                let kind = Attribute::get_named_enum_kind_id("nounwind");
                f.add_attribute(
                    AttributeLoc::Function,
                    self.ctx.create_enum_attribute(kind, 0),
                );
                f.as_global_value()
                    .set_visibility(inkwell::GlobalVisibility::Hidden);
                f
            }
        };
        let mut args: Vec<BasicMetadataValueEnum<'ctx>> = vec![self.vmctx.into()];
        args.extend_from_slice(immediates);
        args.extend_from_slice(operands);
        Ok(self
            .builder
            .build_call(f, &args, "")?
            .try_as_basic_value()
            .basic())
    }
}
