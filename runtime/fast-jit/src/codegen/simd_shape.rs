//! Which shape each SIMD operator has (inputs and result), generated from
//! wasmparser's operator list: the code generator handles each shape once
//! and the backend selects instructions per operator.

use crate::masm::Kind;
use wasmparser::{MemArg, Operator};

/// Inputs and result of a SIMD operator (all `v128` unless named).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Unary,
    Binary,
    Ternary,
    /// `v128`, `i32` shift count.
    Shift,
    /// `v128` -> `i32` (`any_true`, `all_true`, `bitmask`).
    Test,
    /// A scalar of this kind -> `v128`.
    Splat(Kind),
    /// `v128` -> a scalar of this kind.
    Extract(Kind),
    /// `v128`, a scalar of this kind -> `v128`.
    Replace(Kind),
    /// Address -> `v128`, reading this many bytes.
    Load(u32),
    /// Address, `v128` -> `v128`, reading one lane of this many bytes.
    LoadLane(u32),
    /// Address, `v128`, writing one lane of this many bytes.
    StoreLane(u32),
    /// Address, `v128` (`v128.store`).
    Store(u32),
}

/// The shape of SIMD operator `op`, if it is one.
pub(crate) fn shape(op: &Operator<'_>) -> Option<Shape> {
    use Operator as O;
    Some(match op {
        O::V128Not
        | O::I8x16Abs
        | O::I8x16Neg
        | O::I8x16Popcnt
        | O::I16x8ExtAddPairwiseI8x16S
        | O::I16x8ExtAddPairwiseI8x16U
        | O::I16x8Abs
        | O::I16x8Neg
        | O::I16x8ExtendLowI8x16S
        | O::I16x8ExtendHighI8x16S
        | O::I16x8ExtendLowI8x16U
        | O::I16x8ExtendHighI8x16U
        | O::I32x4ExtAddPairwiseI16x8S
        | O::I32x4ExtAddPairwiseI16x8U
        | O::I32x4Abs
        | O::I32x4Neg
        | O::I32x4ExtendLowI16x8S
        | O::I32x4ExtendHighI16x8S
        | O::I32x4ExtendLowI16x8U
        | O::I32x4ExtendHighI16x8U
        | O::I64x2Abs
        | O::I64x2Neg
        | O::I64x2ExtendLowI32x4S
        | O::I64x2ExtendHighI32x4S
        | O::I64x2ExtendLowI32x4U
        | O::I64x2ExtendHighI32x4U
        | O::F32x4Ceil
        | O::F32x4Floor
        | O::F32x4Trunc
        | O::F32x4Nearest
        | O::F32x4Abs
        | O::F32x4Neg
        | O::F32x4Sqrt
        | O::F64x2Ceil
        | O::F64x2Floor
        | O::F64x2Trunc
        | O::F64x2Nearest
        | O::F64x2Abs
        | O::F64x2Neg
        | O::F64x2Sqrt
        | O::I32x4TruncSatF32x4S
        | O::I32x4TruncSatF32x4U
        | O::F32x4ConvertI32x4S
        | O::F32x4ConvertI32x4U
        | O::I32x4TruncSatF64x2SZero
        | O::I32x4TruncSatF64x2UZero
        | O::F64x2ConvertLowI32x4S
        | O::F64x2ConvertLowI32x4U
        | O::F32x4DemoteF64x2Zero
        | O::F64x2PromoteLowF32x4 => Shape::Unary,
        O::I8x16Shuffle { .. }
        | O::I8x16Swizzle
        | O::I8x16Eq
        | O::I8x16Ne
        | O::I8x16LtS
        | O::I8x16LtU
        | O::I8x16GtS
        | O::I8x16GtU
        | O::I8x16LeS
        | O::I8x16LeU
        | O::I8x16GeS
        | O::I8x16GeU
        | O::I16x8Eq
        | O::I16x8Ne
        | O::I16x8LtS
        | O::I16x8LtU
        | O::I16x8GtS
        | O::I16x8GtU
        | O::I16x8LeS
        | O::I16x8LeU
        | O::I16x8GeS
        | O::I16x8GeU
        | O::I32x4Eq
        | O::I32x4Ne
        | O::I32x4LtS
        | O::I32x4LtU
        | O::I32x4GtS
        | O::I32x4GtU
        | O::I32x4LeS
        | O::I32x4LeU
        | O::I32x4GeS
        | O::I32x4GeU
        | O::I64x2Eq
        | O::I64x2Ne
        | O::I64x2LtS
        | O::I64x2GtS
        | O::I64x2LeS
        | O::I64x2GeS
        | O::F32x4Eq
        | O::F32x4Ne
        | O::F32x4Lt
        | O::F32x4Gt
        | O::F32x4Le
        | O::F32x4Ge
        | O::F64x2Eq
        | O::F64x2Ne
        | O::F64x2Lt
        | O::F64x2Gt
        | O::F64x2Le
        | O::F64x2Ge
        | O::V128And
        | O::V128AndNot
        | O::V128Or
        | O::V128Xor
        | O::I8x16NarrowI16x8S
        | O::I8x16NarrowI16x8U
        | O::I8x16Add
        | O::I8x16AddSatS
        | O::I8x16AddSatU
        | O::I8x16Sub
        | O::I8x16SubSatS
        | O::I8x16SubSatU
        | O::I8x16MinS
        | O::I8x16MinU
        | O::I8x16MaxS
        | O::I8x16MaxU
        | O::I8x16AvgrU
        | O::I16x8Q15MulrSatS
        | O::I16x8NarrowI32x4S
        | O::I16x8NarrowI32x4U
        | O::I16x8Add
        | O::I16x8AddSatS
        | O::I16x8AddSatU
        | O::I16x8Sub
        | O::I16x8SubSatS
        | O::I16x8SubSatU
        | O::I16x8Mul
        | O::I16x8MinS
        | O::I16x8MinU
        | O::I16x8MaxS
        | O::I16x8MaxU
        | O::I16x8AvgrU
        | O::I16x8ExtMulLowI8x16S
        | O::I16x8ExtMulHighI8x16S
        | O::I16x8ExtMulLowI8x16U
        | O::I16x8ExtMulHighI8x16U
        | O::I32x4Add
        | O::I32x4Sub
        | O::I32x4Mul
        | O::I32x4MinS
        | O::I32x4MinU
        | O::I32x4MaxS
        | O::I32x4MaxU
        | O::I32x4DotI16x8S
        | O::I32x4ExtMulLowI16x8S
        | O::I32x4ExtMulHighI16x8S
        | O::I32x4ExtMulLowI16x8U
        | O::I32x4ExtMulHighI16x8U
        | O::I64x2Add
        | O::I64x2Sub
        | O::I64x2Mul
        | O::I64x2ExtMulLowI32x4S
        | O::I64x2ExtMulHighI32x4S
        | O::I64x2ExtMulLowI32x4U
        | O::I64x2ExtMulHighI32x4U
        | O::F32x4Add
        | O::F32x4Sub
        | O::F32x4Mul
        | O::F32x4Div
        | O::F32x4Min
        | O::F32x4Max
        | O::F32x4PMin
        | O::F32x4PMax
        | O::F64x2Add
        | O::F64x2Sub
        | O::F64x2Mul
        | O::F64x2Div
        | O::F64x2Min
        | O::F64x2Max
        | O::F64x2PMin
        | O::F64x2PMax => Shape::Binary,
        O::V128Bitselect => Shape::Ternary,
        O::I8x16Shl
        | O::I8x16ShrS
        | O::I8x16ShrU
        | O::I16x8Shl
        | O::I16x8ShrS
        | O::I16x8ShrU
        | O::I32x4Shl
        | O::I32x4ShrS
        | O::I32x4ShrU
        | O::I64x2Shl
        | O::I64x2ShrS
        | O::I64x2ShrU => Shape::Shift,
        O::V128AnyTrue
        | O::I8x16AllTrue
        | O::I8x16Bitmask
        | O::I16x8AllTrue
        | O::I16x8Bitmask
        | O::I32x4AllTrue
        | O::I32x4Bitmask
        | O::I64x2AllTrue
        | O::I64x2Bitmask => Shape::Test,
        O::I8x16Splat | O::I16x8Splat | O::I32x4Splat => Shape::Splat(Kind::I32),
        O::I64x2Splat => Shape::Splat(Kind::I64),
        O::F32x4Splat => Shape::Splat(Kind::F32),
        O::F64x2Splat => Shape::Splat(Kind::F64),
        O::I8x16ExtractLaneS { .. }
        | O::I8x16ExtractLaneU { .. }
        | O::I16x8ExtractLaneS { .. }
        | O::I16x8ExtractLaneU { .. }
        | O::I32x4ExtractLane { .. } => Shape::Extract(Kind::I32),
        O::I64x2ExtractLane { .. } => Shape::Extract(Kind::I64),
        O::F32x4ExtractLane { .. } => Shape::Extract(Kind::F32),
        O::F64x2ExtractLane { .. } => Shape::Extract(Kind::F64),
        O::I8x16ReplaceLane { .. } | O::I16x8ReplaceLane { .. } | O::I32x4ReplaceLane { .. } => {
            Shape::Replace(Kind::I32)
        }
        O::I64x2ReplaceLane { .. } => Shape::Replace(Kind::I64),
        O::F32x4ReplaceLane { .. } => Shape::Replace(Kind::F32),
        O::F64x2ReplaceLane { .. } => Shape::Replace(Kind::F64),
        O::V128Load { .. } => Shape::Load(16),
        O::V128Load8x8S { .. }
        | O::V128Load8x8U { .. }
        | O::V128Load16x4S { .. }
        | O::V128Load16x4U { .. }
        | O::V128Load32x2S { .. }
        | O::V128Load32x2U { .. }
        | O::V128Load64Splat { .. }
        | O::V128Load64Zero { .. } => Shape::Load(8),
        O::V128Load8Splat { .. } => Shape::Load(1),
        O::V128Load16Splat { .. } => Shape::Load(2),
        O::V128Load32Splat { .. } | O::V128Load32Zero { .. } => Shape::Load(4),
        O::V128Load8Lane { .. } => Shape::LoadLane(1),
        O::V128Load16Lane { .. } => Shape::LoadLane(2),
        O::V128Load32Lane { .. } => Shape::LoadLane(4),
        O::V128Load64Lane { .. } => Shape::LoadLane(8),
        O::V128Store8Lane { .. } => Shape::StoreLane(1),
        O::V128Store16Lane { .. } => Shape::StoreLane(2),
        O::V128Store32Lane { .. } => Shape::StoreLane(4),
        O::V128Store64Lane { .. } => Shape::StoreLane(8),
        O::V128Store { .. } => Shape::Store(16),
        _ => return None,
    })
}

