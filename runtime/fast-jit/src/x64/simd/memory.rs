//! SIMD loads and stores: the extending, splatting and zeroing
//! `v128.load*` forms and the lane loads and stores.

use crate::masm::{Mem, Reg};
use crate::x64::X64;
use wasmparser::Operator;

pub(super) fn load(_a: &mut X64, _op: &Operator<'_>, _dst: Reg, _m: Mem) -> bool {
    false
}

pub(super) fn load_lane(_a: &mut X64, _op: &Operator<'_>, _dst: Reg, _vec: Reg, _m: Mem) -> bool {
    false
}

pub(super) fn store_lane(_a: &mut X64, _op: &Operator<'_>, _m: Mem, _src: Reg) -> bool {
    false
}
