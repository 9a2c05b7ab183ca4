//! SIMD float lane arithmetic, compares and rounding.

use crate::masm::Reg;
use crate::x64::X64;
use wasmparser::Operator;

pub(super) fn unary(_a: &mut X64, _op: &Operator<'_>, _dst: Reg, _src: Reg, _tmp: Reg) -> bool {
    false
}

pub(super) fn binary(
    _a: &mut X64,
    _op: &Operator<'_>,
    _dst: Reg,
    _lhs: Reg,
    _rhs: Reg,
    _tmp: Reg,
) -> bool {
    false
}
