//! The direct encodings ([`super::encode`] and the families built on it)
//! checked byte for byte against iced-x86's encoder, over every register
//! and the memory operand shapes the code generator forms.

use super::encode::{self, alu_imm, op_rm, Rm};
use super::*;
use iced_x86::{Code, Encoder, Instruction, Register};

const GPRS: [Reg; 16] = [
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15,
];

/// The 32- or 64-bit name of a general-purpose register.
pub(crate) fn g(r: Reg, wide: bool) -> Register {
    if wide {
        q(r)
    } else {
        d(r)
    }
}
fn xmms() -> impl Iterator<Item = Reg> {
    (0..16).map(xmm)
}

/// Memory operands: every base, with and without an index, small, zero,
/// negative and large displacements.
fn mems() -> Vec<Mem> {
    let mut out = Vec::new();
    for base in GPRS {
        for disp in [0, 8, -8, 127, -128, 128, -200, 0x1234_5678] {
            out.push(Mem::at(base, disp));
            for index in [RAX, R9, R12, R13, RBP] {
                out.push(Mem {
                    base,
                    index: Some(index),
                    disp,
                });
            }
        }
    }
    out
}

/// `m` for iced, with no displacement when it is zero (as we encode it).
fn mem(m: Mem) -> iced_x86::MemoryOperand {
    let index = m.index.map_or(Register::None, q);
    let size = if m.disp == 0 { 0 } else { 1 };
    iced_x86::MemoryOperand::with_base_index_scale_displ_size(
        q(m.base),
        index,
        1,
        m.disp as i64,
        size,
    )
}

fn iced(i: Result<Instruction, iced_x86::IcedError>) -> Vec<u8> {
    let mut enc = Encoder::new(64);
    enc.encode(&i.expect("instruction"), 0).expect("encodes");
    enc.take_buffer()
}

fn ours(f: impl FnOnce(&mut X64)) -> Vec<u8> {
    let mut a = X64::new(Features::host());
    f(&mut a);
    assert!(a.error().is_none());
    a.finish()
}

#[test]
fn register_moves_and_alu() {
    for dst in GPRS {
        for src in GPRS {
            for (wide, code) in [(false, Code::Mov_rm32_r32), (true, Code::Mov_rm64_r64)] {
                let expect = iced(Instruction::with2(code, g(dst, wide), g(src, wide)));
                let got = ours(|a| op_rm(a, &[0x89], wide, src.0, Rm::Reg(dst), false));
                assert_eq!(got, expect, "mov {dst:?}, {src:?}");
            }
            let expect = iced(Instruction::with2(Code::Movsxd_r64_rm32, q(dst), d(src)));
            let got = ours(|a| op_rm(a, &[0x63], true, dst.0, Rm::Reg(src), false));
            assert_eq!(got, expect, "movsxd {dst:?}, {src:?}");
        }
        for imm in [0, 1, -1, 127, -128, 128, i32::MIN, 0x7fff_ffff] {
            for (ext, code) in [(4, Code::And_rm32_imm32), (6, Code::Xor_rm32_imm32)] {
                let expect = if (-128..128).contains(&imm) {
                    let code8 = if ext == 4 {
                        Code::And_rm32_imm8
                    } else {
                        Code::Xor_rm32_imm8
                    };
                    iced(Instruction::with2(code8, d(dst), imm))
                } else {
                    iced(Instruction::with2(code, d(dst), imm))
                };
                let got = ours(|a| alu_imm(a, ext, false, Rm::Reg(dst), imm));
                assert_eq!(got, expect, "alu /{ext} {dst:?}, {imm}");
            }
        }
        for (bit_test, ext, code) in [
            (false, 4, Code::Shl_rm64_imm8),
            (false, 5, Code::Shr_rm64_imm8),
            (true, 6, Code::Btr_rm64_imm8),
            (true, 7, Code::Btc_rm64_imm8),
        ] {
            let expect = iced(Instruction::with2(code, q(dst), 63u32));
            let got = ours(|a| encode::op_imm8(a, bit_test, ext, true, dst, 63));
            assert_eq!(got, expect, "{code:?} {dst:?}");
        }
        for (signed, wide, code) in [
            (true, false, Code::Idiv_rm32),
            (true, true, Code::Idiv_rm64),
            (false, false, Code::Div_rm32),
            (false, true, Code::Div_rm64),
        ] {
            let expect = iced(Instruction::with1(code, g(dst, wide)));
            let ext = if signed { 7 } else { 6 };
            let got = ours(|a| op_rm(a, &[0xf7], wide, ext, Rm::Reg(dst), false));
            assert_eq!(got, expect, "{code:?} {dst:?}");
        }
    }
}

