//! Integer lane compares. x86 has only `pcmpeq` and signed `pcmpgt`;
//! `ge`/`le` compare a min or max with the left operand, unsigned `gt`/`lt`
//! and signed i64 `ge`/`le` are the complements, and i64 `gt_s` without
//! SSE4.2 is built from 32-bit compares.

use super::{bin, mov, not, op, op_imm, pshufd};
use crate::masm::Reg;
use crate::x64::{X64, XMM15};
use iced_x86::Code;
use wasmparser::Operator;

/// The instructions of one lane width, as (SSE, VEX) pairs.
struct Lane {
    eq: (Code, Code),
    gt: (Code, Code),
    /// `min_s`, `max_s`, `min_u`, `max_u` (none for 64-bit lanes).
    minmax: Option<[(Code, Code); 4]>,
}

const I8: Lane = Lane {
    eq: (
        Code::Pcmpeqb_xmm_xmmm128,
        Code::VEX_Vpcmpeqb_xmm_xmm_xmmm128,
    ),
    gt: (
        Code::Pcmpgtb_xmm_xmmm128,
        Code::VEX_Vpcmpgtb_xmm_xmm_xmmm128,
    ),
    minmax: Some([
        (Code::Pminsb_xmm_xmmm128, Code::VEX_Vpminsb_xmm_xmm_xmmm128),
        (Code::Pmaxsb_xmm_xmmm128, Code::VEX_Vpmaxsb_xmm_xmm_xmmm128),
        (Code::Pminub_xmm_xmmm128, Code::VEX_Vpminub_xmm_xmm_xmmm128),
        (Code::Pmaxub_xmm_xmmm128, Code::VEX_Vpmaxub_xmm_xmm_xmmm128),
    ]),
};

const I16: Lane = Lane {
    eq: (
        Code::Pcmpeqw_xmm_xmmm128,
        Code::VEX_Vpcmpeqw_xmm_xmm_xmmm128,
    ),
    gt: (
        Code::Pcmpgtw_xmm_xmmm128,
        Code::VEX_Vpcmpgtw_xmm_xmm_xmmm128,
    ),
    minmax: Some([
        (Code::Pminsw_xmm_xmmm128, Code::VEX_Vpminsw_xmm_xmm_xmmm128),
        (Code::Pmaxsw_xmm_xmmm128, Code::VEX_Vpmaxsw_xmm_xmm_xmmm128),
        (Code::Pminuw_xmm_xmmm128, Code::VEX_Vpminuw_xmm_xmm_xmmm128),
        (Code::Pmaxuw_xmm_xmmm128, Code::VEX_Vpmaxuw_xmm_xmm_xmmm128),
    ]),
};

const I32: Lane = Lane {
    eq: (
        Code::Pcmpeqd_xmm_xmmm128,
        Code::VEX_Vpcmpeqd_xmm_xmm_xmmm128,
    ),
    gt: (
        Code::Pcmpgtd_xmm_xmmm128,
        Code::VEX_Vpcmpgtd_xmm_xmm_xmmm128,
    ),
    minmax: Some([
        (Code::Pminsd_xmm_xmmm128, Code::VEX_Vpminsd_xmm_xmm_xmmm128),
        (Code::Pmaxsd_xmm_xmmm128, Code::VEX_Vpmaxsd_xmm_xmm_xmmm128),
        (Code::Pminud_xmm_xmmm128, Code::VEX_Vpminud_xmm_xmm_xmmm128),
        (Code::Pmaxud_xmm_xmmm128, Code::VEX_Vpmaxud_xmm_xmm_xmmm128),
    ]),
};

