//! Direct encodings of the most frequent general-purpose instructions
//! (moves, loads, stores, ALU operations, `lea`, `test`), written straight
//! into the code buffer: the JIT's compile speed is dominated by them, and
//! the generic encoder's operand checks cost more than the encoding.
//! Everything else goes through iced-x86.

use super::X64;
use crate::masm::{Mem, Reg};

/// The r/m operand of an instruction.
#[derive(Clone, Copy)]
pub(crate) enum Rm {
    Reg(Reg),
    Mem(Mem),
}

/// Emits `[rex] opcode modrm [sib] [disp]` with `reg` in the ModRM reg
/// field (a register number or an opcode extension).
#[inline(always)]
pub(crate) fn op_rm(a: &mut X64, opcode: &[u8], wide: bool, reg: u8, rm: Rm, byte_reg: bool) {
    // The most frequent shapes (one opcode byte; a register, or a base
    // register and a displacement) have their own short paths.
    if let ([op], false) = (opcode, byte_reg) {
        match rm {
            Rm::Reg(r) => return op_reg_reg(a, *op, wide, reg, r.0),
            Rm::Mem(m) if m.index.is_none() => {
                return op_reg_base(a, *op, wide, reg, m.base.0, m.disp)
            }
            Rm::Mem(_) => {}
        }
    }
    op_rm_prefixed(a, None, opcode, wide, reg, rm, byte_reg)
}

/// The REX prefix for ModRM `reg` and r/m (or base) `rm`, `0x40` when
/// none is needed.
#[inline(always)]
fn rex(wide: bool, reg: u8, rm: u8) -> u64 {
    (0x40 | (wide as u8) << 3 | ((reg >> 3) & 1) << 2 | (rm >> 3) & 1) as u64
}

/// `[rex] op modrm` with two registers.
#[inline(always)]
fn op_reg_reg(a: &mut X64, op: u8, wide: bool, reg: u8, rm: u8) {
    let modrm = (0xc0 | (reg & 7) << 3 | (rm & 7)) as u64;
    let bytes = (op as u64) | modrm << 8;
    let rex = rex(wide, reg, rm);
    if rex != 0x40 {
        a.put_u64(rex | bytes << 8, 3);
    } else {
        a.put_u64(bytes, 2);
    }
}

/// `[rex] op modrm [sib] [disp]` with `[base + disp]`.
#[inline(always)]
fn op_reg_base(a: &mut X64, op: u8, wide: bool, reg: u8, base: u8, disp: i32) {
    // rbp/r13 as base always need a displacement; rsp/r12 a SIB byte.
    let (mode, disp_len) = if disp == 0 && base & 7 != 5 {
        (0x00, 0)
    } else if (-128..128).contains(&disp) {
        (0x40, 1)
    } else {
        (0x80, 4)
    };
    let modrm = (mode | (reg & 7) << 3 | (base & 7)) as u64;
    let mut bytes = (op as u64) | modrm << 8;
    let mut len = 2;
    if base & 7 == 4 {
        bytes |= 0x24 << 16;
        len = 3;
    }
    let disp_bytes = disp as u32 as u64 & if disp_len == 1 { 0xff } else { 0xffff_ffff };
    bytes |= disp_bytes << (8 * len);
    len += disp_len;
    let rex = rex(wide, reg, base);
    if rex != 0x40 {
        a.put_u64(rex | bytes << 8, len + 1);
    } else {
        a.put_u64(bytes, len);
    }
}

/// One instruction's bytes, built on the stack and appended at once.
pub(crate) struct Bytes {
    buf: [u8; 16],
    len: usize,
}

impl Bytes {
    pub(crate) fn new() -> Bytes {
        Bytes {
            buf: [0; 16],
            len: 0,
        }
    }

    /// Appends a byte (an x86 instruction has at most 15; the mask keeps
    /// the index in range without a check).
    #[inline(always)]
    pub(crate) fn push(&mut self, b: u8) {
        self.buf[self.len & 15] = b;
        self.len += 1;
    }

    /// Appends a few bytes, one at a time (no call to `memcpy`).
    #[inline(always)]
    pub(crate) fn extend(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.push(b);
        }
    }

    /// Appends the bytes to the code.
    #[inline(always)]
    pub(crate) fn emit(&self, a: &mut X64) {
        a.put(&self.buf, self.len);
    }
}

