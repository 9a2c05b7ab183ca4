//! Counting comparisons: an `i32.add` of a comparison just computed
//! (`n += (x < y)`, as branch-free code counts or steps an index) is one
//! op, `I32AddLtS` and the like.

use super::stack::Place;
use super::Translator;
use crate::interp::code::{Op, Slot};
use crate::types::ValType;

/// Builds a counted comparison from `(dst, a, b, c)`.
type Counted = fn(Slot, u16, u16, u16) -> Op;

impl Translator<'_> {
    /// Translates an `i32.add` whose operand was just computed by an `i32`
    /// comparison of two slots, the other operand being readable without
    /// code; false, with nothing done, otherwise.
    pub(super) fn add_compare(&mut self) -> bool {
        let n = self.stack.len();
        let Some((last, (x, x_made), (y, y_made))) = self.top_two_fresh() else {
            return false;
        };
        let other = if y_made {
            x
        } else if x_made {
            y
        } else {
            return false;
        };
        let (a, b, f) = match self.code[last] {
            Op::I32Eq { a, b, .. } => (
                a,
                b,
                (|dst, a, b, c| Op::I32AddEq { dst, a, b, c }) as Counted,
            ),
            Op::I32Ne { a, b, .. } => (
                a,
                b,
                (|dst, a, b, c| Op::I32AddNe { dst, a, b, c }) as Counted,
            ),
            Op::I32LtS { a, b, .. } => (
                a,
                b,
                (|dst, a, b, c| Op::I32AddLtS { dst, a, b, c }) as Counted,
            ),
            Op::I32LtU { a, b, .. } => (
                a,
                b,
                (|dst, a, b, c| Op::I32AddLtU { dst, a, b, c }) as Counted,
            ),
            Op::I32GtS { a, b, .. } => (
                a,
                b,
                (|dst, a, b, c| Op::I32AddGtS { dst, a, b, c }) as Counted,
            ),
            Op::I32GtU { a, b, .. } => (
                a,
                b,
                (|dst, a, b, c| Op::I32AddGtU { dst, a, b, c }) as Counted,
            ),
            Op::I32LeS { a, b, .. } => (
                a,
                b,
                (|dst, a, b, c| Op::I32AddLeS { dst, a, b, c }) as Counted,
            ),
            Op::I32LeU { a, b, .. } => (
                a,
                b,
                (|dst, a, b, c| Op::I32AddLeU { dst, a, b, c }) as Counted,
            ),
            Op::I32GeS { a, b, .. } => (
                a,
                b,
                (|dst, a, b, c| Op::I32AddGeS { dst, a, b, c }) as Counted,
            ),
            Op::I32GeU { a, b, .. } => (
                a,
                b,
                (|dst, a, b, c| Op::I32AddGeU { dst, a, b, c }) as Counted,
            ),
            _ => return false,
        };
        let small = |s: Slot| u16::try_from(s).ok();
        let c = match other.place {
            Place::Home => Some(other.home),
            Place::Local(l) => Some(self.locals[l as usize].1),
            Place::Const(bits) => self.const_slot(bits),
        };
        let (Some(a), Some(b), Some(c)) = (small(a), small(b), c.and_then(small)) else {
            return false;
        };
        self.code.pop();
        self.last_result = None;
        self.stack.truncate(n - 2);
        let dst = self.push_result(ValType::I32);
        self.emit_result(f(dst, a, b, c));
        true
    }
}