const I64: Lane = Lane {
    eq: (
        Code::Pcmpeqq_xmm_xmmm128,
        Code::VEX_Vpcmpeqq_xmm_xmm_xmmm128,
    ),
    gt: (
        Code::Pcmpgtq_xmm_xmmm128,
        Code::VEX_Vpcmpgtq_xmm_xmm_xmmm128,
    ),
    minmax: None,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rel {
    Eq,
    Ne,
    LtS,
    LtU,
    GtS,
    GtU,
    LeS,
    LeU,
    GeS,
    GeU,
}

fn classify(o: &Operator<'_>) -> Option<(&'static Lane, Rel)> {
    use Operator as O;
    Some(match o {
        O::I8x16Eq => (&I8, Rel::Eq),
        O::I8x16Ne => (&I8, Rel::Ne),
        O::I8x16LtS => (&I8, Rel::LtS),
        O::I8x16LtU => (&I8, Rel::LtU),
        O::I8x16GtS => (&I8, Rel::GtS),
        O::I8x16GtU => (&I8, Rel::GtU),
        O::I8x16LeS => (&I8, Rel::LeS),
        O::I8x16LeU => (&I8, Rel::LeU),
        O::I8x16GeS => (&I8, Rel::GeS),
        O::I8x16GeU => (&I8, Rel::GeU),
        O::I16x8Eq => (&I16, Rel::Eq),
        O::I16x8Ne => (&I16, Rel::Ne),
        O::I16x8LtS => (&I16, Rel::LtS),
        O::I16x8LtU => (&I16, Rel::LtU),
        O::I16x8GtS => (&I16, Rel::GtS),
        O::I16x8GtU => (&I16, Rel::GtU),
        O::I16x8LeS => (&I16, Rel::LeS),
        O::I16x8LeU => (&I16, Rel::LeU),
        O::I16x8GeS => (&I16, Rel::GeS),
        O::I16x8GeU => (&I16, Rel::GeU),
        O::I32x4Eq => (&I32, Rel::Eq),
        O::I32x4Ne => (&I32, Rel::Ne),
        O::I32x4LtS => (&I32, Rel::LtS),
        O::I32x4LtU => (&I32, Rel::LtU),
        O::I32x4GtS => (&I32, Rel::GtS),
        O::I32x4GtU => (&I32, Rel::GtU),
        O::I32x4LeS => (&I32, Rel::LeS),
        O::I32x4LeU => (&I32, Rel::LeU),
        O::I32x4GeS => (&I32, Rel::GeS),
        O::I32x4GeU => (&I32, Rel::GeU),
        O::I64x2Eq => (&I64, Rel::Eq),
        O::I64x2Ne => (&I64, Rel::Ne),
        O::I64x2LtS => (&I64, Rel::LtS),
        O::I64x2GtS => (&I64, Rel::GtS),
        O::I64x2LeS => (&I64, Rel::LeS),
        O::I64x2GeS => (&I64, Rel::GeS),
        _ => return None,
    })
}

pub(super) fn binary(
    a: &mut X64,
    o: &Operator<'_>,
    dst: Reg,
    lhs: Reg,
    rhs: Reg,
    tmp: Reg,
) -> bool {
    let Some((lane, rel)) = classify(o) else {
        return false;
    };
    let Some([min_s, max_s, min_u, max_u]) = lane.minmax else {
        match rel {
            Rel::Eq | Rel::Ne => bin(a, lane.eq.0, lane.eq.1, dst, lhs, rhs),
            Rel::GtS | Rel::LeS => gt64(a, dst, lhs, rhs, tmp),
            _ => gt64(a, dst, rhs, lhs, tmp),
        }
        if matches!(rel, Rel::Ne | Rel::LeS | Rel::GeS) {
            not(a, dst, tmp);
        }
        return true;
    };
    // `x >= y` iff `max(x, y) == x`; `x <= y` iff `min(x, y) == x`.
    let (code, negate) = match rel {
        Rel::Eq => (lane.eq, false),
        Rel::Ne => (lane.eq, true),
        Rel::GtS => (lane.gt, false),
        Rel::LtS => {
            bin(a, lane.gt.0, lane.gt.1, dst, rhs, lhs);
            return true;
        }
        Rel::GeS => (max_s, false),
        Rel::LeS => (min_s, false),
        Rel::GeU => (max_u, false),
        Rel::LeU => (min_u, false),
        Rel::LtU => (max_u, true),
        Rel::GtU => (min_u, true),
    };
    bin(a, code.0, code.1, dst, lhs, rhs);
    if !matches!(rel, Rel::Eq | Rel::Ne | Rel::GtS) {
        op(a, lane.eq.0, dst, lhs);
    }
    if negate {
        not(a, dst, tmp);
    }
    true
}

/// `dst = lhs > rhs` on signed 64-bit lanes.
fn gt64(a: &mut X64, dst: Reg, lhs: Reg, rhs: Reg, tmp: Reg) {
    if a.features.sse42 {
        bin(a, I64.gt.0, I64.gt.1, dst, lhs, rhs);
        return;
    }
    // In each high dword: `lhs.hi > rhs.hi`, or equal high halves and the
    // sign of `rhs - lhs` (then `lhs.lo > rhs.lo` unsigned); spread to the
    // whole lane.
    mov(a, tmp, rhs);
    op(a, Code::Psubq_xmm_xmmm128, tmp, lhs);
    mov(a, XMM15, lhs);
    op(a, Code::Pcmpeqd_xmm_xmmm128, XMM15, rhs);
    op(a, Code::Pand_xmm_xmmm128, tmp, XMM15);
    mov(a, XMM15, lhs);
    op(a, Code::Pcmpgtd_xmm_xmmm128, XMM15, rhs);
    op(a, Code::Por_xmm_xmmm128, tmp, XMM15);
    pshufd(a, dst, tmp, 0xf5);
    op_imm(a, Code::Psrad_xmm_imm8, dst, 31);
}
