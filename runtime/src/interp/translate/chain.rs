//! Chained `f64` arithmetic: an add, sub or mul whose operand was just
//! computed by another one becomes one op (`F64MulAdd` for `(a * b) + c`,
//! `F64MulAddR` for `c + (a * b)`, and so on), as in `x * x + y * y` or
//! `(zr + zr) * zi + ci`. Operand order is kept, so results are bit for
//! bit those of the two ops, NaNs included. Likewise an `i32.add` of an
//! `i32.add` or `i32.mul` result (`I32AddAdd`, `I32MulAdd`).

use super::fuse::MemArith;
use super::stack::Place;
use super::Translator;
use crate::interp::code::{Op, Slot};
use crate::types::ValType;

/// Builds a chained op from `(dst, a, b, c)`.
type Chain = fn(Slot, u16, u16, u16) -> Op;

/// The chained op for `inner` then `outer`, `R` form when the inner result
/// is the right operand.
fn chain(inner: MemArith, outer: MemArith, right: bool) -> Chain {
    use MemArith::{Add, Mul, Sub};
    macro_rules! pick {
        ($($i:ident $o:ident => $l:ident, $r:ident;)*) => {
            match (inner, outer, right) {
                $(
                    ($i, $o, false) => |dst, a, b, c| Op::$l { dst, a, b, c },
                    ($i, $o, true) => |dst, a, b, c| Op::$r { dst, a, b, c },
                )*
            }
        };
    }
    pick! {
        Add Add => F64AddAdd, F64AddAddR;
        Add Sub => F64AddSub, F64AddSubR;
        Add Mul => F64AddMul, F64AddMulR;
        Sub Add => F64SubAdd, F64SubAddR;
        Sub Sub => F64SubSub, F64SubSubR;
        Sub Mul => F64SubMul, F64SubMulR;
        Mul Add => F64MulAdd, F64MulAddR;
        Mul Sub => F64MulSub, F64MulSubR;
        Mul Mul => F64MulMul, F64MulMulR;
    }
}

impl Translator<'_> {
    /// Fuses the f64 `outer` op about to be translated with the f64 add,
    /// sub or mul just emitted when that computed one of its operands and
    /// the other is readable without code (a local, a home or a constant
    /// slot); false, with nothing done, otherwise.
    pub(super) fn fuse_f64_chain(&mut self, outer: MemArith) -> bool {
        let inner = |op| match op {
            Op::F64Add { a, b, .. } => Some((MemArith::Add, a, b)),
            Op::F64Sub { a, b, .. } => Some((MemArith::Sub, a, b)),
            Op::F64Mul { a, b, .. } => Some((MemArith::Mul, a, b)),
            _ => None,
        };
        let Some((inner, right, [a, b, c])) = self.take_chain(inner) else {
            return false;
        };
        let dst = self.push_result(ValType::F64);
        self.emit_result(chain(inner, outer, right)(dst, a, b, c));
        true
    }

    /// The same for an `i32.add` of the result of an `i32.add` or
    /// `i32.mul` (`I32AddAdd`, `I32MulAdd`; the add commutes, so the side
    /// does not matter): `a + b + c`, `a * b + c` of index arithmetic.
    pub(super) fn fuse_i32_add_chain(&mut self) -> bool {
        let inner = |op| match op {
            Op::I32Add { a, b, .. } => Some((false, a, b)),
            Op::I32Mul { a, b, .. } => Some((true, a, b)),
            _ => None,
        };
        let Some((mul, _, [a, b, c])) = self.take_chain(inner) else {
            return false;
        };
        let dst = self.push_result(ValType::I32);
        self.emit_result(match mul {
            false => Op::I32AddAdd { dst, a, b, c },
            true => Op::I32MulAdd { dst, a, b, c },
        });
        true
    }

    /// If one of the top two operands was just computed by an op `inner`
    /// accepts (giving its kind and operands) and the other is readable
    /// without code, removes that op and both operands and returns the
    /// kind, whether the computed one was the right operand, and the
    /// inner operands and the other's slot (all 16-bit).
    fn take_chain<K>(
        &mut self,
        inner: impl Fn(Op) -> Option<(K, Slot, Slot)>,
    ) -> Option<(K, bool, [u16; 3])> {
        let n = self.stack.len();
        let (last, (x, x_made), (y, y_made)) = self.top_two_fresh()?;
        let (right, other) = if x_made {
            (false, y)
        } else if y_made {
            (true, x)
        } else {
            return None;
        };
        let (kind, a, b) = inner(self.code[last])?;
        let small = |s: Slot| u16::try_from(s).ok();
        let c = match other.place {
            Place::Home => Some(other.home),
            Place::Local(l) => Some(self.locals[l as usize].1),
            Place::Const(bits) => self.const_slot(bits),
        };
        let operands = [small(a)?, small(b)?, c.and_then(small)?];
        self.code.pop();
        self.last_result = None;
        self.stack.truncate(n - 2);
        Some((kind, right, operands))
    }
}
