//! Fusing an op with the one that consumes its result: a comparison with
//! the conditional branch on it, an `f64.load` with the add/sub/mul using
//! it, an `i32.add` with the load or store whose address it is, and a
//! constant shift or rotate with the xor, add or or using it.

use super::Translator;
use crate::interp::code::{Op, Slot};
use crate::types::ValType;

/// The branch taken when `cmp` holds (or, with `negate`, when it fails).
fn branch_for(cmp: Op, negate: bool) -> Option<Op> {
    let target = 0;
    macro_rules! pick {
        ($a:ident, $b:ident, $yes:ident, $no:ident) => {
            if negate {
                Op::$no {
                    target,
                    a: $a,
                    b: $b,
                }
            } else {
                Op::$yes {
                    target,
                    a: $a,
                    b: $b,
                }
            }
        };
        (imm $a:ident, $imm:ident, $yes:ident, $no:ident) => {
            if negate {
                Op::$no {
                    target,
                    a: $a,
                    imm: $imm,
                }
            } else {
                Op::$yes {
                    target,
                    a: $a,
                    imm: $imm,
                }
            }
        };
    }
    Some(match cmp {
        Op::I32Eqz { a, .. } => {
            if negate {
                Op::BrIfNez { target, cond: a }
            } else {
                Op::BrIfEqz { target, cond: a }
            }
        }
        Op::I32Eq { a, b, .. } => pick!(a, b, BrI32Eq, BrI32Ne),
        Op::I32Ne { a, b, .. } => pick!(a, b, BrI32Ne, BrI32Eq),
        Op::I32LtS { a, b, .. } => pick!(a, b, BrI32LtS, BrI32GeS),
        Op::I32LtU { a, b, .. } => pick!(a, b, BrI32LtU, BrI32GeU),
        Op::I32GtS { a, b, .. } => pick!(a, b, BrI32GtS, BrI32LeS),
        Op::I32GtU { a, b, .. } => pick!(a, b, BrI32GtU, BrI32LeU),
        Op::I32LeS { a, b, .. } => pick!(a, b, BrI32LeS, BrI32GtS),
        Op::I32LeU { a, b, .. } => pick!(a, b, BrI32LeU, BrI32GtU),
        Op::I32GeS { a, b, .. } => pick!(a, b, BrI32GeS, BrI32LtS),
        Op::I32GeU { a, b, .. } => pick!(a, b, BrI32GeU, BrI32LtU),
        Op::I32EqImm { a, imm, .. } => pick!(imm a, imm, BrI32EqImm, BrI32NeImm),
        Op::I32NeImm { a, imm, .. } => pick!(imm a, imm, BrI32NeImm, BrI32EqImm),
        Op::I32LtSImm { a, imm, .. } => pick!(imm a, imm, BrI32LtSImm, BrI32GeSImm),
        Op::I32LtUImm { a, imm, .. } => pick!(imm a, imm, BrI32LtUImm, BrI32GeUImm),
        Op::I32GtSImm { a, imm, .. } => pick!(imm a, imm, BrI32GtSImm, BrI32LeSImm),
        Op::I32GtUImm { a, imm, .. } => pick!(imm a, imm, BrI32GtUImm, BrI32LeUImm),
        Op::I32LeSImm { a, imm, .. } => pick!(imm a, imm, BrI32LeSImm, BrI32GtSImm),
        Op::I32LeUImm { a, imm, .. } => pick!(imm a, imm, BrI32LeUImm, BrI32GtUImm),
        Op::I32GeSImm { a, imm, .. } => pick!(imm a, imm, BrI32GeSImm, BrI32LtSImm),
        Op::I32GeUImm { a, imm, .. } => pick!(imm a, imm, BrI32GeUImm, BrI32LtUImm),
        // A flag test, `x & imm`.
        Op::I32AndImm { a, imm, .. } => pick!(imm a, imm, BrI32AndNezImm, BrI32AndEqzImm),
        Op::I64Eqz { a, .. } => {
            if negate {
                Op::BrI64Nez { target, a }
            } else {
                Op::BrI64Eqz { target, a }
            }
        }
        Op::I64Eq { a, b, .. } => pick!(a, b, BrI64Eq, BrI64Ne),
        Op::I64Ne { a, b, .. } => pick!(a, b, BrI64Ne, BrI64Eq),
        Op::I64LtS { a, b, .. } => pick!(a, b, BrI64LtS, BrI64GeS),
        Op::I64LtU { a, b, .. } => pick!(a, b, BrI64LtU, BrI64GeU),
        Op::I64GtS { a, b, .. } => pick!(a, b, BrI64GtS, BrI64LeS),
        Op::I64GtU { a, b, .. } => pick!(a, b, BrI64GtU, BrI64LeU),
        Op::I64LeS { a, b, .. } => pick!(a, b, BrI64LeS, BrI64GtS),
        Op::I64LeU { a, b, .. } => pick!(a, b, BrI64LeU, BrI64GtU),
        Op::I64GeS { a, b, .. } => pick!(a, b, BrI64GeS, BrI64LtS),
        Op::I64GeU { a, b, .. } => pick!(a, b, BrI64GeU, BrI64LtU),
        Op::F64Lt { a, b, .. } => pick!(a, b, BrF64Lt, BrF64NotLt),
        Op::F64Gt { a, b, .. } => pick!(a, b, BrF64Gt, BrF64NotGt),
        Op::F64Le { a, b, .. } => pick!(a, b, BrF64Le, BrF64NotLe),
        Op::F64Ge { a, b, .. } => pick!(a, b, BrF64Ge, BrF64NotGe),
        _ => return None,
    })
}

