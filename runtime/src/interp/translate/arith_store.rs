//! A store of the result of the `f64` add, sub or mul (or the `i64` add,
//! sub, mul, and, or, xor) just before it: one op computes, keeps the
//! result in its slot and stores it (`F64AddStore`, the `v.x = a + b` of
//! a struct update; `I64AddStore`, a VM's `r[d] = r[a] + r[b]`). When an
//! `f64` op read its right operand from the very address stored to, the
//! value goes back where it came from (`F64AddToMem`, `p[i] += a`).

use super::Translator;
use crate::interp::code::{Op, Slot};

impl Translator<'_> {
    /// Emits the store of `value` (popped) at the address below it plus
    /// `offset`, fused with the op that computed `value` when it is such an
    /// op; false, with nothing done, when it is not.
    pub(super) fn fuse_arith_store(&mut self, value: Slot, offset: u32) -> bool {
        let Some(last) = self.last_fusable() else {
            return false;
        };
        let made = self.code[last];
        let arith = operands(made).is_some();
        let load_arith = matches!(
            made,
            Op::F64AddLoad { .. } | Op::F64SubLoad { .. } | Op::F64MulLoad { .. }
        );
        if made.clone().dst_mut().copied() != Some(value) || !(arith || load_arith) {
            return false;
        }
        let addr = self.pop();
        let small = |s: Slot| u16::try_from(s).ok();
        // Reading the address may have emitted an op after the arithmetic.
        let fused = match (self.code.len() == last + 1, small(addr)) {
            (true, Some(to)) => operands(made)
                .and_then(|(a, b)| stored_form(made, small(a)?, small(b)?, to, offset))
                .or_else(|| to_mem_form(made, to, offset)),
            _ => None,
        };
        let Some(fused) = fused else {
            self.emit(Op::I64Store {
                addr,
                value,
                offset,
            });
            return true;
        };
        self.code.pop();
        self.last_result = None;
        if arith {
            // Only the store can trap: the fused op traps as the store. (A
            // `*ToMem` op traps where its load did, at the same address.)
            self.fused_from = Some(self.code.len());
        }
        self.emit(fused);
        true
    }
}

/// The operands of a binary op.
fn operands(op: Op) -> Option<(Slot, Slot)> {
    match op {
        Op::F64Add { a, b, .. }
        | Op::F64Sub { a, b, .. }
        | Op::F64Mul { a, b, .. }
        | Op::I64Add { a, b, .. }
        | Op::I64Sub { a, b, .. }
        | Op::I64Mul { a, b, .. }
        | Op::I64And { a, b, .. }
        | Op::I64Or { a, b, .. }
        | Op::I64Xor { a, b, .. } => Some((a, b)),
        _ => None,
    }
}

/// Writes `stored_form`: the op `dst = a op b` with the store of its
/// result at `addr + offset` fused in, for the ops that have that form.
macro_rules! stored_forms {
    ($($op:ident => $fused:ident,)*) => {
        fn stored_form(op: Op, a: u16, b: u16, addr: u16, offset: u32) -> Option<Op> {
            match op {
                $(Op::$op { dst, .. } => Some(Op::$fused { dst, a, b, addr, offset }),)*
                _ => None,
            }
        }
    };
}

stored_forms! {
    F64Add => F64AddStore, F64Sub => F64SubStore, F64Mul => F64MulStore,
    I64Add => I64AddStore, I64Sub => I64SubStore, I64Mul => I64MulStore,
    I64And => I64AndStore, I64Or => I64OrStore, I64Xor => I64XorStore,
}

/// An `f64` op with its right operand loaded from `addr + offset` that
/// writes its result back there, for a load from that very address.
fn to_mem_form(op: Op, to: u16, offset: u32) -> Option<Op> {
    let same = |addr: u16, at: u32| (addr, at) == (to, offset);
    Some(match op {
        Op::F64AddLoad {
            dst,
            a,
            addr,
            offset,
        } if same(addr, offset) => Op::F64AddToMem {
            dst,
            a,
            addr,
            offset,
        },
        Op::F64SubLoad {
            dst,
            a,
            addr,
            offset,
        } if same(addr, offset) => Op::F64SubToMem {
            dst,
            a,
            addr,
            offset,
        },
        Op::F64MulLoad {
            dst,
            a,
            addr,
            offset,
        } if same(addr, offset) => Op::F64MulToMem {
            dst,
            a,
            addr,
            offset,
        },
        _ => return None,
    })
}
