//! Locals, globals, constants, `drop` and `select`.
//!
//! Globals are reached through the VMContext's pointer array, so imported
//! and defined globals look the same; an immutable global's value is
//! loaded with `!invariant.load`.

use super::FuncTranslator;
use crate::abi::value_type;
use crate::error::{CompileError, Result};
use inkwell::IntPredicate;
use wasmparser::Operator;

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Variable, constant and parametric operators; returns whether `op` was one.
    pub(super) fn variable(&mut self, op: &Operator<'_>) -> Result<bool> {
        match op {
            Operator::LocalGet { local_index } => {
                let (slot, ty) = self.local(*local_index)?;
                let v = self.builder.build_load(ty, slot, "")?;
                self.push(v);
            }
            Operator::LocalSet { local_index } => {
                let (slot, _) = self.local(*local_index)?;
                let v = self.pop()?;
                self.builder.build_store(slot, v)?;
            }
            Operator::LocalTee { local_index } => {
                let (slot, _) = self.local(*local_index)?;
                let v = *self.peek_n(1)?.first().ok_or_else(underflow)?;
                self.builder.build_store(slot, v)?;
            }
            Operator::GlobalGet { global_index } => self.global_get(*global_index)?,
            Operator::GlobalSet { global_index } => self.global_set(*global_index)?,
            Operator::I32Const { value } => {
                let v = self.ctx.i32_type().const_int(*value as u32 as u64, false);
                self.push(v);
            }
            Operator::I64Const { value } => {
                let v = self.ctx.i64_type().const_int(*value as u64, false);
                self.push(v);
            }
            Operator::F32Const { value } => {
                let bits = self
                    .ctx
                    .i32_type()
                    .const_int(u64::from(value.bits()), false);
                let v = self.builder.build_bit_cast(bits, self.ctx.f32_type(), "")?;
                self.push(v);
            }
            Operator::F64Const { value } => {
                let bits = self.ctx.i64_type().const_int(value.bits(), false);
                let v = self.builder.build_bit_cast(bits, self.ctx.f64_type(), "")?;
                self.push(v);
            }
            Operator::Drop => {
                self.pop()?;
            }
            Operator::Select | Operator::TypedSelect { .. } => {
                let cond = self.pop()?.into_int_value();
                let b = self.pop()?;
                let a = self.pop()?;
                let zero = cond.get_type().const_zero();
                let cond = self
                    .builder
                    .build_int_compare(IntPredicate::NE, cond, zero, "")?;
                let v = self.builder.build_select(cond, a, b, "")?;
                self.push(v);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    pub(super) fn local(
        &self,
        index: u32,
    ) -> Result<(
        inkwell::values::PointerValue<'ctx>,
        inkwell::types::BasicTypeEnum<'ctx>,
    )> {
        self.locals
            .get(index as usize)
            .copied()
            .ok_or_else(|| CompileError::InvalidWasm(format!("local {index} out of range")))
    }

    fn global_get(&mut self, index: u32) -> Result<()> {
        let g = self.env.globals[index as usize];
        let offsets = self.config.offsets;
        let def = self.vmctx_ptr(offsets.global(index))?;
        let ty = value_type(self.ctx, g.content_type);
        let v = if g.mutable {
            self.load(ty, def, offsets.global_value())?
        } else {
            self.load_invariant(ty, def, offsets.global_value())?
        };
        self.push(v);
        Ok(())
    }

    fn global_set(&mut self, index: u32) -> Result<()> {
        let offsets = self.config.offsets;
        let def = self.vmctx_ptr(offsets.global(index))?;
        let def = self.byte_offset(def, offsets.global_value())?;
        let v = self.pop()?;
        // Volatile: a global is observable after a trap, so a later
        // global.set must not remove this one (see memory.rs).
        let store = self.builder.build_store(def, v)?;
        store
            .set_volatile(true)
            .map_err(|e| crate::error::CompileError::Llvm(e.to_string()))?;
        Ok(())
    }
}

fn underflow() -> CompileError {
    CompileError::Llvm("operand stack underflow".into())
}