/// (iced code, register operand, opcode, REX.W, prefix, byte register).
type MoveCase<'a> = (Code, Register, &'a [u8], bool, Option<u8>, bool);

#[test]
fn loads_and_stores() {
    for m in mems() {
        for r in GPRS {
            let cases: [MoveCase; 9] = [
                (Code::Mov_r32_rm32, d(r), &[0x8b], false, None, false),
                (Code::Mov_r64_rm64, q(r), &[0x8b], true, None, false),
                (Code::Movzx_r32_rm8, d(r), &[0x0f, 0xb6], false, None, false),
                (Code::Movsx_r64_rm16, q(r), &[0x0f, 0xbf], true, None, false),
                (Code::Movsxd_r64_rm32, q(r), &[0x63], true, None, false),
                (Code::Mov_rm8_r8, b(r), &[0x88], false, None, true),
                (Code::Mov_rm16_r16, w(r), &[0x89], false, Some(0x66), false),
                (Code::Mov_rm32_r32, d(r), &[0x89], false, None, false),
                (Code::Mov_rm64_r64, q(r), &[0x89], true, None, false),
            ];
            for (code, reg, opcode, wide, prefix, byte) in cases {
                if m.index.is_some_and(|i| i.0 & 15 == 4) {
                    continue;
                }
                let store = matches!(
                    code,
                    Code::Mov_rm8_r8 | Code::Mov_rm16_r16 | Code::Mov_rm32_r32 | Code::Mov_rm64_r64
                );
                let i = if store {
                    Instruction::with2(code, mem(m), reg)
                } else {
                    Instruction::with2(code, reg, mem(m))
                };
                let expect = iced(i);
                let got = ours(|a| match prefix {
                    None => op_rm(a, opcode, wide, r.0, Rm::Mem(m), byte),
                    Some(_) => {
                        encode::op_rm_prefixed(a, prefix, opcode, wide, r.0, Rm::Mem(m), byte)
                    }
                });
                assert_eq!(got, expect, "{code:?} {r:?} {m:?}");
            }
        }
        for v in xmms() {
            let expect = iced(Instruction::with2(Code::Movsd_xmm_xmmm64, x(v), mem(m)));
            let got = ours(|a| encode::sse_mem(a, encode::SseMove::Sd, false, v, m));
            assert_eq!(got, expect, "movsd {v:?} {m:?}");
            let expect = iced(Instruction::with2(Code::Movdqu_xmmm128_xmm, mem(m), x(v)));
            let got = ours(|a| encode::sse_mem(a, encode::SseMove::Dqu, true, v, m));
            assert_eq!(got, expect, "movdqu {m:?} {v:?}");
        }
    }
}

