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
        let arith = has_stored_form(made);
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
            (true, Some(to)) => {
                stored_form(made, to, offset).or_else(|| to_mem_form(made, to, offset))
            }
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

/// Writes `has_stored_form` (whether op `dst = a op b` has a form with the
/// store of its result fused in) and `stored_form` (that form, storing at
/// `addr + offset`, when its operand slots fit).
macro_rules! stored_forms {
    ($($op:ident => $fused:ident,)*) => {
        fn has_stored_form(op: Op) -> bool {
            matches!(op, $(Op::$op { .. })|*)
        }

        fn stored_form(op: Op, addr: u16, offset: u32) -> Option<Op> {
            let small = |s: Slot| u16::try_from(s).ok();
            match op {
                $(Op::$op { dst, a, b } => {
                    Some(Op::$fused { dst, a: small(a)?, b: small(b)?, addr, offset })
                })*
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