/// [`op_rm`] with a mandatory prefix (`66`, `F2`, `F3`) before the REX byte.
#[inline]
pub(crate) fn op_rm_prefixed(
    a: &mut X64,
    prefix: Option<u8>,
    opcode: &[u8],
    wide: bool,
    reg: u8,
    rm: Rm,
    byte_reg: bool,
) {
    let mut code = Bytes::new();
    encode_rm(&mut code, prefix, opcode, wide, reg, rm, byte_reg);
    code.emit(a);
}

/// Builds `[prefix] [rex] opcode modrm [sib] [disp]` into `code`.
#[inline]
pub(crate) fn encode_rm(
    code: &mut Bytes,
    prefix: Option<u8>,
    opcode: &[u8],
    wide: bool,
    reg: u8,
    rm: Rm,
    byte_reg: bool,
) {
    if let Some(p) = prefix {
        code.push(p);
    }
    let (base, index) = match rm {
        Rm::Reg(r) => (r.0 & 15, None),
        Rm::Mem(m) => (m.base.0 & 15, m.index.map(|i| i.0 & 15)),
    };
    let rex = 0x40
        | (wide as u8) << 3
        | ((reg >> 3) & 1) << 2
        | ((index.unwrap_or(0) >> 3) & 1) << 1
        | (base >> 3) & 1;
    // Byte registers spl, bpl, sil, dil need a REX prefix to be addressed.
    let rm_byte = matches!(rm, Rm::Reg(r) if (4..8).contains(&(r.0 & 15)));
    let needs_byte_rex = byte_reg && ((4..8).contains(&reg) || rm_byte);
    if rex != 0x40 || needs_byte_rex {
        code.push(rex);
    }
    code.extend(opcode);
    let reg3 = (reg & 7) << 3;
    match rm {
        Rm::Reg(r) => code.push(0xc0 | reg3 | (r.0 & 7)),
        Rm::Mem(m) => {
            let disp = m.disp;
            // rbp/r13 as base always need a displacement.
            let mode = if disp == 0 && base & 7 != 5 {
                0x00
            } else if (-128..128).contains(&disp) {
                0x40
            } else {
                0x80
            };
            match index {
                None if base & 7 != 4 => code.push(mode | reg3 | (base & 7)),
                _ => {
                    // SIB: scale 1; index 4 (rsp) means none.
                    let idx = index.unwrap_or(4);
                    code.push(mode | reg3 | 4);
                    code.push(((idx & 7) << 3) | (base & 7));
                }
            }
            match mode {
                0x40 => code.push(disp as i8 as u8),
                0x80 => code.extend(&disp.to_le_bytes()),
                _ => {}
            }
        }
    }
}

/// Whether `m` can be encoded here (an index register other than rsp).
pub(crate) fn encodable(m: &Mem) -> bool {
    m.index.is_none_or(|i| i.0 & 15 != 4)
}

/// `op r/m, imm` with a sign-extended 8-bit immediate when it fits
/// (`/ext` selects the ALU operation: add 0, or 1, and 4, sub 5, xor 6, cmp 7).
pub(crate) fn alu_imm(a: &mut X64, ext: u8, wide: bool, rm: Rm, imm: i32) {
    if let Rm::Reg(r) = rm {
        // The short path: `[rex] 83/81 modrm imm8/imm32` in one store.
        let modrm = (0xc0 | (ext & 7) << 3 | (r.0 & 7)) as u64;
        let (op, imm, imm_len) = if (-128..128).contains(&imm) {
            (0x83, imm as u8 as u64, 1)
        } else {
            (0x81, imm as u32 as u64, 4)
        };
        let bytes = op | modrm << 8 | imm << 16;
        let rex = rex(wide, 0, r.0);
        if rex != 0x40 {
            a.put_u64(rex | bytes << 8, 3 + imm_len);
        } else {
            a.put_u64(bytes, 2 + imm_len);
        }
        return;
    }
    let mut code = Bytes::new();
    if (-128..128).contains(&imm) {
        encode_rm(&mut code, None, &[0x83], wide, ext, rm, false);
        code.push(imm as i8 as u8);
    } else {
        encode_rm(&mut code, None, &[0x81], wide, ext, rm, false);
        code.extend(&imm.to_le_bytes());
    }
    code.emit(a);
}