/// `a op mem` for a load op and the other operand's slot.
fn mem_arith(kind: MemArith, dst: Slot, a: u16, load: Op) -> Option<Op> {
    let small = |x: Slot| u16::try_from(x).ok();
    Some(match (load, kind) {
        (Op::I64Load { addr, offset, .. }, k) => {
            let addr = small(addr)?;
            match k {
                MemArith::Add => Op::F64AddLoad {
                    dst,
                    a,
                    addr,
                    offset,
                },
                MemArith::Sub => Op::F64SubLoad {
                    dst,
                    a,
                    addr,
                    offset,
                },
                MemArith::Mul => Op::F64MulLoad {
                    dst,
                    a,
                    addr,
                    offset,
                },
            }
        }
        (Op::I64LoadW { a: addr, imm, .. }, k) => {
            let addr = small(addr)?;
            match k {
                MemArith::Add => Op::F64AddLoadW { dst, a, addr, imm },
                MemArith::Sub => Op::F64SubLoadW { dst, a, addr, imm },
                MemArith::Mul => Op::F64MulLoadW { dst, a, addr, imm },
            }
        }
        _ => return None,
    })
}

impl Translator<'_> {
    /// The index of the last op, if no label was bound after it: the op
    /// about to be emitted may take it over.
    pub(super) fn last_fusable(&self) -> Option<usize> {
        self.code
            .len()
            .checked_sub(1)
            .filter(|l| *l >= self.label_at)
    }

    /// Fuses an f64 `kind` whose operand was just loaded by the last op.
    /// The other operand must be readable without emitting code: in its
    /// home, a local, or a constant that gets a constant slot.
    pub(super) fn fuse_f64_load(&mut self, kind: MemArith) -> bool {
        use super::stack::Place;
        let n = self.stack.len();
        let Some((last, (a, a_made), (b, b_made))) = self.top_two_fresh() else {
            return false;
        };
        let load = self.code[last];
        let other = if b_made {
            a
        } else if kind != MemArith::Sub && a_made {
            b
        } else {
            return false;
        };
        let other_slot = match other.place {
            Place::Local(l) => self.locals[l as usize].1,
            Place::Const(c) => match self.const_slot(c) {
                Some(slot) => slot,
                None => return false,
            },
            Place::Home => other.home,
        };
        let Ok(other16) = u16::try_from(other_slot) else {
            return false;
        };
        let dst = a.home;
        let Some(op) = mem_arith(kind, dst, other16, load) else {
            return false;
        };
        self.code.pop();
        self.last_result = None;
        self.stack.truncate(n - 2);
        self.push_result(ValType::F64);
        self.emit_result(op);
        true
    }

    /// If the stack top was just computed by `a + b` or `a + (x << s)`
    /// (`s < 8`, two ops or one `I32AddShl`), removes those ops and the operand and returns `(a, x,
    /// 2^s)`.
    pub(super) fn take_add_index(&mut self) -> Option<(Slot, Slot, u8)> {
        let last = self.code.len().checked_sub(1)?;
        let top = *self.stack.last()?;
        if !self.made_by(top, last) {
            return None;
        }
        let (a, b) = match self.code[last] {
            Op::I32Add { a, b, .. } => (a, b),
            Op::I32AddShl { a, b, imm, .. } if imm < 8 => {
                self.code.pop();
                self.stack.pop();
                self.last_result = None;
                self.fused_from = Some(self.code.len());
                return Some((a, b, 1 << imm));
            }
            _ => return None,
        };
        let shifted = last
            .checked_sub(1)
            .filter(|p| *p >= self.label_at)
            .and_then(|p| match self.code[p] {
                Op::I32ShlImm { dst, a: x, imm }
                    if dst == b && dst >= self.stack_base && (0..8).contains(&imm) && x != dst =>
                {
                    Some((x, 1u8 << imm))
                }
                _ => None,
            });
        self.code.pop();
        self.stack.pop();
        self.last_result = None;
        let taken = match shifted {
            Some((x, s)) if a != b => {
                self.code.pop();
                (a, x, s)
            }
            _ => (a, b, 1),
        };
        self.fused_from = Some(self.code.len());
        Some(taken)
    }

    /// If the stack top was just computed by `a + imm`, removes that op and
    /// the operand and returns `(a, imm)`, so the consumer can fold the add.
    pub(super) fn take_add_imm(&mut self) -> Option<(Slot, i32)> {
        let taken = self.take_added_index()?;
        self.fused_from = Some(self.code.len());
        Some(taken)
    }

    /// If the operand under a constant stack top was just computed by a
    /// constant `i32.shl`, removes that op and both operands and returns
    /// (the shifted slot, the count), so an add of the constant can take
    /// the shift over.
    pub(super) fn take_shl_under_imm(&mut self) -> Option<(Slot, u8)> {
        let last = self.code.len().checked_sub(1)?;
        let n = self.stack.len();
        let below = *self.stack.get(n.checked_sub(2)?)?;
        if !self.made_by(below, last) {
            return None;
        }
        let Op::I32ShlImm { a, imm, .. } = self.code[last] else {
            return None;
        };
        self.code.pop();
        self.stack.truncate(n - 2);
        self.last_result = None;
        Some((a, (imm & 31) as u8))
    }

    /// If the stack top was just computed by an `I32ShlAddImm`, removes
    /// that op and the operand and returns `(a, shift, imm)`.
    pub(super) fn take_shl_add_imm(&mut self) -> Option<(Slot, u8, i32)> {
        let last = self.code.len().checked_sub(1)?;
        let top = *self.stack.last()?;
        if !self.made_by(top, last) {
            return None;
        }
        let Op::I32ShlAddImm { a, shift, imm, .. } = self.code[last] else {
            return None;
        };
        self.code.pop();
        self.stack.pop();
        self.last_result = None;
        self.fused_from = Some(self.code.len());
        Some((a, shift, imm))
    }

    /// The conditional branch on `cond`: taken when `cond` is non-zero, or
    /// zero with `negate`. If the op just emitted computed `cond` by a
    /// comparison, that op is replaced by a fused compare-and-branch.
    pub(super) fn cond_branch(&mut self, cond: Slot, negate: bool) -> Op {
        let last = self.code.len().wrapping_sub(1);
        if self.last_result == Some((last, cond)) {
            // `br_if (i32.eqz (cmp))`: the branch on `cmp`, negated.
            let eqz = self.eqz_of_fresh(last);
            let fused = match eqz {
                Some((made, inner)) => branch_for(made, !negate).map(|op| (op, inner, 2)),
                None => None,
            };
            let fused =
                fused.or_else(|| branch_for(self.code[last], negate).map(|op| (op, cond, 1)));
            if let Some((op, cond, ops)) = fused {
                self.code.truncate(self.code.len() - ops);
                self.last_result = None;
                let op = self.fold_byte_into_branch(op, cond);
                let op = self.fold_f64_add_into_branch(op);
                return self.fold_add_into_branch(op);
            }
        }
        if !negate && last != usize::MAX && last >= self.label_at {
            if let Op::I32AddImm { dst, a, imm } = self.code[last] {
                if dst == a && dst == cond {
                    self.code.pop();
                    self.last_result = None;
                    return self.add_imm_br_nez(a, imm);
                }
            }
        }
        if negate {
            Op::BrIfEqz { target: 0, cond }
        } else {
            Op::BrIfNez { target: 0, cond }
        }
    }
}

