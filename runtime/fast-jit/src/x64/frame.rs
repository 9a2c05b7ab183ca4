//! x86-64 frames, the System V calling convention, trap stubs and jump
//! tables.

use super::encode;
use super::*;

const INT_ARGS: [Reg; 6] = [RDI, RSI, RDX, RCX, R8, R9];

/// System V: integers in rdi, rsi, rdx, rcx, r8, r9; floats and vectors in
/// xmm0-7; the rest on the stack in order, 8 bytes each (16, aligned, for
/// vectors).
pub(super) fn call_layout(kinds: &[Kind]) -> CallLayout {
    let (mut ints, mut floats, mut stack) = (0, 0, 0u32);
    let args = kinds
        .iter()
        .map(|k| {
            if k.is_float() && floats < 8 {
                floats += 1;
                ArgLoc::Reg(xmm(floats - 1))
            } else if !k.is_float() && ints < 6 {
                ints += 1;
                ArgLoc::Reg(INT_ARGS[ints - 1])
            } else {
                let size = if *k == Kind::V128 { 16 } else { 8 };
                stack = stack.next_multiple_of(size);
                let at = stack;
                stack += size;
                ArgLoc::Stack(at)
            }
        })
        .collect();
    CallLayout {
        args,
        stack_bytes: stack.next_multiple_of(16),
    }
}

pub(super) fn prologue(
    a: &mut X64,
    saved: &[Reg],
    stack_check: Option<(i32, Label)>,
) -> FramePatch {
    encode::push_pop(a, true, RBP);
    int::mov(a, Kind::I64, RBP, RSP);
    for r in saved {
        encode::push_pop(a, true, *r);
    }
    // lea r11, [rsp + disp32]: the frame's lowest address, patched later.
    a.raw(&[0x4c, 0x8d, 0x9c, 0x24, 0, 0, 0, 0]);
    let patch = FramePatch(a.offset() - 4);
    if let Some((offset, overflow)) = stack_check {
        let limit = encode::Rm::Mem(Mem::at(RDI, offset));
        encode::op_rm(a, &[0x3b], true, R11.0, limit, false);
        a.jump_if(Cond::LtU, overflow);
    }
    int::mov(a, Kind::I64, RSP, R11);
    patch
}

pub(super) fn epilogue(a: &mut X64, saved: &[Reg]) {
    let m = Mem::at(RBP, -8 * saved.len() as i32);
    encode::op_rm(a, &[0x8d], true, RSP.0, encode::Rm::Mem(m), false);
    for r in saved.iter().rev() {
        encode::push_pop(a, false, *r);
    }
    encode::push_pop(a, false, RBP);
    a.raw(&[0xc3]);
}

/// `trap_fn(vmctx, code)` with the stack aligned; `None`: the code is in eax.
pub(super) fn trap_stub(a: &mut X64, trap_fn: usize, code: Option<kiln_format::TrapCode>) {
    match code {
        // mov esi, imm32
        Some(c) => {
            a.raw(&[0xbe]);
            a.raw(&c.as_u32().to_le_bytes());
        }
        // mov esi, eax
        None => a.raw(&[0x89, 0xc6]),
    }
    // and rsp, -16; mov rdi, r14
    a.raw(&[0x48, 0x83, 0xe4, 0xf0, 0x4c, 0x89, 0xf7]);
    a.call_abs(trap_fn);
    a.raw(&[0x0f, 0x0b]);
}

/// `index < n ? targets[index] : default`, through a table of 32-bit
/// offsets placed right after the indirect jump.
pub(super) fn jump_table(a: &mut X64, index: Reg, targets: &[Label], default: Label) {
    let n = i32::try_from(targets.len()).unwrap_or(i32::MAX);
    encode::alu_imm(a, 7, false, encode::Rm::Reg(index), n);
    a.jump_if(Cond::GeU, default);
    let table = a.new_label();
    // lea r11, [rip + table]
    a.raw(&[0x4c, 0x8d, 0x1d, 0, 0, 0, 0]);
    a.rel32_fixup(table);
    // movsxd r10, dword [r11 + index*4]
    let rex = 0x4c | (index.0 >> 3 & 1) << 1 | 1;
    a.raw(&[rex, 0x63, 0x14, 0x80 | (index.0 & 7) << 3 | 3]);
    // add r11, r10; jmp r11
    a.raw(&[0x4d, 0x01, 0xd3, 0x41, 0xff, 0xe3]);
    a.bind(table);
    let start = a.offset();
    for t in targets {
        a.table_entry(*t, start);
    }
}

/// `mov eax, index; jmp common`.
pub(super) fn lazy_stub(a: &mut X64, index: u32, common: Label) {
    a.scratch_const(RAX, index as u64);
    a.jump(common);
}

const ARG_GPRS: [Reg; 6] = [RDI, RSI, RDX, RCX, R8, R9];

/// Saves every argument register, calls `compile_fn(rdi = vmctx, esi =
/// index in eax)`, restores them and jumps to the returned code.
pub(super) fn lazy_common(a: &mut X64, compile_fn: usize) {
    encode::push_pop(a, true, RBP);
    int::mov(a, Kind::I64, RBP, RSP);
    for r in ARG_GPRS {
        encode::push_pop(a, true, r);
    }
    // Six pushes after rbp keep rsp 16-aligned; then the eight xmm args.
    encode::alu_imm(a, 5, true, encode::Rm::Reg(RSP), 128);
    for i in 0..8u8 {
        let slot = Mem::at(RSP, 16 * i as i32);
        encode::sse_mem(a, encode::SseMove::Dqu, true, xmm(i), slot);
    }
    int::mov(a, Kind::I32, RSI, RAX);
    a.call_abs(compile_fn);
    for i in 0..8u8 {
        let slot = Mem::at(RSP, 16 * i as i32);
        encode::sse_mem(a, encode::SseMove::Dqu, false, xmm(i), slot);
    }
    encode::alu_imm(a, 0, true, encode::Rm::Reg(RSP), 128);
    for r in ARG_GPRS.iter().rev() {
        encode::push_pop(a, false, *r);
    }
    encode::push_pop(a, false, RBP);
    // jmp rax
    encode::op_rm(a, &[0xff], false, 4, encode::Rm::Reg(RAX), false);
}
