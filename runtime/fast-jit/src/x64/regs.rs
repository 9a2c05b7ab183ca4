//! x86-64 register numbering (general-purpose 0..16, xmm 16..32) and the
//! iced-x86 names and memory operands for them.

use crate::masm::{Mem, Reg};
use iced_x86::{MemoryOperand, Register};

pub(crate) const RAX: Reg = Reg(0);
pub(crate) const RCX: Reg = Reg(1);
pub(crate) const RDX: Reg = Reg(2);
pub(crate) const RBX: Reg = Reg(3);
pub(crate) const RSP: Reg = Reg(4);
pub(crate) const RBP: Reg = Reg(5);
pub(crate) const RSI: Reg = Reg(6);
pub(crate) const RDI: Reg = Reg(7);
pub(crate) const R8: Reg = Reg(8);
pub(crate) const R9: Reg = Reg(9);
pub(crate) const R10: Reg = Reg(10);
pub(crate) const R11: Reg = Reg(11);
pub(crate) const R12: Reg = Reg(12);
pub(crate) const R13: Reg = Reg(13);
pub(crate) const R14: Reg = Reg(14);
pub(crate) const R15: Reg = Reg(15);

/// `xmm<n>`.
pub(crate) const fn xmm(n: u8) -> Reg {
    Reg(16 + n)
}

pub(crate) const XMM14: Reg = xmm(14);
pub(crate) const XMM15: Reg = xmm(15);

const R64: [Register; 16] = [
    Register::RAX,
    Register::RCX,
    Register::RDX,
    Register::RBX,
    Register::RSP,
    Register::RBP,
    Register::RSI,
    Register::RDI,
    Register::R8,
    Register::R9,
    Register::R10,
    Register::R11,
    Register::R12,
    Register::R13,
    Register::R14,
    Register::R15,
];
const R32: [Register; 16] = [
    Register::EAX,
    Register::ECX,
    Register::EDX,
    Register::EBX,
    Register::ESP,
    Register::EBP,
    Register::ESI,
    Register::EDI,
    Register::R8D,
    Register::R9D,
    Register::R10D,
    Register::R11D,
    Register::R12D,
    Register::R13D,
    Register::R14D,
    Register::R15D,
];
const R16: [Register; 16] = [
    Register::AX,
    Register::CX,
    Register::DX,
    Register::BX,
    Register::SP,
    Register::BP,
    Register::SI,
    Register::DI,
    Register::R8W,
    Register::R9W,
    Register::R10W,
    Register::R11W,
    Register::R12W,
    Register::R13W,
    Register::R14W,
    Register::R15W,
];
const R8B: [Register; 16] = [
    Register::AL,
    Register::CL,
    Register::DL,
    Register::BL,
    Register::SPL,
    Register::BPL,
    Register::SIL,
    Register::DIL,
    Register::R8L,
    Register::R9L,
    Register::R10L,
    Register::R11L,
    Register::R12L,
    Register::R13L,
    Register::R14L,
    Register::R15L,
];

pub(crate) fn q(r: Reg) -> Register {
    R64[r.0 as usize & 15]
}
pub(crate) fn d(r: Reg) -> Register {
    R32[r.0 as usize & 15]
}
pub(crate) fn w(r: Reg) -> Register {
    R16[r.0 as usize & 15]
}
pub(crate) fn b(r: Reg) -> Register {
    R8B[r.0 as usize & 15]
}
pub(crate) fn x(r: Reg) -> Register {
    debug_assert!(r.is_fpr());
    Register::try_from(Register::XMM0 as usize + (r.0 as usize - 16)).unwrap_or(Register::XMM0)
}

pub(crate) fn mem(m: Mem) -> MemoryOperand {
    let index = m.index.map_or(Register::None, q);
    MemoryOperand::with_base_index_scale_displ_size(q(m.base), index, 1, m.disp as i64, 1)
}
