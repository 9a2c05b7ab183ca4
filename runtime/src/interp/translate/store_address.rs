//! A store whose address was computed a few ops earlier as a local plus a
//! constant (`p[k] = <expression>`: wasm computes `p + k` first, then the
//! value): the store takes the local and the constant itself (its `W`
//! form, which adds them modulo 2³² as the `i32.add` did) and the add is
//! removed. Only across ops that write nothing but their result slot, so
//! the local still holds what the add read and nothing else read the sum.

use super::stack::Place;
use super::Translator;
use crate::interp::code::{Op, Slot};

/// How many ops back the add may be.
const REACH: usize = 16;

impl Translator<'_> {
    /// If the stack top (a store's address) is a temporary that an
    /// `I32AddImm` of a local or constant slot made earlier in this
    /// straight stretch of code, removes that op and the operand and
    /// returns `(slot, imm)`; [`Translator::removed_at`] says where.
    pub(super) fn take_earlier_add_imm(&mut self) -> Option<(Slot, i32)> {
        let top = *self.stack.last()?;
        if top.place != Place::Home || top.home < self.stack_base {
            return None;
        }
        let first = self.label_at.max(self.target_at) + 1;
        let from = self.code.len().saturating_sub(REACH).max(first);
        let k = (from..self.code.len())
            .rev()
            .find(|&i| self.code[i].clone().dst_mut().copied() == Some(top.home))?;
        let Op::I32AddImm { a, imm, .. } = self.code[k] else {
            return None;
        };
        let untouched = self.code[k + 1..].iter().all(|op| {
            matches!(op, Op::Arg { .. })
                || op
                    .clone()
                    .dst_mut()
                    .is_some_and(|&mut d| d != a && d != top.home)
        });
        if a >= self.stack_base || !untouched {
            return None;
        }
        self.code.remove(k);
        self.stack.pop();
        self.last_result = self
            .last_result
            .map(|(i, s)| (if i > k { i - 1 } else { i }, s));
        self.removed_at = Some(k);
        Some((a, imm))
    }
}
