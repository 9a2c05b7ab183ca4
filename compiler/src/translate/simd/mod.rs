//! Fixed-width SIMD (`v128`) operators: WebAssembly 2.0's `simd` proposal,
//! without relaxed SIMD.
//!
//! A `v128` always lives on the operand stack, in locals, globals and phis
//! as `<4 x i32>` (see [`crate::abi`]); each operator bitcasts its operands
//! to the LLVM vector type of its shape (`<16 x i8>`, `<8 x i16>`,
//! `<4 x i32>`, `<2 x i64>`, `<4 x float>`, `<2 x double>`) and its result
//! back. Lane `i` of an LLVM vector is lane `i` of the wasm vector on every
//! target, because wasm vectors are little-endian and so are the three
//! targets. Only target-independent IR and generic intrinsics are emitted.
//!
//! The operators are split by concern: [`lanes`] (constants, splats, lane
//! access, shuffles), [`memory`], [`bitwise`] (logic, tests, shifts),
//! [`arith`] (integer arithmetic), [`float`], [`compare`] and [`convert`].

mod arith;
mod bitwise;
mod compare;
mod convert;
mod float;
mod lanes;
mod memory;

use super::FuncTranslator;
use crate::error::Result;
use inkwell::types::{BasicTypeEnum, IntType, VectorType};
use inkwell::values::{BasicValueEnum, IntValue, VectorValue};
use std::num::NonZeroU32;
use wasmparser::Operator;

/// The lane interpretation of a `v128`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    I8x16,
    I16x8,
    I32x4,
    I64x2,
    F32x4,
    F64x2,
}

impl Shape {
    /// Number of lanes.
    pub(crate) fn lanes(self) -> u32 {
        128 / self.lane_bits()
    }

    /// Width of one lane in bits.
    pub(crate) fn lane_bits(self) -> u32 {
        match self {
            Shape::I8x16 => 8,
            Shape::I16x8 => 16,
            Shape::I32x4 | Shape::F32x4 => 32,
            Shape::I64x2 | Shape::F64x2 => 64,
        }
    }

