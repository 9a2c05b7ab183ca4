//! Loop-closing branches: a compare-and-branch just after an op that
//! added a constant to a slot in place (`i += k; if (i < n) continue`, or
//! a pointer stepped beside the compared index) takes the add over
//! (`AddBrI32LtU` and the like), one op instead of two.

use super::Translator;
use crate::interp::code::Op;

impl Translator<'_> {
    /// `br`, a fused compare-and-branch about to be emitted, with the
    /// `I32AddImm` just emitted folded into it when that added a constant
    /// (16 bits) to a slot in place; else `br` itself.
    pub(super) fn fold_add_into_branch(&mut self, br: Op) -> Op {
        let Some(last) = self.code.len().checked_sub(1) else {
            return br;
        };
        if last < self.label_at {
            return br;
        }
        let Op::I32AddImm {
            dst,
            a: s,
            imm: add,
        } = self.code[last]
        else {
            return br;
        };
        let small = |x: u32| u16::try_from(x).ok();
        let Some(s16) = small(s).filter(|_| dst == s) else {
            return br;
        };
        // The incremented slot may be any slot, compared or not.
        macro_rules! both {
            ($t:ident, $a:ident, $b:ident, $op:ident) => {
                match (small($a), small($b), i16::try_from(add)) {
                    (Some(a), Some(b), Ok(add)) => Some(Op::$op {
                        target: $t,
                        x: s16,
                        a,
                        b,
                        add,
                    }),
                    _ => None,
                }
            };
        }
        macro_rules! imm {
            ($t:ident, $a:ident, $imm:ident, $op:ident) => {
                i16::try_from(add)
                    .ok()
                    .filter(|_| $a == s)
                    .map(|add| Op::$op {
                        target: $t,
                        a: s16,
                        add,
                        imm: $imm,
                    })
            };
        }
        let fused = match br {
            Op::BrI32Eq { target, a, b } => both!(target, a, b, AddBrI32Eq),
            Op::BrI32Ne { target, a, b } => both!(target, a, b, AddBrI32Ne),
            Op::BrI32LtS { target, a, b } => both!(target, a, b, AddBrI32LtS),
            Op::BrI32LtU { target, a, b } => both!(target, a, b, AddBrI32LtU),
            Op::BrI32GtS { target, a, b } => both!(target, a, b, AddBrI32GtS),
            Op::BrI32GtU { target, a, b } => both!(target, a, b, AddBrI32GtU),
            Op::BrI32LeS { target, a, b } => both!(target, a, b, AddBrI32LeS),
            Op::BrI32LeU { target, a, b } => both!(target, a, b, AddBrI32LeU),
            Op::BrI32GeS { target, a, b } => both!(target, a, b, AddBrI32GeS),
            Op::BrI32GeU { target, a, b } => both!(target, a, b, AddBrI32GeU),
            Op::BrI32EqImm { target, a, imm } => imm!(target, a, imm, AddBrI32EqImm),
            Op::BrI32NeImm { target, a, imm } => imm!(target, a, imm, AddBrI32NeImm),
            Op::BrI32LtSImm { target, a, imm } => imm!(target, a, imm, AddBrI32LtSImm),
            Op::BrI32LtUImm { target, a, imm } => imm!(target, a, imm, AddBrI32LtUImm),
            Op::BrI32GtSImm { target, a, imm } => imm!(target, a, imm, AddBrI32GtSImm),
            Op::BrI32GtUImm { target, a, imm } => imm!(target, a, imm, AddBrI32GtUImm),
            Op::BrI32LeSImm { target, a, imm } => imm!(target, a, imm, AddBrI32LeSImm),
            Op::BrI32LeUImm { target, a, imm } => imm!(target, a, imm, AddBrI32LeUImm),
            Op::BrI32GeSImm { target, a, imm } => imm!(target, a, imm, AddBrI32GeSImm),
            Op::BrI32GeUImm { target, a, imm } => imm!(target, a, imm, AddBrI32GeUImm),
            _ => None,
        };
        match fused {
            Some(op) => {
                self.code.pop();
                op
            }
            None => br,
        }
    }
}