/// `push r64` / `pop r64`.
pub(crate) fn push_pop(a: &mut X64, push: bool, r: Reg) {
    let op = if push { 0x50 } else { 0x58 } | (r.0 & 7);
    if r.0 & 15 >= 8 {
        a.raw(&[0x41, op]);
    } else {
        a.raw(&[op]);
    }
}

/// `call r64`.
pub(crate) fn call_reg(a: &mut X64, r: Reg) {
    op_rm(a, &[0xff], false, 2, Rm::Reg(r), false);
}

/// SSE moves between vector registers, memory and general registers.
pub(crate) enum SseMove {
    /// `movss xmm, m32` / `movss m32, xmm`.
    Ss,
    /// `movsd xmm, m64` / `movsd m64, xmm`.
    Sd,
    /// `movdqu xmm, m128` / `movdqu m128, xmm`.
    Dqu,
}

/// `xmm <- [m]` (`store`: `[m] <- xmm`).
pub(crate) fn sse_mem(a: &mut X64, mv: SseMove, store: bool, xmm: Reg, m: Mem) {
    let (prefix, load_op, store_op) = match mv {
        SseMove::Ss => (0xf3, 0x10, 0x11),
        SseMove::Sd => (0xf2, 0x10, 0x11),
        SseMove::Dqu => (0xf3, 0x6f, 0x7f),
    };
    let op = if store { store_op } else { load_op };
    op_rm_prefixed(
        a,
        Some(prefix),
        &[0x0f, op],
        false,
        xmm.0 & 15,
        Rm::Mem(m),
        false,
    );
}

/// A two-byte-opcode SSE operation `0f op` between vector registers,
/// with an optional mandatory prefix.
pub(crate) fn sse_rr(a: &mut X64, prefix: Option<u8>, op: u8, dst: Reg, src: Reg) {
    op_rm_prefixed(
        a,
        prefix,
        &[0x0f, op],
        false,
        dst.0 & 15,
        Rm::Reg(Reg(src.0 & 15)),
        false,
    );
}

/// `op r/m, imm8` for the group-2 shifts (`c1 /ext`: shl 4, shr 5, sar 7)
/// and, with `bit_test`, the bit operations (`0f ba /ext`: bts 5, btr 6,
/// btc 7).
pub(crate) fn op_imm8(a: &mut X64, bit_test: bool, ext: u8, wide: bool, r: Reg, imm: u8) {
    let mut code = Bytes::new();
    let opcode: &[u8] = if bit_test { &[0x0f, 0xba] } else { &[0xc1] };
    encode_rm(&mut code, None, opcode, wide, ext, Rm::Reg(r), false);
    code.push(imm);
    code.emit(a);
}

/// An SSE operation `[prefix] [rex] 0f op` whose r/m operand is a
/// general register (`cvtsi2ss`, `cvttss2si`...): `reg` is the ModRM reg
/// field.
pub(crate) fn sse_gpr(a: &mut X64, prefix: u8, op: u8, wide: bool, reg: Reg, rm: Reg) {
    op_rm_prefixed(
        a,
        Some(prefix),
        &[0x0f, op],
        wide,
        reg.0 & 15,
        Rm::Reg(Reg(rm.0 & 15)),
        false,
    );
}

/// `movaps dst, src`.
pub(crate) fn movaps(a: &mut X64, dst: Reg, src: Reg) {
    op_rm(
        a,
        &[0x0f, 0x28],
        false,
        dst.0 & 15,
        Rm::Reg(Reg(src.0 & 15)),
        false,
    );
}

/// `movd/movq xmm, r` (`to_gpr`: `movd/movq r, xmm`).
pub(crate) fn movd(a: &mut X64, wide: bool, to_gpr: bool, xmm: Reg, gpr: Reg) {
    let op = if to_gpr { 0x7e } else { 0x6e };
    op_rm_prefixed(
        a,
        Some(0x66),
        &[0x0f, op],
        wide,
        xmm.0 & 15,
        Rm::Reg(gpr),
        false,
    );
}
