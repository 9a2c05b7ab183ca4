//! The arithmetic of relocations (SPEC.md 4.12): what each allowed kind
//! stores at its place, the veneers a loader writes for far calls and the
//! table stubs `kilnc` writes for calls to runtime symbols (SPEC.md 4.18).
//! Everything here works on plain byte buffers, so `kilnc` (which applies
//! every relocation the image layout fixes) and the loader (which applies
//! the rest) share one implementation, testable on any host.

pub mod aarch64;
pub mod riscv64;
pub mod site;
pub mod x86_64;

pub use site::{Need, Overflow, Site};

use super::Arch;

/// Bytes a relocation of `r_type` writes at its place.
pub fn width(arch: Arch, r_type: u32) -> usize {
    match arch {
        Arch::X86_64 => x86_64::width(r_type),
        Arch::Aarch64 => aarch64::width(r_type),
        Arch::Riscv64 => riscv64::width(r_type),
    }
}

/// Which helpers (GOT slot, veneer, `HI20` value) a kind uses.
pub fn need(arch: Arch, r_type: u32) -> Need {
    match arch {
        Arch::X86_64 => x86_64::need(r_type),
        Arch::Aarch64 => aarch64::need(r_type),
        Arch::Riscv64 => riscv64::need(r_type),
    }
}

/// The architecture's absolute 64-bit word (`S + A`): the only kind a
/// prelinked image relocates at load.
pub fn abs64(arch: Arch) -> u32 {
    match arch {
        Arch::X86_64 => 1,
        Arch::Aarch64 => 257,
        Arch::Riscv64 => 2,
    }
}

/// Whether `r_type` is [`abs64`].
pub fn is_abs64(arch: Arch, r_type: u32) -> bool {
    r_type == abs64(arch)
}

/// Whether `r_type` is a RISC-V `auipc` kind whose value `PCREL_LO12_*`
/// relocations use.
pub fn is_hi20(arch: Arch, r_type: u32) -> bool {
    arch == Arch::Riscv64 && riscv64::is_hi20(r_type)
}

/// Stores the value of the relocation `site` describes in `place`
/// (exactly [`width`] bytes); returns the value computed.
pub fn apply(arch: Arch, place: &mut [u8], site: &Site) -> Result<i128, Overflow> {
    match arch {
        Arch::X86_64 => x86_64::apply(place, site),
        Arch::Aarch64 => aarch64::apply(place, site),
        Arch::Riscv64 => riscv64::apply(place, site),
    }
}

/// Size of one veneer on `arch`.
pub fn veneer_size(arch: Arch) -> usize {
    match arch {
        Arch::X86_64 => x86_64::VENEER_SIZE,
        Arch::Aarch64 => aarch64::VENEER_SIZE,
        Arch::Riscv64 => riscv64::VENEER_SIZE,
    }
}

/// Writes a veneer jumping to `target` into `out`.
pub fn write_veneer(arch: Arch, out: &mut [u8], target: u64) {
    match arch {
        Arch::X86_64 => x86_64::write_veneer(out, target),
        Arch::Aarch64 => aarch64::write_veneer(out, target),
        Arch::Riscv64 => riscv64::write_veneer(out, target),
    }
}

/// Size of one table stub on `arch`.
pub fn stub_size(arch: Arch) -> usize {
    match arch {
        Arch::X86_64 => x86_64::STUB_SIZE,
        Arch::Aarch64 => aarch64::STUB_SIZE,
        Arch::Riscv64 => riscv64::STUB_SIZE,
    }
}

/// Writes into `out` (at image address `at`) a stub that jumps to the
/// address held in the table slot at image address `slot`.
pub fn write_stub(arch: Arch, out: &mut [u8], at: u64, slot: u64) -> Result<(), Overflow> {
    match arch {
        Arch::X86_64 => x86_64::write_stub(out, at, slot),
        Arch::Aarch64 => aarch64::write_stub(out, at, slot),
        Arch::Riscv64 => riscv64::write_stub(out, at, slot),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stubs_reach_their_slot() {
        let mut out = [0u8; 16];
        write_stub(Arch::X86_64, &mut out, 0x1000, 0x3000).unwrap();
        assert_eq!(out[..2], [0xff, 0x25]);
        assert_eq!(
            i32::from_le_bytes(out[2..6].try_into().unwrap()),
            0x2000 - 6
        );
        write_stub(Arch::Aarch64, &mut out, 0x1000, 0x3008).unwrap();
        // adrp x16, +2 pages; ldr x16, [x16, #8].
        assert_eq!(site::get32(&out), 0x9000_0010 | (2 << 29));
        assert_eq!(site::get32(&out[4..]), 0xf940_0210 | (1 << 10));
        write_stub(Arch::Riscv64, &mut out, 0x1000, 0x3008).unwrap();
        // auipc t1, 2; ld t1, 8(t1).
        assert_eq!(site::get32(&out), 0x0000_2317);
        assert_eq!(site::get32(&out[4..]), 0x0083_3303);
        assert!(is_abs64(Arch::Riscv64, 2) && !is_abs64(Arch::X86_64, 2));
    }
}
