//! The SIMD operator enums and [`classify`], which maps a
//! `wasmparser::Operator` to them.

use super::SimdOp;
use wasmparser::Operator;

// Defines the immediate-free operator enums with variants named after the
// `wasmparser::Operator` variants, plus the classification of those operators.
macro_rules! simple_ops {
    ($($(#[$doc:meta])* $kind:ident($name:ident) { $($op:ident,)* })*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            #[repr(u8)]
            #[allow(missing_docs)]
            pub enum $name { $($op,)* }
        )*

        fn classify_simple(op: &Operator) -> Option<SimdOp> {
            Some(match op {
                $($(Operator::$op => SimdOp::$kind($name::$op),)*)*
                _ => return None,
            })
        }
    };
}

simple_ops! {
    /// `v128 -> v128` operators.
    Unary(UnOp) {
        V128Not,
        I8x16Abs, I8x16Neg, I8x16Popcnt,
        I16x8Abs, I16x8Neg,
        I16x8ExtAddPairwiseI8x16S, I16x8ExtAddPairwiseI8x16U,
        I16x8ExtendLowI8x16S, I16x8ExtendHighI8x16S,
        I16x8ExtendLowI8x16U, I16x8ExtendHighI8x16U,
        I32x4Abs, I32x4Neg,
        I32x4ExtAddPairwiseI16x8S, I32x4ExtAddPairwiseI16x8U,
        I32x4ExtendLowI16x8S, I32x4ExtendHighI16x8S,
        I32x4ExtendLowI16x8U, I32x4ExtendHighI16x8U,
        I64x2Abs, I64x2Neg,
        I64x2ExtendLowI32x4S, I64x2ExtendHighI32x4S,
        I64x2ExtendLowI32x4U, I64x2ExtendHighI32x4U,
        F32x4Ceil, F32x4Floor, F32x4Trunc, F32x4Nearest,
        F32x4Abs, F32x4Neg, F32x4Sqrt,
        F64x2Ceil, F64x2Floor, F64x2Trunc, F64x2Nearest,
        F64x2Abs, F64x2Neg, F64x2Sqrt,
        I32x4TruncSatF32x4S, I32x4TruncSatF32x4U,
        F32x4ConvertI32x4S, F32x4ConvertI32x4U,
        I32x4TruncSatF64x2SZero, I32x4TruncSatF64x2UZero,
        F64x2ConvertLowI32x4S, F64x2ConvertLowI32x4U,
        F32x4DemoteF64x2Zero, F64x2PromoteLowF32x4,
    }

    /// `v128, v128 -> v128` operators.
    Binary(BinOp) {
        V128And, V128AndNot, V128Or, V128Xor,
        I8x16Swizzle,
        I8x16Eq, I8x16Ne, I8x16LtS, I8x16LtU, I8x16GtS, I8x16GtU,
        I8x16LeS, I8x16LeU, I8x16GeS, I8x16GeU,
        I16x8Eq, I16x8Ne, I16x8LtS, I16x8LtU, I16x8GtS, I16x8GtU,
        I16x8LeS, I16x8LeU, I16x8GeS, I16x8GeU,
        I32x4Eq, I32x4Ne, I32x4LtS, I32x4LtU, I32x4GtS, I32x4GtU,
        I32x4LeS, I32x4LeU, I32x4GeS, I32x4GeU,
        I64x2Eq, I64x2Ne, I64x2LtS, I64x2GtS, I64x2LeS, I64x2GeS,
        F32x4Eq, F32x4Ne, F32x4Lt, F32x4Gt, F32x4Le, F32x4Ge,
        F64x2Eq, F64x2Ne, F64x2Lt, F64x2Gt, F64x2Le, F64x2Ge,
        I8x16NarrowI16x8S, I8x16NarrowI16x8U,
        I8x16Add, I8x16AddSatS, I8x16AddSatU,
        I8x16Sub, I8x16SubSatS, I8x16SubSatU,
        I8x16MinS, I8x16MinU, I8x16MaxS, I8x16MaxU, I8x16AvgrU,
        I16x8NarrowI32x4S, I16x8NarrowI32x4U,
        I16x8Add, I16x8AddSatS, I16x8AddSatU,
        I16x8Sub, I16x8SubSatS, I16x8SubSatU,
        I16x8Mul, I16x8MinS, I16x8MinU, I16x8MaxS, I16x8MaxU, I16x8AvgrU,
        I16x8Q15MulrSatS,
        I16x8ExtMulLowI8x16S, I16x8ExtMulHighI8x16S,
        I16x8ExtMulLowI8x16U, I16x8ExtMulHighI8x16U,
        I32x4Add, I32x4Sub, I32x4Mul,
        I32x4MinS, I32x4MinU, I32x4MaxS, I32x4MaxU,
        I32x4DotI16x8S,
        I32x4ExtMulLowI16x8S, I32x4ExtMulHighI16x8S,
        I32x4ExtMulLowI16x8U, I32x4ExtMulHighI16x8U,
        I64x2Add, I64x2Sub, I64x2Mul,
        I64x2ExtMulLowI32x4S, I64x2ExtMulHighI32x4S,
        I64x2ExtMulLowI32x4U, I64x2ExtMulHighI32x4U,
        F32x4Add, F32x4Sub, F32x4Mul, F32x4Div,
        F32x4Min, F32x4Max, F32x4PMin, F32x4PMax,
        F64x2Add, F64x2Sub, F64x2Mul, F64x2Div,
        F64x2Min, F64x2Max, F64x2PMin, F64x2PMax,
    }

    /// `v128, v128, v128 -> v128` operators.
    Ternary(TernOp) {
        V128Bitselect,
    }

    /// `v128, i32 -> v128` shifts; the amount is taken modulo the lane width.
    Shift(ShiftOp) {
        I8x16Shl, I8x16ShrS, I8x16ShrU,
        I16x8Shl, I16x8ShrS, I16x8ShrU,
        I32x4Shl, I32x4ShrS, I32x4ShrU,
        I64x2Shl, I64x2ShrS, I64x2ShrU,
    }

    /// `v128 -> i32` operators.
    Test(TestOp) {
        V128AnyTrue,
        I8x16AllTrue, I8x16Bitmask,
        I16x8AllTrue, I16x8Bitmask,
        I32x4AllTrue, I32x4Bitmask,
        I64x2AllTrue, I64x2Bitmask,
    }
}

/// `*.splat` operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum SplatOp {
    I8x16,
    I16x8,
    I32x4,
    I64x2,
    F32x4,
    F64x2,
}

