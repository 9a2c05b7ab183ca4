//! SIMD (`v128`) operators other than the plain `v128.load`/`v128.store`:
//! lane-wise arithmetic, tests, splats, lane extraction and replacement,
//! shuffles, and the extending/splatting/zeroing loads and lane accesses.
//!
//! [`crate::interp::simd`] classifies the operators; one op per class
//! carries the exact operation as a field.

use super::Translator;
use crate::interp::code::Op;
use crate::interp::simd::{self, SimdOp};
use crate::types::ValType;
use wasmparser::Operator as O;

use ValType::{F32, F64, I32, I64, V128};

impl Translator<'_> {
    /// Translates the SIMD operators; false for any other.
    pub(super) fn vector_op(&mut self, op: &O) -> bool {
        if let Some(s) = simd::classify(op) {
            self.simd(s, op);
        } else if let Some((kind, m)) = simd::load_kind(op) {
            let addr = self.pop();
            let dst = self.push_result(V128);
            self.emit_result(Op::V128LoadKind {
                dst,
                kind,
                addr,
                offset: m.offset as u32,
            });
        } else if let Some((is_store, width, m, lane)) = simd::lane_access(op) {
            let vector = self.pop();
            let addr = self.pop();
            let offset = m.offset as u32;
            if is_store {
                self.emit(Op::V128StoreLane {
                    width,
                    lane,
                    addr,
                    value: vector,
                    offset,
                });
            } else {
                let dst = self.push_result(V128);
                self.emit_result(Op::V128LoadLane {
                    dst,
                    width,
                    lane,
                    addr,
                    offset,
                });
                self.emit_arg(vector, 0, 0);
            }
        } else {
            return false;
        }
        true
    }

    fn simd(&mut self, op: SimdOp, original: &O) {
        match op {
            SimdOp::Unary(op) => {
                let a = self.pop();
                let dst = self.push_result(V128);
                self.emit_result(Op::SimdUnary { dst, op, a });
            }
            SimdOp::Binary(op) => {
                let b = self.pop();
                let a = self.pop();
                let dst = self.push_result(V128);
                self.emit_result(Op::SimdBinary { dst, op, a, b });
            }
            SimdOp::Ternary(op) => {
                let c = self.pop();
                let b = self.pop();
                let a = self.pop();
                let dst = self.push_result(V128);
                self.emit_result(Op::SimdTernary { dst, op, a, b });
                self.emit_arg(c, 0, 0);
            }
            SimdOp::Shift(op) => {
                let amount = self.pop();
                let a = self.pop();
                let dst = self.push_result(V128);
                self.emit_result(Op::SimdShift { dst, op, a, amount });
            }
            SimdOp::Test(op) => {
                let a = self.pop();
                let dst = self.push_result(I32);
                self.emit_result(Op::SimdTest { dst, op, a });
            }
            SimdOp::Splat(op) => {
                let a = self.pop();
                let dst = self.push_result(V128);
                self.emit_result(Op::SimdSplat { dst, op, a });
            }
            SimdOp::ExtractLane(op, lane) => {
                let a = self.pop();
                let ty = extract_type(original);
                let dst = self.push_result(ty);
                self.emit_result(Op::SimdExtract { dst, op, lane, a });
            }
            SimdOp::ReplaceLane(op, lane) => {
                let x = self.pop();
                let a = self.pop();
                let dst = self.push_result(V128);
                self.emit_result(Op::SimdReplace {
                    dst,
                    op,
                    lane,
                    a,
                    x,
                });
            }
            SimdOp::Shuffle(lanes) => {
                let b = self.pop();
                let a = self.pop();
                let index = self.add_const(u128::from_le_bytes(lanes));
                let dst = self.push_result(V128);
                self.emit_result(Op::SimdShuffle { dst, a, b });
                self.emit_arg(index, 0, 0);
            }
        }
    }
}

/// The scalar type an `extract_lane` operator produces.
fn extract_type(op: &O) -> ValType {
    match op {
        O::I64x2ExtractLane { .. } => I64,
        O::F32x4ExtractLane { .. } => F32,
        O::F64x2ExtractLane { .. } => F64,
        _ => I32,
    }
}