/// The memory argument of a SIMD memory operator.
pub(crate) fn memarg(op: &Operator<'_>) -> Option<MemArg> {
    use Operator as O;
    match op {
        O::V128Load { memarg, .. }
        | O::V128Load8x8S { memarg, .. }
        | O::V128Load8x8U { memarg, .. }
        | O::V128Load16x4S { memarg, .. }
        | O::V128Load16x4U { memarg, .. }
        | O::V128Load32x2S { memarg, .. }
        | O::V128Load32x2U { memarg, .. }
        | O::V128Load8Splat { memarg, .. }
        | O::V128Load16Splat { memarg, .. }
        | O::V128Load32Splat { memarg, .. }
        | O::V128Load64Splat { memarg, .. }
        | O::V128Load32Zero { memarg, .. }
        | O::V128Load64Zero { memarg, .. }
        | O::V128Store { memarg, .. }
        | O::V128Load8Lane { memarg, .. }
        | O::V128Load16Lane { memarg, .. }
        | O::V128Load32Lane { memarg, .. }
        | O::V128Load64Lane { memarg, .. }
        | O::V128Store8Lane { memarg, .. }
        | O::V128Store16Lane { memarg, .. }
        | O::V128Store32Lane { memarg, .. }
        | O::V128Store64Lane { memarg, .. } => Some(*memarg),
        _ => None,
    }
}
