//! The relocation kinds an artifact may contain, per architecture.
//!
//! `kilnc` compiles position-independent code (small code model on x86_64
//! and aarch64, medany on riscv64, RISC-V linker relaxation off), so LLVM
//! emits only the kinds below in loaded sections. The loader applies each
//! with the formula given (ELF notation: `S` symbol address, `A` addend,
//! `P` address of the place, `G` address of the symbol's GOT slot, `L`
//! address of the symbol or of a veneer that jumps to it, `Page(x)` is
//! `x & !0xfff`) and refuses every other kind with
//! [`ArtifactError::BadRelocation`].

use super::{Arch, ArtifactError};

/// One allowed relocation kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RelocKind {
    /// The ELF `r_type` number (low 32 bits of `r_info`).
    pub r_type: u32,
    /// The ELF name, e.g. `R_X86_64_PLT32`.
    pub name: &'static str,
    /// What the loader stores at the place.
    pub formula: &'static str,
}

const fn k(r_type: u32, name: &'static str, formula: &'static str) -> RelocKind {
    RelocKind {
        r_type,
        name,
        formula,
    }
}

/// x86_64 relocation kinds allowed in loaded sections.
pub const X86_64_RELOCS: &[RelocKind] = &[
    k(1, "R_X86_64_64", "word64: S + A"),
    k(2, "R_X86_64_PC32", "word32 signed: S + A - P"),
    k(4, "R_X86_64_PLT32", "word32 signed: L + A - P"),
    k(9, "R_X86_64_GOTPCREL", "word32 signed: G + A - P"),
    k(24, "R_X86_64_PC64", "word64: S + A - P"),
    k(41, "R_X86_64_GOTPCRELX", "word32 signed: G + A - P"),
    k(42, "R_X86_64_REX_GOTPCRELX", "word32 signed: G + A - P"),
];

/// aarch64 relocation kinds allowed in loaded sections.
pub const AARCH64_RELOCS: &[RelocKind] = &[
    k(257, "R_AARCH64_ABS64", "word64: S + A"),
    k(260, "R_AARCH64_PREL64", "word64: S + A - P"),
    k(261, "R_AARCH64_PREL32", "word32 signed: S + A - P"),
    k(274, "R_AARCH64_ADR_PREL_LO21", "adr imm21: S + A - P"),
    k(
        275,
        "R_AARCH64_ADR_PREL_PG_HI21",
        "adrp imm21: (Page(S + A) - Page(P)) >> 12",
    ),
    k(
        277,
        "R_AARCH64_ADD_ABS_LO12_NC",
        "add imm12: (S + A) & 0xfff",
    ),
    k(
        278,
        "R_AARCH64_LDST8_ABS_LO12_NC",
        "ldst imm12: (S + A) & 0xfff",
    ),
    k(282, "R_AARCH64_JUMP26", "b imm26: (L + A - P) >> 2"),
    k(283, "R_AARCH64_CALL26", "bl imm26: (L + A - P) >> 2"),
    k(
        284,
        "R_AARCH64_LDST16_ABS_LO12_NC",
        "ldst imm12: ((S + A) & 0xfff) >> 1",
    ),
    k(
        285,
        "R_AARCH64_LDST32_ABS_LO12_NC",
        "ldst imm12: ((S + A) & 0xfff) >> 2",
    ),
    k(
        286,
        "R_AARCH64_LDST64_ABS_LO12_NC",
        "ldst imm12: ((S + A) & 0xfff) >> 3",
    ),
    k(
        299,
        "R_AARCH64_LDST128_ABS_LO12_NC",
        "ldst imm12: ((S + A) & 0xfff) >> 4",
    ),
    k(
        311,
        "R_AARCH64_ADR_GOT_PAGE",
        "adrp imm21: (Page(G) - Page(P)) >> 12",
    ),
    k(
        312,
        "R_AARCH64_LD64_GOT_LO12_NC",
        "ldr imm12: (G & 0xfff) >> 3",
    ),
];

/// riscv64 relocation kinds allowed in loaded sections.
pub const RISCV64_RELOCS: &[RelocKind] = &[
    k(2, "R_RISCV_64", "word64: S + A"),
    k(18, "R_RISCV_CALL", "auipc+jalr pair: L + A - P"),
    k(19, "R_RISCV_CALL_PLT", "auipc+jalr pair: L + A - P"),
    k(20, "R_RISCV_GOT_HI20", "auipc imm20: hi20(G + A - P)"),
    k(23, "R_RISCV_PCREL_HI20", "auipc imm20: hi20(S + A - P)"),
    k(
        24,
        "R_RISCV_PCREL_LO12_I",
        "I-type imm12: lo12 of the value computed for the HI20 place named by S",
    ),
    k(
        25,
        "R_RISCV_PCREL_LO12_S",
        "S-type imm12: lo12 of the value computed for the HI20 place named by S",
    ),
    k(57, "R_RISCV_32_PCREL", "word32 signed: S + A - P"),
];

impl Arch {
    /// The relocation kinds allowed for this architecture.
    pub fn allowed_relocs(self) -> &'static [RelocKind] {
        match self {
            Arch::X86_64 => X86_64_RELOCS,
            Arch::Aarch64 => AARCH64_RELOCS,
            Arch::Riscv64 => RISCV64_RELOCS,
        }
    }
}

/// Looks up relocation type `r_type` for `arch`, refusing kinds the format
/// does not allow. `location` names the place for the error, e.g.
/// `.text+0x1c`; it is only evaluated on refusal.
pub fn check_relocation(
    arch: Arch,
    r_type: u32,
    location: impl FnOnce() -> String,
) -> Result<&'static RelocKind, ArtifactError> {
    arch.allowed_relocs()
        .iter()
        .find(|r| r.r_type == r_type)
        .ok_or_else(|| ArtifactError::BadRelocation {
            arch,
            r_type,
            location: location(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_kinds_are_found_and_others_refused() {
        let plt = check_relocation(Arch::X86_64, 4, String::new).unwrap();
        assert_eq!(plt.name, "R_X86_64_PLT32");
        let call = check_relocation(Arch::Aarch64, 283, String::new).unwrap();
        assert_eq!(call.name, "R_AARCH64_CALL26");
        let err = check_relocation(Arch::X86_64, 11, || ".text+0x10".into()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "relocation type 11 at .text+0x10 is not allowed on x86_64"
        );
        // R_RISCV_RELAX and R_RISCV_ALIGN: relaxation must be off.
        assert!(check_relocation(Arch::Riscv64, 51, String::new).is_err());
        assert!(check_relocation(Arch::Riscv64, 43, String::new).is_err());
    }

    #[test]
    fn tables_have_unique_types_and_prefixed_names() {
        for (arch, prefix) in [
            (Arch::X86_64, "R_X86_64_"),
            (Arch::Aarch64, "R_AARCH64_"),
            (Arch::Riscv64, "R_RISCV_"),
        ] {
            let relocs = arch.allowed_relocs();
            for (i, r) in relocs.iter().enumerate() {
                assert!(r.name.starts_with(prefix), "{}", r.name);
                assert!(relocs[i + 1..].iter().all(|o| o.r_type != r.r_type));
            }
        }
    }
}
