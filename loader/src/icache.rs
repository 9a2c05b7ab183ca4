//! Making freshly written code visible to instruction fetch. x86_64 keeps
//! instruction and data caches coherent; aarch64 and riscv64 need help.

/// Makes the instructions in `start..start + len` fetchable after they
/// were written as data.
#[cfg(target_arch = "x86_64")]
pub(crate) fn flush(_start: *mut u8, _len: usize) {}

/// Cleans the data cache to the point of unification and invalidates the
/// instruction cache over the range, line by line (as libgcc's
/// `__clear_cache` does), with 64-byte lines: the smallest in use, so
/// larger real lines are only visited more than once.
#[cfg(target_arch = "aarch64")]
pub(crate) fn flush(start: *mut u8, len: usize) {
    const LINE: usize = 64;
    let begin = start as usize & !(LINE - 1);
    let end = start as usize + len;
    let mut addr = begin;
    while addr < end {
        // SAFETY: cache maintenance on mapped addresses has no effect on
        // memory contents.
        unsafe { std::arch::asm!("dc cvau, {0}", in(reg) addr) };
        addr += LINE;
    }
    // SAFETY: barriers only order memory accesses.
    unsafe { std::arch::asm!("dsb ish") };
    addr = begin;
    while addr < end {
        // SAFETY: as above.
        unsafe { std::arch::asm!("ic ivau, {0}", in(reg) addr) };
        addr += LINE;
    }
    // SAFETY: barriers only order memory accesses and instruction fetch.
    unsafe { std::arch::asm!("dsb ish", "isb") };
}

/// Asks Linux to make the range fetchable on every hart
/// (`riscv_flush_icache`, syscall 259).
#[cfg(target_arch = "riscv64")]
pub(crate) fn flush(start: *mut u8, len: usize) {
    // SAFETY: the system call only synchronises instruction caches.
    unsafe { libc::syscall(259, start, start.wrapping_add(len), 0usize) };
}

/// Other hosts run no Kiln code.
#[cfg(not(any(
    target_arch = "x86_64",
    target_arch = "aarch64",
    target_arch = "riscv64"
)))]
pub(crate) fn flush(_start: *mut u8, _len: usize) {}
