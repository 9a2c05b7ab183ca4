//! SIMD operators: the value-stack side of every shape in
//! [`super::simd_shape`]; the backend selects the instructions.

use super::simd_shape::{memarg, shape, Shape};
use super::stack::{Loc, Src};
use super::FuncGen;
use crate::masm::*;
use crate::CompileError;
use wasmparser::Operator;

impl<M: MacroAssembler> FuncGen<'_, M> {
    /// SIMD operators; returns whether `op` was one.
    pub(super) fn simd(&mut self, op: &Operator<'_>) -> Result<bool, CompileError> {
        if let Operator::V128Const { value } = op {
            let bits = u128::from_le_bytes(*value.bytes());
            self.push(Kind::V128, Loc::Const(bits));
            return Ok(true);
        }
        let Some(shape) = shape(op) else {
            return Ok(false);
        };
        let done = match shape {
            Shape::Unary => {
                let src = self.pop_vector();
                let (dst, tmp) = (self.alloc(true), self.alloc(true));
                let ok = self.masm.simd_unary(op, dst, src, tmp);
                self.finish(dst, &[src, tmp], Kind::V128);
                ok
            }
            Shape::Binary => {
                let rhs = self.pop_vector();
                let lhs = self.pop_vector();
                let (dst, tmp) = (self.alloc(true), self.alloc(true));
                let ok = self.masm.simd_binary(op, dst, lhs, rhs, tmp);
                self.finish(dst, &[lhs, rhs, tmp], Kind::V128);
                ok
            }
            Shape::Ternary => {
                let c = self.pop_vector();
                let b = self.pop_vector();
                let a = self.pop_vector();
                let (dst, tmp) = (self.alloc(true), self.alloc(true));
                let ok = self.masm.simd_ternary(op, dst, [a, b, c], tmp);
                self.finish(dst, &[a, b, c, tmp], Kind::V128);
                ok
            }
            Shape::Shift => {
                let amount = self.pop_src();
                let (operand, amount) = match amount {
                    Src::Const(bits) => (Operand::Imm(bits as u32 as i32), amount),
                    other => {
                        let s = self.src_reg(other, Kind::I32);
                        (Operand::Reg(s.reg().expect("in a register")), s)
                    }
                };
                let src = self.pop_vector();
                let (dst, tmp) = (self.alloc(true), self.alloc(true));
                let ok = self.masm.simd_shift(op, dst, src, operand, tmp);
                self.free_src(amount);
                self.finish(dst, &[src, tmp], Kind::V128);
                ok
            }
            Shape::Test => {
                let src = self.pop_vector();
                let (dst, tmp) = (self.alloc(false), self.alloc(true));
                let ok = self.masm.simd_test(op, dst, src, tmp);
                self.finish(dst, &[src, tmp], Kind::I32);
                ok
            }
            Shape::Splat(kind) => {
                let s = self.pop_src();
                let s = self.src_reg(s, kind);
                let dst = self.alloc(true);
                let ok = self
                    .masm
                    .simd_splat(op, dst, s.reg().expect("in a register"));
                self.free_src(s);
                self.push_reg(Kind::V128, dst);
                ok
            }
            Shape::Extract(kind) => {
                let src = self.pop_vector();
                let dst = self.alloc_for(kind);
                let ok = self.masm.simd_extract(op, dst, src);
                self.finish(dst, &[src], kind);
                ok
            }
            Shape::Replace(kind) => {
                let s = self.pop_src();
                let s = self.src_reg(s, kind);
                let vec = self.pop_vector();
                let dst = self.alloc(true);
                let scalar = s.reg().expect("in a register");
                let ok = self.masm.simd_replace(op, dst, vec, scalar);
                self.free_src(s);
                self.finish(dst, &[vec], Kind::V128);
                ok
            }
            Shape::Load(width) => {
                let arg = memarg(op).expect("a memory operator");
                let addr = self.pop_src();
                let (m, tmp) = self.address(addr, arg.offset, width);
                let dst = self.alloc(true);
                let ok = self.masm.simd_load(op, dst, m);
                self.release(tmp);
                self.push_reg(Kind::V128, dst);
                ok
            }
            Shape::LoadLane(width) => {
                let arg = memarg(op).expect("a memory operator");
                let vec = self.pop_vector();
                let addr = self.pop_src();
                let (m, tmp) = self.address(addr, arg.offset, width);
                let dst = self.alloc(true);
                let ok = self.masm.simd_load_lane(op, dst, vec, m);
                self.release(tmp);
                self.finish(dst, &[vec], Kind::V128);
                ok
            }
            Shape::StoreLane(width) | Shape::Store(width) => {
                let arg = memarg(op).expect("a memory operator");
                let vec = self.pop_vector();
                let addr = self.pop_src();
                let (m, tmp) = self.address(addr, arg.offset, width);
                let ok = if shape == Shape::Store(width) {
                    self.masm.store(16, m, vec);
                    true
                } else {
                    self.masm.simd_store_lane(op, m, vec)
                };
                self.release(tmp);
                self.free(vec);
                ok
            }
        };
        if done {
            Ok(true)
        } else {
            Err(CompileError::Unsupported(format!("{op:?}")))
        }
    }

    /// Pops a `v128` into a register the caller owns.
    fn pop_vector(&mut self) -> Reg {
        let s = self.pop_src();
        self.owned(s, Kind::V128)
    }

    /// Frees `inputs` and pushes `dst` as a value of `kind`.
    fn finish(&mut self, dst: Reg, inputs: &[Reg], kind: Kind) {
        for r in inputs {
            self.free(*r);
        }
        self.push_reg(kind, dst);
    }

    fn release(&mut self, r: Option<Reg>) {
        if let Some(r) = r {
            self.free(r);
        }
    }
}
