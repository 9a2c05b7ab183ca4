//! Loop-closing branches: a compare-and-branch just after an op that
//! added a constant to a slot in place (`i += k; if (i < n) continue`, or
//! a pointer stepped beside the compared index) takes the add over
//! (`AddBrI32LtU` and the like), one op instead of two; an `i64` add of a
//! slot in place likewise (`AddBrI64*`, a sieve's `j += i`), and of a
//! constant (`AddImmBrI64*`). A store takes
//! over the step of its address after it (`I32Store8Step`, `*p = v; p += k`).

use super::Translator;
use crate::interp::code::{Op, Slot};

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
        if let Op::I64Add { dst, a, b } = self.code[last] {
            return self.fold_add64_into_branch(br, dst, a, b);
        }
        if let Op::I64AddImm { dst, a, imm } = self.code[last] {
            return self.fold_add64_imm_into_branch(br, dst, a, imm);
        }
        let Op::I32AddImm {
            dst,
            a: s,
            imm: add,
        } = self.code[last]
        else {
            return br;
        };
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
        self.replace_last_with(br, fused)
    }
}

/// Slot `s` as a 16-bit field, if it fits.
fn small(s: u32) -> Option<u16> {
    u16::try_from(s).ok()
}

/// Writes `add_slot_branch` (the `AddBrI64*` op for an `i64`
/// compare-and-branch, slot `y` added to slot `x`) and `add_imm_branch`
/// (the `AddImmBrI64*` op, constant `add` added to slot `x`).
macro_rules! i64_branch_folds {
    ($($br:ident => $slot:ident, $imm:ident;)*) => {
        fn add_slot_branch(br: Op, x: u16, y: u16) -> Option<Op> {
            match br {
                $(Op::$br { target, a, b } => Some(Op::$slot { target, x, y, a: small(a)?, b: small(b)? }),)*
                _ => None,
            }
        }

        fn add_imm_branch(br: Op, x: u16, add: i16) -> Option<Op> {
            match br {
                $(Op::$br { target, a, b } => Some(Op::$imm { target, x, a: small(a)?, b: small(b)?, add }),)*
                _ => None,
            }
        }
    };
}

i64_branch_folds! {
    BrI64Eq => AddBrI64Eq, AddImmBrI64Eq;
    BrI64Ne => AddBrI64Ne, AddImmBrI64Ne;
    BrI64LtS => AddBrI64LtS, AddImmBrI64LtS;
    BrI64LtU => AddBrI64LtU, AddImmBrI64LtU;
    BrI64GtS => AddBrI64GtS, AddImmBrI64GtS;
    BrI64GtU => AddBrI64GtU, AddImmBrI64GtU;
    BrI64LeS => AddBrI64LeS, AddImmBrI64LeS;
    BrI64LeU => AddBrI64LeU, AddImmBrI64LeU;
    BrI64GeS => AddBrI64GeS, AddImmBrI64GeS;
    BrI64GeU => AddBrI64GeU, AddImmBrI64GeU;
}

