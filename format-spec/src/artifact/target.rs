//! Target architectures an artifact can be compiled for, and what a host
//! tells the loader about itself.
//!
//! Only the architecture decides whether code can run: the generated code
//! makes no system calls (it reaches the runtime through resolved symbols),
//! so the vendor, OS and environment parts of a triple are informational.

use std::fmt;

/// A CPU architecture Kiln compiles for. All are 64-bit little-endian.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Arch {
    /// x86-64 (`EM_X86_64` = 62).
    X86_64,
    /// AArch64 (`EM_AARCH64` = 183).
    Aarch64,
    /// 64-bit RISC-V (`EM_RISCV` = 243), LP64D ABI.
    Riscv64,
}

impl Arch {
    /// Every supported architecture.
    pub const ALL: [Arch; 3] = [Arch::X86_64, Arch::Aarch64, Arch::Riscv64];

    /// The architecture of a target triple, from its first component:
    /// `x86_64`/`amd64`, `aarch64`/`arm64`, or `riscv64` followed by any
    /// extension letters (`riscv64gc`). `None` for anything else.
    pub fn from_triple(triple: &str) -> Option<Arch> {
        let first = triple.split('-').next().unwrap_or("");
        match first {
            "x86_64" | "amd64" => Some(Arch::X86_64),
            "aarch64" | "arm64" => Some(Arch::Aarch64),
            _ if first.starts_with("riscv64") => Some(Arch::Riscv64),
            _ => None,
        }
    }

    /// The ELF `e_machine` value of this architecture.
    pub fn elf_machine(self) -> u16 {
        match self {
            Arch::X86_64 => 62,
            Arch::Aarch64 => 183,
            Arch::Riscv64 => 243,
        }
    }

    /// The architecture with ELF `e_machine` value `machine`.
    pub fn from_elf_machine(machine: u16) -> Option<Arch> {
        Arch::ALL.into_iter().find(|a| a.elf_machine() == machine)
    }

    /// The canonical name, as the first component of an LLVM triple.
    pub fn name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Aarch64 => "aarch64",
            Arch::Riscv64 => "riscv64",
        }
    }

    /// Pointer size in bytes (always 8).
    pub fn pointer_size(self) -> u8 {
        8
    }

    /// The architecture this program was built for, if Kiln supports it.
    pub fn host() -> Option<Arch> {
        Arch::from_triple(std::env::consts::ARCH)
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the loading host offers, checked against an artifact's header.
#[derive(Clone, Copy, Debug)]
pub struct HostInfo<'a> {
    /// The host's architecture.
    pub arch: Arch,
    /// CPU features the host has, spelled as LLVM spells them (`avx2`,
    /// `lse`, `zba`), without a leading `+`.
    pub cpu_features: &'a [&'a str],
    /// Bytes of guard region the runtime places after each 32-bit memory's
    /// 4 GiB reservation, or `None` when it cannot use guard pages at all
    /// (no MMU, 32-bit host, or guard pages disabled).
    pub guard_size: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triples_map_to_architectures() {
        assert_eq!(
            Arch::from_triple("x86_64-unknown-linux-gnu"),
            Some(Arch::X86_64)
        );
        assert_eq!(
            Arch::from_triple("aarch64-linux-android"),
            Some(Arch::Aarch64)
        );
        assert_eq!(
            Arch::from_triple("riscv64gc-unknown-linux-gnu"),
            Some(Arch::Riscv64)
        );
        assert_eq!(Arch::from_triple("riscv64"), Some(Arch::Riscv64));
        assert_eq!(Arch::from_triple("riscv32-unknown-none-elf"), None);
        assert_eq!(Arch::from_triple("i686-pc-windows-msvc"), None);
        assert_eq!(Arch::from_triple(""), None);
    }

    #[test]
    fn elf_machines_round_trip() {
        for arch in Arch::ALL {
            assert_eq!(Arch::from_elf_machine(arch.elf_machine()), Some(arch));
            assert_eq!(Arch::from_triple(arch.name()), Some(arch));
        }
        assert_eq!(Arch::from_elf_machine(3), None);
    }
}
