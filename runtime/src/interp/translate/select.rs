//! `select`, taking over the `i32` comparison that just computed its
//! condition: `SelectI32*` ops read the comparison's operands from their
//! `Arg` word; the negated comparisons (and `i32.eqz`) swap the select's
//! operands instead. An `i32.store` of such a select's result takes it
//! over in turn (`SelectI32*Store`: a branchless merge's
//! `out[k] = x < y ? x : y`), its address slot in the `Arg` word.

use super::Translator;
use crate::interp::code::{Op, Slot};
use crate::types::ValType;

impl Translator<'_> {
    pub(super) fn select(&mut self) {
        let top = *self.stack.last().expect("validated");
        let last = self.code.len().checked_sub(1);
        let cmp = match last {
            Some(l) if self.made_by(top, l) => Some(self.code[l]),
            _ => None,
        };
        let cond = self.pop();
        let b = self.pop();
        let ty = self.stack.last().expect("validated").ty;
        let a = self.pop();
        let dst = self.push_result(ty);
        // Only when reading `a` and `b` emitted nothing after the comparison.
        if ty != ValType::V128 && self.code.len().checked_sub(1) == last {
            if let Some((op, x, y)) = cmp.and_then(|c| fused(c, dst, a, b)) {
                self.code.pop();
                self.last_result = None;
                self.emit_result(op);
                self.emit_arg(x, y, 0);
                return;
            }
        }
        let op = if ty == ValType::V128 {
            Op::Select128 { dst, a, b }
        } else {
            Op::Select { dst, a, b }
        };
        self.emit_result(op);
        self.emit_arg(cond, 0, 0);
    }
}

impl Translator<'_> {
    /// Emits the `i32.store` of `value` (popped) at the address below it
    /// plus `offset`, fused with the compare-select that just computed
    /// `value` into a temporary; false, with nothing done, otherwise.
    pub(super) fn fuse_select_store(&mut self, value: Slot, offset: u32) -> bool {
        let n = self.code.len();
        if n < 2 || n - 2 < self.label_at || value < self.stack_base {
            return false;
        }
        let Op::Arg { a: x, b: y, .. } = self.code[n - 1] else {
            return false;
        };
        type Store = fn(Slot, Slot, u32) -> Op;
        let (dst, a, b, fused): (Slot, Slot, Slot, Store) =
            match self.code[n - 2] {
                Op::SelectI32Eq { dst, a, b } => (dst, a, b, |a, b, offset| Op::SelectI32EqStore {
                    a,
                    b,
                    offset,
                }),
                Op::SelectI32LtS { dst, a, b } => (dst, a, b, |a, b, offset| {
                    Op::SelectI32LtSStore { a, b, offset }
                }),
                Op::SelectI32GtS { dst, a, b } => (dst, a, b, |a, b, offset| {
                    Op::SelectI32GtSStore { a, b, offset }
                }),
                Op::SelectI32LtU { dst, a, b } => (dst, a, b, |a, b, offset| {
                    Op::SelectI32LtUStore { a, b, offset }
                }),
                Op::SelectI32GtU { dst, a, b } => (dst, a, b, |a, b, offset| {
                    Op::SelectI32GtUStore { a, b, offset }
                }),
                _ => return false,
            };
        if dst != value {
            return false;
        }
        let addr = self.pop();
        if self.code.len() != n {
            // Reading the address emitted code after the select.
            self.emit(Op::I32Store {
                addr,
                value,
                offset,
            });
            return true;
        }
        self.code.truncate(n - 2);
        // Only the store can trap: the fused op traps as the store.
        self.fused_from = Some(n - 2);
        self.emit(fused(a, b, offset));
        self.emit_arg(x, y, addr);
        true
    }
}

/// The select of `a` or `b` on comparison `cmp`, and the comparison's
/// operands (for `Select`, the condition).
fn fused(cmp: Op, dst: Slot, a: Slot, b: Slot) -> Option<(Op, Slot, Slot)> {
    macro_rules! pick {
        ($x:ident, $y:ident, $v:ident, swap) => {
            (Op::$v { dst, a: b, b: a }, $x, $y)
        };
        ($x:ident, $y:ident, $v:ident) => {
            (Op::$v { dst, a, b }, $x, $y)
        };
    }
    Some(match cmp {
        Op::I32Eqz { a: x, .. } => (Op::Select { dst, a: b, b: a }, x, 0),
        Op::I32Eq { a: x, b: y, .. } => pick!(x, y, SelectI32Eq),
        Op::I32Ne { a: x, b: y, .. } => pick!(x, y, SelectI32Eq, swap),
        Op::I32LtS { a: x, b: y, .. } => pick!(x, y, SelectI32LtS),
        Op::I32GeS { a: x, b: y, .. } => pick!(x, y, SelectI32LtS, swap),
        Op::I32GtS { a: x, b: y, .. } => pick!(x, y, SelectI32GtS),
        Op::I32LeS { a: x, b: y, .. } => pick!(x, y, SelectI32GtS, swap),
        Op::I32LtU { a: x, b: y, .. } => pick!(x, y, SelectI32LtU),
        Op::I32GeU { a: x, b: y, .. } => pick!(x, y, SelectI32LtU, swap),
        Op::I32GtU { a: x, b: y, .. } => pick!(x, y, SelectI32GtU),
        Op::I32LeU { a: x, b: y, .. } => pick!(x, y, SelectI32GtU, swap),
        _ => return None,
    })
}