#[test]
fn sse_operations() {
    for dst in xmms() {
        for src in xmms() {
            let rr: [(Code, Option<u8>, u8); 10] = [
                (Code::Addss_xmm_xmmm32, Some(0xf3), 0x58),
                (Code::Mulsd_xmm_xmmm64, Some(0xf2), 0x59),
                (Code::Subsd_xmm_xmmm64, Some(0xf2), 0x5c),
                (Code::Minss_xmm_xmmm32, Some(0xf3), 0x5d),
                (Code::Divsd_xmm_xmmm64, Some(0xf2), 0x5e),
                (Code::Sqrtss_xmm_xmmm32, Some(0xf3), 0x51),
                (Code::Cvtsd2ss_xmm_xmmm64, Some(0xf2), 0x5a),
                (Code::Ucomisd_xmm_xmmm64, Some(0x66), 0x2e),
                (Code::Ucomiss_xmm_xmmm32, None, 0x2e),
                (Code::Xorps_xmm_xmmm128, None, 0x57),
            ];
            for (code, prefix, op) in rr {
                let expect = iced(Instruction::with2(code, x(dst), x(src)));
                let got = ours(|a| encode::sse_rr(a, prefix, op, dst, src));
                assert_eq!(got, expect, "{code:?} {dst:?} {src:?}");
            }
            let expect = iced(Instruction::with3(
                Code::Roundsd_xmm_xmmm64_imm8,
                x(dst),
                x(src),
                9u32,
            ));
            let got = ours(|a| float::float_unop(a, FloatUnOp::Floor, true, dst, src));
            assert_eq!(got, expect, "roundsd {dst:?} {src:?}");
        }
        for r in GPRS {
            for (code, wide) in [
                (Code::Cvtsi2ss_xmm_rm32, false),
                (Code::Cvtsi2sd_xmm_rm64, true),
            ] {
                let expect = iced(Instruction::with2(code, x(dst), g(r, wide)));
                let prefix = if code == Code::Cvtsi2ss_xmm_rm32 {
                    0xf3
                } else {
                    0xf2
                };
                let got = ours(|a| encode::sse_gpr(a, prefix, 0x2a, wide, dst, r));
                assert_eq!(got, expect, "{code:?} {dst:?} {r:?}");
            }
            let expect = iced(Instruction::with2(Code::Cvttss2si_r64_xmmm32, q(r), x(dst)));
            let got = ours(|a| encode::sse_gpr(a, 0xf3, 0x2c, true, r, dst));
            assert_eq!(got, expect, "cvttss2si {r:?} {dst:?}");
            let expect = iced(Instruction::with2(Code::Movq_xmm_rm64, x(dst), q(r)));
            let got = ours(|a| encode::movd(a, true, false, dst, r));
            assert_eq!(got, expect, "movq {dst:?} {r:?}");
        }
    }
}

#[test]
fn unary_integer_operations() {
    let mut features = Features::host();
    (features.lzcnt, features.bmi1, features.popcnt) = (true, true, true);
    for dst in GPRS {
        for src in GPRS {
            for wide in [false, true] {
                let (gd, gs) = (g(dst, wide), g(src, wide));
                let cases = [
                    (IntUnOp::Clz, Code::Lzcnt_r32_rm32, Code::Lzcnt_r64_rm64, gs),
                    (IntUnOp::Ctz, Code::Tzcnt_r32_rm32, Code::Tzcnt_r64_rm64, gs),
                    (
                        IntUnOp::Popcnt,
                        Code::Popcnt_r32_rm32,
                        Code::Popcnt_r64_rm64,
                        gs,
                    ),
                    (
                        IntUnOp::Extend8S,
                        Code::Movsx_r32_rm8,
                        Code::Movsx_r64_rm8,
                        b(src),
                    ),
                    (
                        IntUnOp::Extend16S,
                        Code::Movsx_r32_rm16,
                        Code::Movsx_r64_rm16,
                        w(src),
                    ),
                ];
                for (op, code32, code64, operand) in cases {
                    let code = if wide { code64 } else { code32 };
                    let expect = iced(Instruction::with2(code, gd, operand));
                    let mut a = X64::new(features);
                    int_unary::int_unop(&mut a, op, wide, dst, src);
                    assert_eq!(a.finish(), expect, "{op:?} {dst:?} {src:?}");
                }
            }
        }
    }
}

#[test]
fn jump_table_load() {
    for index in GPRS {
        if index == RSP {
            continue;
        }
        let m = iced_x86::MemoryOperand::with_base_index_scale_displ_size(
            Register::R11,
            q(index),
            4,
            0,
            0,
        );
        let expect = iced(Instruction::with2(Code::Movsxd_r64_rm32, Register::R10, m));
        let code = ours(|a| {
            let (target, default) = (a.new_label(), a.new_label());
            frame::jump_table(a, index, &[target], default);
            a.bind(target);
            a.bind(default);
        });
        // cmp, jae rel32, lea r11 [rip+table] (7 bytes), then the load.
        let cmp = if index.0 >= 8 { 4 } else { 3 };
        let at = cmp + 6 + 7;
        assert_eq!(&code[at..at + expect.len()], &expect[..], "index {index:?}");
    }
}
