//! `select`, taking over the `i32` comparison that just computed its
//! condition: `SelectI32*` ops read the comparison's operands from their
//! `Arg` word; the negated comparisons (and `i32.eqz`) swap the select's
//! operands instead.

use super::stack::Place;
use super::Translator;
use crate::interp::code::{Op, Slot};
use crate::types::ValType;

impl Translator<'_> {
    pub(super) fn select(&mut self) {
        let top = *self.stack.last().expect("validated");
        let last = self.code.len().checked_sub(1);
        let cmp = match last {
            Some(l) if top.place == Place::Home && self.last_result == Some((l, top.home)) => {
                Some(self.code[l])
            }
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
