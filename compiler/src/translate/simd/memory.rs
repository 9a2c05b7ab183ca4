//! `v128` loads and stores: full, extending (`load8x8_s` ...), splatting,
//! zero-filling (`load32_zero`, `load64_zero`) and single-lane accesses.
//!
//! Every access goes through the scalar path's address computation and
//! bounds logic ([`FuncTranslator::effective_address`], with the access
//! size in bytes) and is marked alignment 1. Lane accesses pop the vector
//! first: it is above the address on the stack.

use super::super::memory::mark_memory_access;
use super::{FuncTranslator, Shape};
use crate::error::Result;
use inkwell::types::BasicTypeEnum;
use inkwell::values::{BasicValue, BasicValueEnum};
use wasmparser::{MemArg, Operator};

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// SIMD memory operators; returns whether `op` was one.
    pub(super) fn simd_memory(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        use Shape as S;
        match op {
            O::V128Load { memarg } => {
                let v = self.load_value(memarg, self.vec_type(S::I32x4).into(), 16)?;
                self.push_vec(v.into_vector_value())?;
            }
            O::V128Load8x8S { memarg } => self.load_extend(memarg, 8, true)?,
            O::V128Load8x8U { memarg } => self.load_extend(memarg, 8, false)?,
            O::V128Load16x4S { memarg } => self.load_extend(memarg, 16, true)?,
            O::V128Load16x4U { memarg } => self.load_extend(memarg, 16, false)?,
            O::V128Load32x2S { memarg } => self.load_extend(memarg, 32, true)?,
            O::V128Load32x2U { memarg } => self.load_extend(memarg, 32, false)?,
            O::V128Load8Splat { memarg } => self.load_splat(memarg, S::I8x16)?,
            O::V128Load16Splat { memarg } => self.load_splat(memarg, S::I16x8)?,
            O::V128Load32Splat { memarg } => self.load_splat(memarg, S::I32x4)?,
            O::V128Load64Splat { memarg } => self.load_splat(memarg, S::I64x2)?,
            O::V128Load32Zero { memarg } => self.load_zero(memarg, S::I32x4)?,
            O::V128Load64Zero { memarg } => self.load_zero(memarg, S::I64x2)?,
            O::V128Store { memarg } => {
                let v = self.pop()?;
                let addr = self.effective_address(memarg, 16)?;
                let store = self.builder.build_store(addr, v)?;
                mark_memory_access(Some(store), true)?;
            }
            O::V128Load8Lane { memarg, lane } => self.load_lane(memarg, S::I8x16, *lane)?,
            O::V128Load16Lane { memarg, lane } => self.load_lane(memarg, S::I16x8, *lane)?,
            O::V128Load32Lane { memarg, lane } => self.load_lane(memarg, S::I32x4, *lane)?,
            O::V128Load64Lane { memarg, lane } => self.load_lane(memarg, S::I64x2, *lane)?,
            O::V128Store8Lane { memarg, lane } => self.store_lane(memarg, S::I8x16, *lane)?,
            O::V128Store16Lane { memarg, lane } => self.store_lane(memarg, S::I16x8, *lane)?,
            O::V128Store32Lane { memarg, lane } => self.store_lane(memarg, S::I32x4, *lane)?,
            O::V128Store64Lane { memarg, lane } => self.store_lane(memarg, S::I64x2, *lane)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Pops the address and loads a `ty` of `size` bytes from it.
    fn load_value(
        &mut self,
        memarg: &MemArg,
        ty: BasicTypeEnum<'ctx>,
        size: u64,
    ) -> Result<BasicValueEnum<'ctx>> {
        let addr = self.effective_address(memarg, size)?;
        let v = self.builder.build_load(ty, addr, "")?;
        mark_memory_access(v.as_instruction_value(), true)?;
        Ok(v)
    }

    /// `v128.loadNxM_s/u`: eight bytes as `128 / (2 * bits)` lanes of
    /// `bits` bits, each extended to twice its width.
    fn load_extend(&mut self, memarg: &MemArg, bits: u32, signed: bool) -> Result<()> {
        let ty = self.int_vec_type(bits, 64 / bits);
        let v = self.load_value(memarg, ty.into(), 8)?.into_vector_value();
        let v = self.extend_lanes(v, bits * 2, signed)?;
        self.push_vec(v)
    }

    fn load_splat(&mut self, memarg: &MemArg, shape: Shape) -> Result<()> {
        let x = self.load_value(memarg, self.lane_type(shape), lane_bytes(shape))?;
        let v = self.splat_to(x, self.vec_type(shape))?;
        self.push_vec(v)
    }

    fn load_zero(&mut self, memarg: &MemArg, shape: Shape) -> Result<()> {
        let x = self.load_value(memarg, self.lane_type(shape), lane_bytes(shape))?;
        let zero = self.vec_type(shape).const_zero();
        let v = self
            .builder
            .build_insert_element(zero, x, self.i32_const(0), "")?;
        self.push_vec(v)
    }

    fn load_lane(&mut self, memarg: &MemArg, shape: Shape, lane: u8) -> Result<()> {
        let v = self.pop_vec(shape)?;
        let x = self.load_value(memarg, self.lane_type(shape), lane_bytes(shape))?;
        let idx = self.i32_const(u64::from(lane) % u64::from(shape.lanes()));
        let v = self.builder.build_insert_element(v, x, idx, "")?;
        self.push_vec(v)
    }

    fn store_lane(&mut self, memarg: &MemArg, shape: Shape, lane: u8) -> Result<()> {
        let v = self.pop_vec(shape)?;
        let idx = self.i32_const(u64::from(lane) % u64::from(shape.lanes()));
        let x = self.builder.build_extract_element(v, idx, "")?;
        let addr = self.effective_address(memarg, lane_bytes(shape))?;
        let store = self.builder.build_store(addr, x)?;
        mark_memory_access(Some(store), true)
    }
}

/// Size of one lane of `shape` in bytes.
fn lane_bytes(shape: Shape) -> u64 {
    u64::from(shape.lane_bits() / 8)
}
