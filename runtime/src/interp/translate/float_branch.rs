//! Two more folds into a compare-and-branch. An `i32.eqz` of a comparison
//! just made becomes the branch on that comparison, negated (`br_if` on
//! `!(x > y)`: `BrF64NotGt`, which also branches on NaN, as the `eqz` of a
//! false comparison does). An `f64.add` whose sum only the branch compares
//! goes into the branch (`BrF64Add*`: an escape test `x*x + y*y > 4`).

use super::Translator;
use crate::interp::code::{Op, Slot};

impl Translator<'_> {
    /// If `code[last]` is an `i32.eqz` of a stack temporary that the op
    /// before it computed (no label between them), that op and the
    /// temporary: the branch on the `eqz` can test the op's result itself.
    pub(super) fn eqz_of_fresh(&self, last: usize) -> Option<(Op, Slot)> {
        let Op::I32Eqz { a, .. } = self.code[last] else {
            return None;
        };
        let prev = last.checked_sub(1).filter(|p| *p >= self.label_at)?;
        let mut made = self.code[prev];
        (a >= self.stack_base && made.dst_mut().copied() == Some(a)).then_some((made, a))
    }

    /// `br`, a compare-and-branch on `f64`s about to be emitted, with the
    /// `f64.add` just emitted folded in when the sum is one of the compared
    /// operands and nothing else reads it; else `br` itself.
    pub(super) fn fold_f64_add_into_branch(&mut self, br: Op) -> Op {
        let Some(last) = self.last_fusable() else {
            return br;
        };
        let Op::F64Add { dst, a: x, b: y } = self.code[last] else {
            return br;
        };
        if dst < self.stack_base {
            return br;
        }
        let Some((target, a, b, cmp)) = f64_compare(br) else {
            return br;
        };
        // A sum on the right is compared from the other side: `b < s` is `s > b`.
        let (other, cmp) = match (a == dst, b == dst) {
            (true, false) => (b, cmp),
            (false, true) => (a, cmp.swapped()),
            _ => return br,
        };
        let small = |s: Slot| u16::try_from(s).ok();
        let (Some(x), Some(y), Some(b)) = (small(x), small(y), small(other)) else {
            return br;
        };
        self.code.pop();
        cmp.add_branch(target, x, y, b)
    }
}

/// The comparisons of the `f64` compare-and-branch ops; `Not*` branch when
/// the comparison is false (NaN included).
#[derive(Clone, Copy)]
enum Cmp {
    Lt,
    Gt,
    Le,
    Ge,
    NotLt,
    NotGt,
    NotLe,
    NotGe,
}

impl Cmp {
    /// The comparison with its operands exchanged.
    fn swapped(self) -> Cmp {
        match self {
            Cmp::Lt => Cmp::Gt,
            Cmp::Gt => Cmp::Lt,
            Cmp::Le => Cmp::Ge,
            Cmp::Ge => Cmp::Le,
            Cmp::NotLt => Cmp::NotGt,
            Cmp::NotGt => Cmp::NotLt,
            Cmp::NotLe => Cmp::NotGe,
            Cmp::NotGe => Cmp::NotLe,
        }
    }

    /// The branch taken when `(x + y) cmp b`.
    fn add_branch(self, target: u32, x: u16, y: u16, b: u16) -> Op {
        match self {
            Cmp::Lt => Op::BrF64AddLt { target, x, y, b },
            Cmp::Gt => Op::BrF64AddGt { target, x, y, b },
            Cmp::Le => Op::BrF64AddLe { target, x, y, b },
            Cmp::Ge => Op::BrF64AddGe { target, x, y, b },
            Cmp::NotLt => Op::BrF64AddNotLt { target, x, y, b },
            Cmp::NotGt => Op::BrF64AddNotGt { target, x, y, b },
            Cmp::NotLe => Op::BrF64AddNotLe { target, x, y, b },
            Cmp::NotGe => Op::BrF64AddNotGe { target, x, y, b },
        }
    }
}

/// The target, operands and comparison of an `f64` compare-and-branch.
fn f64_compare(br: Op) -> Option<(u32, Slot, Slot, Cmp)> {
    Some(match br {
        Op::BrF64Lt { target, a, b } => (target, a, b, Cmp::Lt),
        Op::BrF64Gt { target, a, b } => (target, a, b, Cmp::Gt),
        Op::BrF64Le { target, a, b } => (target, a, b, Cmp::Le),
        Op::BrF64Ge { target, a, b } => (target, a, b, Cmp::Ge),
        Op::BrF64NotLt { target, a, b } => (target, a, b, Cmp::NotLt),
        Op::BrF64NotGt { target, a, b } => (target, a, b, Cmp::NotGt),
        Op::BrF64NotLe { target, a, b } => (target, a, b, Cmp::NotLe),
        Op::BrF64NotGe { target, a, b } => (target, a, b, Cmp::NotGe),
        _ => return None,
    })
}
