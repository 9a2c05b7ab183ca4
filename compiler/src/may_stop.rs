//! Whether machine code may be where a backtrace stops: for
//! [`crate::sites`], which keeps a line-table row without a module offset
//! (line 0) only where it does, so that the many instructions code
//! generation leaves without a location (register moves, spills, frame
//! set-up) cost no sites and stay in the site before them.
//!
//! A backtrace stops at a call (its return address) and at a fault. Code
//! without an offset faults only at a memory access through a register
//! other than the stack and frame pointers (linear memory, or a record
//! the VMContext points to); anything on the stack or `rip`-relative
//! (constants) cannot fault. Only x86-64 is decoded; for any other
//! architecture, or bytes that do not decode, every row is kept.

use iced_x86::{Decoder, DecoderOptions, FlowControl, Mnemonic, OpKind, Register};
use object::Architecture;

/// Whether the code `bytes` of architecture `arch` may fault or call.
pub(crate) fn may_stop(arch: Architecture, bytes: &[u8]) -> bool {
    if arch != Architecture::X86_64 {
        return true;
    }
    let mut decoder = Decoder::new(64, bytes, DecoderOptions::NONE);
    while decoder.can_decode() {
        let inst = decoder.decode();
        if inst.is_invalid() || stops_at(&inst) {
            return true;
        }
    }
    false
}

/// Whether a backtrace may stop at `inst`.
fn stops_at(inst: &iced_x86::Instruction) -> bool {
    if matches!(
        inst.flow_control(),
        FlowControl::Call | FlowControl::IndirectCall | FlowControl::Interrupt
    ) || inst.mnemonic() == Mnemonic::Ud2
    {
        return true;
    }
    (0..inst.op_count()).any(|i| match inst.op_kind(i) {
        OpKind::Memory => !matches!(
            inst.memory_base(),
            Register::RSP | Register::RBP | Register::RIP
        ),
        OpKind::MemorySegSI
        | OpKind::MemorySegESI
        | OpKind::MemorySegRSI
        | OpKind::MemorySegDI
        | OpKind::MemorySegEDI
        | OpKind::MemorySegRDI
        | OpKind::MemoryESDI
        | OpKind::MemoryESEDI
        | OpKind::MemoryESRDI => true,
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::may_stop;
    use object::Architecture::{Aarch64, X86_64};

    #[test]
    fn stack_and_register_code_cannot_stop() {
        // mov rax, rbx; mov [rsp+8], rax; mov rcx, [rbp-16]; lea rdx, [rip+4]
        let code = [
            0x48, 0x89, 0xd8, 0x48, 0x89, 0x44, 0x24, 0x08, 0x48, 0x8b, 0x4d, 0xf0, 0x48, 0x8d,
            0x15, 0x04, 0x00, 0x00, 0x00,
        ];
        assert!(!may_stop(X86_64, &code));
        assert!(may_stop(Aarch64, &code));
    }

    #[test]
    fn memory_calls_and_bad_bytes_may_stop() {
        // movzx eax, word ptr [r14+rax]
        assert!(may_stop(X86_64, &[0x41, 0x0f, 0xb7, 0x04, 0x06]));
        // call rel32
        assert!(may_stop(X86_64, &[0xe8, 0, 0, 0, 0]));
        // a truncated instruction
        assert!(may_stop(X86_64, &[0x48, 0x8b]));
    }
}