/// The constant shifts and rotates an `i32` xor, add or or can take over.
#[derive(Clone, Copy)]
pub(super) enum Shift {
    Rotl,
    Shl,
    ShrU,
}

impl Translator<'_> {
    /// If one of the top two operands was just computed by a constant
    /// `i32` shift or rotate and the other is readable without code,
    /// removes the shift and both operands and returns (the other's slot,
    /// the shifted value's slot, the count, the shift).
    pub(super) fn take_shifted(&mut self) -> Option<(Slot, Slot, u8, Shift)> {
        use super::stack::{Operand, Place};
        let n = self.stack.len();
        let last = self.code.len().checked_sub(1)?;
        if n < 2 {
            return None;
        }
        let (x, imm, shift) = match self.code[last] {
            Op::I32RotlImm { a, imm, .. } => (a, imm, Shift::Rotl),
            Op::I32ShlImm { a, imm, .. } => (a, imm, Shift::Shl),
            Op::I32ShrUImm { a, imm, .. } => (a, imm, Shift::ShrU),
            _ => return None,
        };
        let just_made = |o: Operand| self.made_by(o, last);
        let (a, b) = (self.stack[n - 2], self.stack[n - 1]);
        let other = if just_made(b) {
            a
        } else if just_made(a) {
            b
        } else {
            return None;
        };
        let other = match other.place {
            Place::Home => other.home,
            Place::Local(l) => self.locals[l as usize].1,
            Place::Const(_) => return None,
        };
        self.code.pop();
        self.last_result = None;
        self.stack.truncate(n - 2);
        Some((other, x, (imm & 31) as u8, shift))
    }
}

/// The f64 operations that take one operand straight from memory.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum MemArith {
    Add,
    Sub,
    Mul,
}