impl Translator<'_> {
    /// As [`Self::fold_add_into_branch`], for the `i64` add of slots `a` and
    /// `b` into `dst` just emitted, which must add in place (`dst` is one
    /// of them), and an `i64` compare-and-branch.
    fn fold_add64_into_branch(&mut self, br: Op, dst: u32, a: u32, b: u32) -> Op {
        let (x, y) = match (dst == a, dst == b) {
            (true, _) => (a, b),
            (false, true) => (b, a),
            _ => return br,
        };
        let fused = small(x)
            .zip(small(y))
            .and_then(|(x, y)| add_slot_branch(br, x, y));
        self.replace_last_with(br, fused)
    }

    /// As [`Self::fold_add_into_branch`], for the `i64` add of a constant
    /// (16 bits) to slot `a` in place just emitted and an `i64`
    /// compare-and-branch (`i += 1; if (i != n) continue` on a 64-bit `i`).
    fn fold_add64_imm_into_branch(&mut self, br: Op, dst: u32, a: u32, imm: i32) -> Op {
        let fused = match (small(a).filter(|_| dst == a), i16::try_from(imm)) {
            (Some(x), Ok(add)) => add_imm_branch(br, x, add),
            _ => None,
        };
        self.replace_last_with(br, fused)
    }

    /// `fused` in place of the last op, which it took over; else `br`.
    fn replace_last_with(&mut self, br: Op, fused: Option<Op>) -> Op {
        match fused {
            Some(op) => {
                self.code.pop();
                op
            }
            None => br,
        }
    }

    /// `a += imm; br_if a != 0` (the increment just taken off the code):
    /// when the op before it adds a small constant to another slot in
    /// place (a pointer stepped next to its counter), that add joins it as
    /// an `AddImm2BrNez`.
    pub(super) fn add_imm_br_nez(&mut self, a: Slot, imm: i32) -> Op {
        let alone = Op::AddImmBrNez { target: 0, a, imm };
        let Some(last) = self.code.len().checked_sub(1) else {
            return alone;
        };
        let Op::I32AddImm {
            dst: x,
            a: xa,
            imm: add,
        } = self.code[last]
        else {
            return alone;
        };
        let small = (
            u16::try_from(x),
            i16::try_from(add),
            u16::try_from(a),
            i16::try_from(imm),
        );
        match small {
            (Ok(x16), Ok(add), Ok(a), Ok(imm)) if x == xa && last >= self.label_at => {
                self.code.pop();
                Op::AddImm2BrNez {
                    target: 0,
                    x: x16,
                    add,
                    a,
                    imm,
                }
            }
            _ => alone,
        }
    }

    /// Before a switch on a byte (its load just taken off the code): if the
    /// op before steps a slot by a small constant in place, with no branch
    /// target after it (the switch's blocks may start there: control only
    /// falls into a block), removes it (noting where in `removed_at`) and
    /// returns the slot and constant, for the switch to step it first (an
    /// interpreter's `switch (code[pc++])`).
    pub(super) fn take_step_before_switch(&mut self) -> Option<(u16, i16)> {
        let k = self.code.len().checked_sub(1)?;
        if k < self.target_at {
            return None;
        }
        let Op::I32AddImm { dst, a, imm } = self.code[k] else {
            return None;
        };
        let (x, add) = (u16::try_from(a).ok()?, i16::try_from(imm).ok()?);
        if dst != a {
            return None;
        }
        self.code.remove(k);
        self.removed_at = Some(k);
        self.last_result = None;
        Some((x, add))
    }

    /// Op `pc`, the last, was just redirected into a local: when it adds a
    /// small constant to that local in place and the op before it adds a
    /// slot to another in place (`i32`), the two become an `I32AddAddImm`
    /// (`j += d; d += 2`).
    pub(super) fn add_after_add(&mut self, pc: usize) {
        if pc + 1 != self.code.len() || pc < self.target_at + 1 {
            return;
        }
        let (Op::I32Add { dst: x, a, b }, Op::I32AddImm { dst: z, a: za, imm }) =
            (self.code[pc - 1], self.code[pc])
        else {
            return;
        };
        let y = match (a == x, b == x) {
            (true, _) => b,
            (false, true) => a,
            _ => return,
        };
        if let (true, Ok(imm)) = (z == za, i16::try_from(imm)) {
            self.code.pop();
            self.code[pc - 1] = Op::I32AddAddImm { imm, x, y, z };
        }
    }

    /// Op `pc`, the last, was just redirected into a local `x`: when it
    /// adds a constant to a copy of `x` made by the op before it, the two
    /// become an `I32PostAddImm` (`old = x; x = old + k`, C's `x++`).
    pub(super) fn post_add(&mut self, pc: usize) {
        if pc + 1 != self.code.len() || pc < self.target_at + 1 {
            return;
        }
        let (Op::Copy { dst: old, src }, Op::I32AddImm { dst: x, a, imm }) =
            (self.code[pc - 1], self.code[pc])
        else {
            return;
        };
        let small = |s: u32| u16::try_from(s).ok();
        if let (true, Some(x), Some(old)) = (a == old && src == x, small(x), small(old)) {
            self.code.pop();
            self.code[pc - 1] = Op::I32PostAddImm { x, old, imm };
        }
    }

    /// Op `pc`, the last, was just redirected into a local: when it adds a
    /// slot to that local in place and the op before it stores at the
    /// address in that local, the store takes the add over
    /// (`I32Store8Step` and the like: `*p = v; p += k`).
    pub(super) fn step_after_store(&mut self, pc: usize) {
        if pc + 1 != self.code.len() || pc < self.target_at + 1 {
            return;
        }
        let Op::I32Add { dst, a, b } = self.code[pc] else {
            return;
        };
        let step = match (dst == a, dst == b) {
            (true, _) => b,
            (false, true) => a,
            _ => return,
        };
        let small = |s: u32| u16::try_from(s).ok();
        let (Some(p), Some(step)) = (small(dst), small(step)) else {
            return;
        };
        let stepped = match self.code[pc - 1] {
            Op::I32Store {
                addr,
                value,
                offset,
            } if addr == dst => small(value).map(|value| Op::I32StoreStep {
                addr: p,
                value,
                step,
                offset,
            }),
            Op::I64Store {
                addr,
                value,
                offset,
            } if addr == dst => small(value).map(|value| Op::I64StoreStep {
                addr: p,
                value,
                step,
                offset,
            }),
            Op::I32Store8 {
                addr,
                value,
                offset,
            } if addr == dst => small(value).map(|value| Op::I32Store8Step {
                addr: p,
                value,
                step,
                offset,
            }),
            _ => None,
        };
        if let Some(op) = stepped {
            self.code.pop();
            self.code[pc - 1] = op;
        }
    }
}
