//! SIMD integer lane arithmetic, compares, bitwise operators, shifts,
//! lane tests and `bitselect`.

use crate::masm::{Operand, Reg};
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

pub(super) fn ternary(
    _a: &mut X64,
    _op: &Operator<'_>,
    _dst: Reg,
    _v: [Reg; 3],
    _tmp: Reg,
) -> bool {
    false
}

pub(super) fn shift(
    _a: &mut X64,
    _op: &Operator<'_>,
    _dst: Reg,
    _src: Reg,
    _amount: Operand,
    _tmp: Reg,
) -> bool {
    false
}

pub(super) fn test(_a: &mut X64, _op: &Operator<'_>, _dst: Reg, _src: Reg, _tmp: Reg) -> bool {
    false
}