/// `*.extract_lane` operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum ExtractOp {
    I8x16S,
    I8x16U,
    I16x8S,
    I16x8U,
    I32x4,
    I64x2,
    F32x4,
    F64x2,
}

/// `*.replace_lane` operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum ReplaceOp {
    I8x16,
    I16x8,
    I32x4,
    I64x2,
    F32x4,
    F64x2,
}

/// Classifies a SIMD operator. Returns `None` for non-SIMD operators, for
/// relaxed-SIMD operators, and for `v128.const` and the memory operators
/// (see [`load_kind`](super::load_kind) and [`lane_access`](super::lane_access)).
pub fn classify(op: &Operator) -> Option<SimdOp> {
    use ExtractOp as E;
    use ReplaceOp as R;
    Some(match *op {
        Operator::I8x16ExtractLaneS { lane } => SimdOp::ExtractLane(E::I8x16S, lane),
        Operator::I8x16ExtractLaneU { lane } => SimdOp::ExtractLane(E::I8x16U, lane),
        Operator::I16x8ExtractLaneS { lane } => SimdOp::ExtractLane(E::I16x8S, lane),
        Operator::I16x8ExtractLaneU { lane } => SimdOp::ExtractLane(E::I16x8U, lane),
        Operator::I32x4ExtractLane { lane } => SimdOp::ExtractLane(E::I32x4, lane),
        Operator::I64x2ExtractLane { lane } => SimdOp::ExtractLane(E::I64x2, lane),
        Operator::F32x4ExtractLane { lane } => SimdOp::ExtractLane(E::F32x4, lane),
        Operator::F64x2ExtractLane { lane } => SimdOp::ExtractLane(E::F64x2, lane),
        Operator::I8x16ReplaceLane { lane } => SimdOp::ReplaceLane(R::I8x16, lane),
        Operator::I16x8ReplaceLane { lane } => SimdOp::ReplaceLane(R::I16x8, lane),
        Operator::I32x4ReplaceLane { lane } => SimdOp::ReplaceLane(R::I32x4, lane),
        Operator::I64x2ReplaceLane { lane } => SimdOp::ReplaceLane(R::I64x2, lane),
        Operator::F32x4ReplaceLane { lane } => SimdOp::ReplaceLane(R::F32x4, lane),
        Operator::F64x2ReplaceLane { lane } => SimdOp::ReplaceLane(R::F64x2, lane),
        Operator::I8x16Shuffle { lanes } => SimdOp::Shuffle(lanes),
        Operator::I8x16Splat => SimdOp::Splat(SplatOp::I8x16),
        Operator::I16x8Splat => SimdOp::Splat(SplatOp::I16x8),
        Operator::I32x4Splat => SimdOp::Splat(SplatOp::I32x4),
        Operator::I64x2Splat => SimdOp::Splat(SplatOp::I64x2),
        Operator::F32x4Splat => SimdOp::Splat(SplatOp::F32x4),
        Operator::F64x2Splat => SimdOp::Splat(SplatOp::F64x2),
        _ => return classify_simple(op),
    })
}
