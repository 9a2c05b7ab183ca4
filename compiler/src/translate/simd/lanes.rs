//! `v128.const`, splats, lane extraction and replacement,
//! `i8x16.shuffle` and `i8x16.swizzle`.
//!
//! Splat and replace of `i8x16`/`i16x8` truncate the `i32` operand; extract
//! of those shapes sign- or zero-extends to `i32`. `swizzle` selects lane
//! `idx & 15` of the first operand for each index lane and then zeroes the
//! lanes whose index is 16 or more: an out-of-range `extractelement` is only
//! poison, which the final `select` discards. The backends turn this
//! insert-of-extract-with-variable-index pattern into `pshufb` (x86-64) or
//! `tbl` (aarch64); riscv64 without V goes through a stack slot.

use super::{FuncTranslator, Shape};
use crate::error::Result;
use inkwell::types::VectorType;
use inkwell::values::{BasicValueEnum, IntValue};
use inkwell::IntPredicate;
use wasmparser::Operator;

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Constant, splat, lane and shuffle operators; returns whether `op`
    /// was one.
    pub(super) fn simd_lanes(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        use Shape as S;
        match op {
            O::V128Const { value } => {
                let b = value.bytes();
                let words: Vec<IntValue> = b
                    .chunks_exact(4)
                    .map(|w| {
                        let w = u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
                        self.i32_const(u64::from(w))
                    })
                    .collect();
                let v = VectorType::const_vector(&words);
                self.push(v);
            }
            O::I8x16Splat => self.splat(S::I8x16)?,
            O::I16x8Splat => self.splat(S::I16x8)?,
            O::I32x4Splat => self.splat(S::I32x4)?,
            O::I64x2Splat => self.splat(S::I64x2)?,
            O::F32x4Splat => self.splat(S::F32x4)?,
            O::F64x2Splat => self.splat(S::F64x2)?,
            O::I8x16ExtractLaneS { lane } => self.extract_lane(S::I8x16, *lane, Some(true))?,
            O::I8x16ExtractLaneU { lane } => self.extract_lane(S::I8x16, *lane, Some(false))?,
            O::I16x8ExtractLaneS { lane } => self.extract_lane(S::I16x8, *lane, Some(true))?,
            O::I16x8ExtractLaneU { lane } => self.extract_lane(S::I16x8, *lane, Some(false))?,
            O::I32x4ExtractLane { lane } => self.extract_lane(S::I32x4, *lane, None)?,
            O::I64x2ExtractLane { lane } => self.extract_lane(S::I64x2, *lane, None)?,
            O::F32x4ExtractLane { lane } => self.extract_lane(S::F32x4, *lane, None)?,
            O::F64x2ExtractLane { lane } => self.extract_lane(S::F64x2, *lane, None)?,
            O::I8x16ReplaceLane { lane } => self.replace_lane(S::I8x16, *lane)?,
            O::I16x8ReplaceLane { lane } => self.replace_lane(S::I16x8, *lane)?,
            O::I32x4ReplaceLane { lane } => self.replace_lane(S::I32x4, *lane)?,
            O::I64x2ReplaceLane { lane } => self.replace_lane(S::I64x2, *lane)?,
            O::F32x4ReplaceLane { lane } => self.replace_lane(S::F32x4, *lane)?,
            O::F64x2ReplaceLane { lane } => self.replace_lane(S::F64x2, *lane)?,
            O::I8x16Shuffle { lanes } => {
                let b = self.pop_vec(S::I8x16)?;
                let a = self.pop_vec(S::I8x16)?;
                let mask = self.mask(lanes.iter().map(|l| u32::from(l & 31)));
                let v = self.builder.build_shuffle_vector(a, b, mask, "")?;
                self.push_vec(v)?;
            }
            O::I8x16Swizzle => self.swizzle()?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A scalar narrowed to the lane type of the integer shape `shape`.
    fn to_lane(&self, x: BasicValueEnum<'ctx>, shape: Shape) -> Result<BasicValueEnum<'ctx>> {
        Ok(match shape {
            Shape::I8x16 | Shape::I16x8 => {
                let ty = self.int_type(shape.lane_bits());
                self.builder
                    .build_int_truncate(x.into_int_value(), ty, "")?
                    .into()
            }
            _ => x,
        })
    }

    fn splat(&mut self, shape: Shape) -> Result<()> {
        let x = self.pop()?;
        let x = self.to_lane(x, shape)?;
        let v = self.splat_to(x, self.vec_type(shape))?;
        self.push_vec(v)
    }

    fn extract_lane(&mut self, shape: Shape, lane: u8, signed: Option<bool>) -> Result<()> {
        let v = self.pop_vec(shape)?;
        let idx = self.i32_const(u64::from(lane) % u64::from(shape.lanes()));
        let x = self.builder.build_extract_element(v, idx, "")?;
        let i32t = self.ctx.i32_type();
        let x: BasicValueEnum = match signed {
            Some(true) => self
                .builder
                .build_int_s_extend(x.into_int_value(), i32t, "")?
                .into(),
            Some(false) => self
                .builder
                .build_int_z_extend(x.into_int_value(), i32t, "")?
                .into(),
            None => x,
        };
        self.push(x);
        Ok(())
    }

    fn replace_lane(&mut self, shape: Shape, lane: u8) -> Result<()> {
        let x = self.pop()?;
        let x = self.to_lane(x, shape)?;
        let v = self.pop_vec(shape)?;
        let idx = self.i32_const(u64::from(lane) % u64::from(shape.lanes()));
        let v = self.builder.build_insert_element(v, x, idx, "")?;
        self.push_vec(v)
    }

    fn swizzle(&mut self) -> Result<()> {
        let s = self.pop_vec(Shape::I8x16)?;
        let a = self.pop_vec(Shape::I8x16)?;
        let ty = a.get_type();
        let mut r = ty.get_poison();
        for i in 0..16 {
            let lane = self.i32_const(i);
            let idx = self.builder.build_extract_element(s, lane, "")?;
            let x = self
                .builder
                .build_extract_element(a, idx.into_int_value(), "")?;
            r = self.builder.build_insert_element(r, x, lane, "")?;
        }
        let sixteen = self.const_splat(ty, 16);
        let in_range = self
            .builder
            .build_int_compare(IntPredicate::ULT, s, sixteen, "")?;
        let v = self
            .builder
            .build_select(in_range, r, ty.const_zero(), "")?
            .into_vector_value();
        self.push_vec(v)
    }
}
