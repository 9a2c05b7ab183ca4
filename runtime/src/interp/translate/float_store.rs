//! An `f64.store` of the result of the `f64` add, sub or mul just before
//! it: one op computes, keeps the result in its slot and stores it
//! (`F64AddStore`, the `v.x = a + b` of a struct update); when that op read
//! its right operand from the very address stored to, the value goes back
//! where it came from (`F64AddToMem`, `p[i] += a`).

use super::Translator;
use crate::interp::code::{Op, Slot};

impl Translator<'_> {
    /// Emits the store of `value` (popped) at the address below it plus
    /// `offset`, fused with the op that computed `value` when it is such an
    /// `f64` op; false, with nothing done, when it is not.
    pub(super) fn fuse_f64_store(&mut self, value: Slot, offset: u32) -> bool {
        let Some(last) = self.last_fusable() else {
            return false;
        };
        let made = self.code[last];
        let small = |s: Slot| u16::try_from(s).ok();
        let arith = match made {
            Op::F64Add { dst, a, b } | Op::F64Sub { dst, a, b } | Op::F64Mul { dst, a, b }
                if dst == value =>
            {
                small(a).zip(small(b))
            }
            Op::F64AddLoad { dst, .. }
            | Op::F64SubLoad { dst, .. }
            | Op::F64MulLoad { dst, .. }
                if dst == value =>
            {
                None
            }
            _ => return false,
        };
        let addr = self.pop();
        let plain = Op::I64Store {
            addr,
            value,
            offset,
        };
        if self.code.len() != last + 1 {
            // Reading the address emitted an op after the arithmetic.
            self.emit(plain);
            return true;
        }
        let fused = match (made, arith, small(addr)) {
            (Op::F64Add { dst, .. }, Some((a, b)), Some(addr)) => Op::F64AddStore {
                dst,
                a,
                b,
                addr,
                offset,
            },
            (Op::F64Sub { dst, .. }, Some((a, b)), Some(addr)) => Op::F64SubStore {
                dst,
                a,
                b,
                addr,
                offset,
            },
            (Op::F64Mul { dst, .. }, Some((a, b)), Some(addr)) => Op::F64MulStore {
                dst,
                a,
                b,
                addr,
                offset,
            },
            (
                Op::F64AddLoad {
                    dst,
                    a,
                    addr: from,
                    offset: at,
                },
                _,
                Some(to),
            ) if (from, at) == (to, offset) => Op::F64AddToMem {
                dst,
                a,
                addr: to,
                offset,
            },
            (
                Op::F64SubLoad {
                    dst,
                    a,
                    addr: from,
                    offset: at,
                },
                _,
                Some(to),
            ) if (from, at) == (to, offset) => Op::F64SubToMem {
                dst,
                a,
                addr: to,
                offset,
            },
            (
                Op::F64MulLoad {
                    dst,
                    a,
                    addr: from,
                    offset: at,
                },
                _,
                Some(to),
            ) if (from, at) == (to, offset) => Op::F64MulToMem {
                dst,
                a,
                addr: to,
                offset,
            },
            _ => {
                self.emit(plain);
                return true;
            }
        };
        self.code.pop();
        self.last_result = None;
        if arith.is_some() {
            // Only the store can trap: the fused op traps as the store. (A
            // `*ToMem` op traps where its load did, at the same address.)
            self.fused_from = Some(self.code.len());
        }
        self.emit(fused);
        true
    }
}
