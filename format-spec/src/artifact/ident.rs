//! Recognising a file before parsing it: a Kiln artifact (an ELF64
//! little-endian relocatable object for a supported machine), a WAMR AOT
//! file, a raw wasm binary, or something else.
//!
//! Only the first 64 bytes (the ELF64 file header) are read. Everything
//! after that is the ELF parser's business.

use super::{Arch, ArtifactError};

/// The first four bytes of every ELF file.
pub const ELF_MAGIC: [u8; 4] = *b"\x7fELF";
/// The first four bytes of a WAMR AOT file.
pub const WAMR_AOT_MAGIC: [u8; 4] = *b"\0aot";
/// The first four bytes of a wasm binary.
pub const WASM_MAGIC: [u8; 4] = *b"\0asm";
/// Size of the ELF64 file header.
pub const ELF64_HEADER_SIZE: usize = 64;

/// `e_ident[EI_CLASS]` for 64-bit objects.
const ELFCLASS64: u8 = 2;
/// `e_ident[EI_DATA]` for little-endian objects.
const ELFDATA2LSB: u8 = 1;
/// `EV_CURRENT`, in `e_ident[EI_VERSION]` and `e_version`.
const EV_CURRENT: u8 = 1;
/// `e_type` of a relocatable object.
const ET_REL: u16 = 1;
/// RISC-V `e_flags`: the floating-point ABI field.
const EF_RISCV_FLOAT_ABI: u32 = 0x6;
/// RISC-V `e_flags`: double-precision float ABI (LP64D).
const EF_RISCV_FLOAT_ABI_DOUBLE: u32 = 0x4;
/// RISC-V `e_flags`: the RV64E reduced register file.
const EF_RISCV_RVE: u32 = 0x8;

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Checks the ELF file header of `file` and returns the architecture it is
/// for. Refuses WAMR AOT files and wasm binaries by name.
pub fn identify(file: &[u8]) -> Result<Arch, ArtifactError> {
    if file.starts_with(&WAMR_AOT_MAGIC) {
        let version = file.get(4..8).map(|_| u32_at(file, 4));
        return Err(ArtifactError::WamrAot { version });
    }
    if file.starts_with(&WASM_MAGIC) {
        return Err(ArtifactError::NotElf(
            "this is a WebAssembly binary, not a compiled artifact".into(),
        ));
    }
    if !file.starts_with(&ELF_MAGIC) {
        let shown = &file[..file.len().min(4)];
        let shown: Vec<String> = shown.iter().map(|b| format!("{b:02x}")).collect();
        return Err(ArtifactError::NotElf(format!(
            "magic is [{}], expected an ELF file [7f 45 4c 46]",
            shown.join(" ")
        )));
    }
    if file.len() < ELF64_HEADER_SIZE {
        return Err(ArtifactError::BadElf(format!(
            "ELF header truncated ({} bytes)",
            file.len()
        )));
    }
    let bad = |why: String| Err(ArtifactError::BadElf(why));
    if file[4] != ELFCLASS64 {
        return bad(format!("ELF class {} is not 64-bit (2)", file[4]));
    }
    if file[5] != ELFDATA2LSB {
        return bad(format!(
            "ELF data encoding {} is not little-endian (1)",
            file[5]
        ));
    }
    if file[6] != EV_CURRENT || u32_at(file, 20) != EV_CURRENT as u32 {
        return bad("ELF version is not 1".into());
    }
    let e_type = u16_at(file, 16);
    if e_type != ET_REL {
        return bad(format!(
            "ELF type {e_type} is not a relocatable object (ET_REL = 1)"
        ));
    }
    let machine = u16_at(file, 18);
    let Some(arch) = Arch::from_elf_machine(machine) else {
        return bad(format!(
            "ELF machine {machine} is not a Kiln target (x86_64 = 62, aarch64 = 183, riscv64 = 243)"
        ));
    };
    let flags = u32_at(file, 48);
    if arch == Arch::Riscv64
        && (flags & EF_RISCV_FLOAT_ABI != EF_RISCV_FLOAT_ABI_DOUBLE || flags & EF_RISCV_RVE != 0)
    {
        return bad(format!(
            "RISC-V e_flags {flags:#x} do not select the LP64D ABI (float ABI double, no RVE)"
        ));
    }
    Ok(arch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elf_header(machine: u16, flags: u32) -> Vec<u8> {
        let mut h = vec![0u8; ELF64_HEADER_SIZE];
        h[..4].copy_from_slice(&ELF_MAGIC);
        h[4] = ELFCLASS64;
        h[5] = ELFDATA2LSB;
        h[6] = EV_CURRENT;
        h[16..18].copy_from_slice(&ET_REL.to_le_bytes());
        h[18..20].copy_from_slice(&machine.to_le_bytes());
        h[20..24].copy_from_slice(&1u32.to_le_bytes());
        h[48..52].copy_from_slice(&flags.to_le_bytes());
        h
    }

    #[test]
    fn accepts_each_supported_machine() {
        assert_eq!(identify(&elf_header(62, 0)), Ok(Arch::X86_64));
        assert_eq!(identify(&elf_header(183, 0)), Ok(Arch::Aarch64));
        assert_eq!(identify(&elf_header(243, 0x5)), Ok(Arch::Riscv64));
    }

    #[test]
    fn recognises_wamr_aot_files() {
        let mut wamr = b"\0aot".to_vec();
        wamr.extend_from_slice(&3u32.to_le_bytes());
        assert_eq!(
            identify(&wamr),
            Err(ArtifactError::WamrAot { version: Some(3) })
        );
        assert_eq!(
            identify(b"\0aot\x01"),
            Err(ArtifactError::WamrAot { version: None })
        );
    }

    #[test]
    fn refuses_other_files_without_panicking() {
        assert!(matches!(identify(b""), Err(ArtifactError::NotElf(_))));
        assert!(
            matches!(identify(b"\0asm\x01\0\0\0"), Err(ArtifactError::NotElf(m)) if m.contains("WebAssembly"))
        );
        assert!(matches!(identify(b"\x7fEL"), Err(ArtifactError::NotElf(_))));
        assert!(matches!(
            identify(b"\x7fELF\x02"),
            Err(ArtifactError::BadElf(_))
        ));
        let mut h = elf_header(62, 0);
        h[4] = 1;
        assert!(matches!(identify(&h), Err(ArtifactError::BadElf(m)) if m.contains("64-bit")));
        let mut h = elf_header(62, 0);
        h[16] = 2;
        assert!(matches!(identify(&h), Err(ArtifactError::BadElf(m)) if m.contains("ET_REL")));
        assert!(
            matches!(identify(&elf_header(40, 0)), Err(ArtifactError::BadElf(m)) if m.contains("machine 40"))
        );
        assert!(
            matches!(identify(&elf_header(243, 0x1)), Err(ArtifactError::BadElf(m)) if m.contains("LP64D"))
        );
        assert!(identify(&elf_header(243, 0xd)).is_err());
    }
}