    /// The integer shape with lanes of the same width.
    pub(crate) fn int(self) -> Shape {
        match self {
            Shape::F32x4 => Shape::I32x4,
            Shape::F64x2 => Shape::I64x2,
            s => s,
        }
    }
}

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// SIMD operators; returns whether `op` was one.
    pub(super) fn simd(&mut self, op: &Operator<'_>) -> Result<bool> {
        Ok(self.simd_lanes(op)?
            || self.simd_memory(op)?
            || self.simd_bitwise(op)?
            || self.simd_arith(op)?
            || self.simd_float(op)?
            || self.simd_compare(op)?
            || self.simd_convert(op)?)
    }

    /// The integer type of `bits` bits.
    pub(crate) fn int_type(&self, bits: u32) -> IntType<'ctx> {
        match bits {
            8 => self.ctx.i8_type(),
            16 => self.ctx.i16_type(),
            32 => self.ctx.i32_type(),
            64 => self.ctx.i64_type(),
            // Only small constant widths (2- and 4-lane bitmasks) get here.
            _ => NonZeroU32::new(bits)
                .and_then(|b| self.ctx.custom_width_int_type(b).ok())
                .unwrap_or_else(|| self.ctx.i128_type()),
        }
    }

    /// The LLVM vector type of `shape`.
    pub(crate) fn vec_type(&self, shape: Shape) -> VectorType<'ctx> {
        match shape {
            Shape::F32x4 => self.ctx.f32_type().vec_type(4),
            Shape::F64x2 => self.ctx.f64_type().vec_type(2),
            s => self.int_type(s.lane_bits()).vec_type(s.lanes()),
        }
    }

    /// An integer vector type of `lanes` lanes of `bits` bits.
    pub(crate) fn int_vec_type(&self, bits: u32, lanes: u32) -> VectorType<'ctx> {
        self.int_type(bits).vec_type(lanes)
    }

    /// The type of one lane of `shape`.
    pub(crate) fn lane_type(&self, shape: Shape) -> BasicTypeEnum<'ctx> {
        self.vec_type(shape).get_element_type()
    }

    /// `v` (any 128-bit vector) reinterpreted as `shape`.
    pub(crate) fn cast_vec(
        &self,
        v: BasicValueEnum<'ctx>,
        shape: Shape,
    ) -> Result<VectorValue<'ctx>> {
        let ty = self.vec_type(shape);
        if v.get_type() == ty.into() {
            return Ok(v.into_vector_value());
        }
        Ok(self.builder.build_bit_cast(v, ty, "")?.into_vector_value())
    }

    /// Pops a `v128` as `shape`.
    pub(crate) fn pop_vec(&mut self, shape: Shape) -> Result<VectorValue<'ctx>> {
        let v = self.pop()?;
        self.cast_vec(v, shape)
    }

    /// Pushes a 128-bit vector as the `<4 x i32>` value representation.
    pub(crate) fn push_vec(&mut self, v: VectorValue<'ctx>) -> Result<()> {
        let v = self.cast_vec(v.into(), Shape::I32x4)?;
        self.push(v);
        Ok(())
    }

    /// An `i32` constant.
    pub(crate) fn i32_const(&self, v: u64) -> IntValue<'ctx> {
        self.ctx.i32_type().const_int(v, false)
    }

    /// A constant `<n x i32>` shuffle mask.
    pub(crate) fn mask(&self, indices: impl IntoIterator<Item = u32>) -> VectorValue<'ctx> {
        let v: Vec<IntValue> = indices
            .into_iter()
            .map(|i| self.i32_const(u64::from(i)))
            .collect();
        VectorType::const_vector(&v)
    }

    /// The lanes `indices` of `v`, as a new vector.
    pub(crate) fn pick(
        &self,
        v: VectorValue<'ctx>,
        indices: impl IntoIterator<Item = u32>,
    ) -> Result<VectorValue<'ctx>> {
        let poison = v.get_type().get_poison();
        let mask = self.mask(indices);
        Ok(self.builder.build_shuffle_vector(v, poison, mask, "")?)
    }

    /// The low (`high == false`) or high half of the lanes of `v`.
    pub(crate) fn half(&self, v: VectorValue<'ctx>, high: bool) -> Result<VectorValue<'ctx>> {
        let n = v.get_type().get_size() / 2;
        let start = if high { n } else { 0 };
        self.pick(v, start..start + n)
    }

    /// A vector of type `ty` with every lane `x`.
    pub(crate) fn splat_to(
        &self,
        x: BasicValueEnum<'ctx>,
        ty: VectorType<'ctx>,
    ) -> Result<VectorValue<'ctx>> {
        let zero = self.i32_const(0);
        let one = self
            .builder
            .build_insert_element(ty.get_poison(), x, zero, "")?;
        let mask = self.mask(std::iter::repeat_n(0, ty.get_size() as usize));
        Ok(self
            .builder
            .build_shuffle_vector(one, ty.get_poison(), mask, "")?)
    }

    /// A constant integer vector of type `ty` with every lane `x`.
    pub(crate) fn const_splat(&self, ty: VectorType<'ctx>, x: u64) -> VectorValue<'ctx> {
        let lane = ty.get_element_type().into_int_type().const_int(x, false);
        let lanes = vec![lane; ty.get_size() as usize];
        VectorType::const_vector(&lanes)
    }

    /// Sign- or zero-extends every lane of the integer vector `v` to `bits`.
    pub(crate) fn extend_lanes(
        &self,
        v: VectorValue<'ctx>,
        bits: u32,
        signed: bool,
    ) -> Result<VectorValue<'ctx>> {
        let ty = self.int_vec_type(bits, v.get_type().get_size());
        Ok(if signed {
            self.builder.build_int_s_extend(v, ty, "")?
        } else {
            self.builder.build_int_z_extend(v, ty, "")?
        })
    }

    /// Calls the vector intrinsic `name` overloaded on the type of its
    /// first argument.
    pub(crate) fn vec_intrinsic(
        &self,
        name: &str,
        args: &[VectorValue<'ctx>],
    ) -> Result<VectorValue<'ctx>> {
        let ty = args[0].get_type();
        let args: Vec<_> = args.iter().map(|a| (*a).into()).collect();
        Ok(self
            .call_intrinsic(name, &[ty.into()], &args)?
            .into_vector_value())
    }
}
