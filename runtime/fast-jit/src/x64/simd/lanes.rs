//! SIMD splats, lane extract/replace, shuffles and swizzle.

use crate::masm::Reg;
use crate::x64::X64;
use wasmparser::Operator;

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

pub(super) fn splat(_a: &mut X64, _op: &Operator<'_>, _dst: Reg, _src: Reg) -> bool {
    false
}

pub(super) fn extract(_a: &mut X64, _op: &Operator<'_>, _dst: Reg, _src: Reg) -> bool {
    false
}

pub(super) fn replace(
    _a: &mut X64,
    _op: &Operator<'_>,
    _dst: Reg,
    _vec: Reg,
    _scalar: Reg,
) -> bool {
    false
}
