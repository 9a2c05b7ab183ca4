//! Saving and restoring the callee-saved state on x86-64 (System V).
//!
//! `call_catching` records the registers a normal return would preserve,
//! plus the stack pointer and return address, then calls the callee.
//! `unwind` restores them and "returns" from `call_catching` a second time
//! with a non-zero code. Both are naked so no compiler-generated code sits
//! between saving the state and the second return.

use std::arch::naked_asm;

/// rbx, rbp, r12, r13, r14, r15, rsp after return, return address.
#[repr(C)]
#[derive(Default)]
pub(super) struct JmpBuf {
    regs: [usize; 8],
}

impl JmpBuf {
    /// The stack pointer of the `call_catching` caller: every frame of the
    /// call lies below it.
    pub(super) fn entry_sp(&self) -> usize {
        self.regs[6]
    }
}

/// Calls `callee(arg)` and returns 0, or the code passed to [`unwind`].
#[unsafe(naked)]
pub(super) unsafe extern "C" fn call_catching(
    buf: *mut JmpBuf,
    callee: unsafe extern "C" fn(*mut u8),
    arg: *mut u8,
) -> u32 {
    naked_asm!(
        "mov [rdi], rbx",
        "mov [rdi + 8], rbp",
        "mov [rdi + 16], r12",
        "mov [rdi + 24], r13",
        "mov [rdi + 32], r14",
        "mov [rdi + 40], r15",
        "lea rax, [rsp + 8]",
        "mov [rdi + 48], rax",
        "mov rax, [rsp]",
        "mov [rdi + 56], rax",
        "push rbp",
        "mov rax, rsi",
        "mov rdi, rdx",
        "call rax",
        "pop rbp",
        "xor eax, eax",
        "ret",
    )
}

/// Resumes at the `call_catching` that filled `buf`, returning `code` there.
#[unsafe(naked)]
pub(super) unsafe extern "C" fn unwind(buf: *const JmpBuf, code: u32) -> ! {
    naked_asm!(
        "mov rbx, [rdi]",
        "mov rbp, [rdi + 8]",
        "mov r12, [rdi + 16]",
        "mov r13, [rdi + 24]",
        "mov r14, [rdi + 32]",
        "mov r15, [rdi + 40]",
        "mov rsp, [rdi + 48]",
        "mov eax, esi",
        "jmp qword ptr [rdi + 56]",
    )
}
