//! Section names and the rules for which ELF sections an artifact may hold.
//!
//! Kiln's own sections are `SHT_PROGBITS` with no flags (not loaded into
//! memory); the loader reads them from the file. Code and read-only data
//! are ordinary ELF sections produced by LLVM.

use super::ArtifactError;

/// `HEADER_MAGIC`, format version, then the bincode-encoded header.
pub const HEADER_SECTION: &str = ".kiln.header";
/// The bincode-encoded [`ModuleMetadata`](super::ModuleMetadata).
pub const METADATA_SECTION: &str = ".kiln.meta";
/// The bytes of all data segments, back to back; segments index into it.
pub const DATA_SECTION: &str = ".kiln.data";
/// Eight bytes: the XXH64 of the whole file, little-endian.
pub const CHECKSUM_SECTION: &str = ".kiln.checksum";

/// Optional: where each wasm instruction's code lies ([`super::sites`]).
pub const SITES_SECTION: &str = ".kiln.sites";
/// Optional: the module's DWARF, for source lines ([`super::dwarf`]).
pub const DEBUG_SECTION: &str = ".kiln.debug";
/// Optional: function names from the `name` section, for backtraces and
/// profilers ([`super::decode_func_names`]).
pub const NAMES_SECTION: &str = ".kiln.names";

/// The optional `.kiln.*` sections.
pub const OPTIONAL_KILN_SECTIONS: [&str; 4] = [
    SITES_SECTION,
    DEBUG_SECTION,
    super::IMAGE_SECTION,
    NAMES_SECTION,
];

/// Every `.kiln.*` section, all required, in the order `kilnc` writes them.
pub const KILN_SECTIONS: [&str; 4] = [
    HEADER_SECTION,
    METADATA_SECTION,
    DATA_SECTION,
    CHECKSUM_SECTION,
];

/// The first four bytes of `.kiln.header`.
pub const HEADER_MAGIC: [u8; 4] = *b"KILN";
/// Size of the frozen prefix of `.kiln.header`: magic, major, minor.
pub const HEADER_PREFIX_SIZE: usize = 8;
/// Size of `.kiln.checksum`.
pub const CHECKSUM_SIZE: usize = 8;

/// `SHF_WRITE`.
const SHF_WRITE: u64 = 0x1;
/// `SHF_ALLOC`.
const SHF_ALLOC: u64 = 0x2;
/// `SHF_EXECINSTR`.
const SHF_EXECINSTR: u64 = 0x4;
/// `SHF_TLS`.
const SHF_TLS: u64 = 0x400;

/// How the loader treats one ELF section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// Machine code: mapped, relocated, then read + execute.
    Code,
    /// Constants: mapped, relocated, then read-only.
    ReadOnly,
    /// A `.kiln.*` section, read from the file and never mapped.
    Kiln,
    /// Not loaded (debug info, symbol and string tables, notes, ...);
    /// relocations that apply to it are skipped, never applied.
    Ignored,
}

fn has_prefix(name: &str, base: &str) -> bool {
    name == base || name.strip_prefix(base).is_some_and(|r| r.starts_with('.'))
}

/// Classifies a section by name and `sh_flags`, refusing anything the
/// format does not allow (writable or thread-local loaded sections, loaded
/// sections with unknown names, unknown `.kiln.*` sections).
pub fn classify_section(name: &str, sh_flags: u64) -> Result<SectionKind, ArtifactError> {
    let refuse = |reason: &str| {
        Err(ArtifactError::BadSection {
            section: name.to_string(),
            reason: reason.to_string(),
        })
    };
    if has_prefix(name, ".kiln") {
        if !KILN_SECTIONS.contains(&name) && !OPTIONAL_KILN_SECTIONS.contains(&name) {
            return refuse("unknown .kiln section");
        }
        if sh_flags & SHF_ALLOC != 0 {
            return refuse("a .kiln section must not be SHF_ALLOC");
        }
        return Ok(SectionKind::Kiln);
    }
    if sh_flags & SHF_ALLOC == 0 {
        return Ok(SectionKind::Ignored);
    }
    if sh_flags & SHF_TLS != 0 {
        return refuse("thread-local sections are not allowed");
    }
    let writable = sh_flags & SHF_WRITE != 0;
    let exec = sh_flags & SHF_EXECINSTR != 0;
    if has_prefix(name, ".text") && exec && !writable {
        return Ok(SectionKind::Code);
    }
    let ro_name = has_prefix(name, ".rodata") || name == ".eh_frame";
    if ro_name && !exec && !writable {
        return Ok(SectionKind::ReadOnly);
    }
    if (has_prefix(name, ".data.rel.ro") || name == super::TABLE_SECTION) && !exec {
        return Ok(SectionKind::ReadOnly);
    }
    refuse("loaded sections must be .text*, .rodata*, .data.rel.ro*, .got or .eh_frame")
}

/// The contents of section `name`, which the section header places at
/// `offset..offset + size` in `file`; refused if that is not inside the
/// file. Loaders must take every section's bytes through a check like this.
pub fn section_bytes<'a>(
    file: &'a [u8],
    name: &str,
    offset: u64,
    size: u64,
) -> Result<&'a [u8], ArtifactError> {
    let range = usize::try_from(offset)
        .ok()
        .zip(usize::try_from(size).ok())
        .and_then(|(start, len)| Some(start..start.checked_add(len)?));
    range
        .and_then(|r| file.get(r))
        .ok_or_else(|| ArtifactError::BadSection {
            section: name.to_string(),
            reason: format!(
                "{size} bytes at offset {offset} lie outside the {}-byte file",
                file.len()
            ),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_what_llvm_emits() {
        let c = |n, f| classify_section(n, f);
        assert_eq!(c(".text", 0x6), Ok(SectionKind::Code));
        assert_eq!(c(".text.kiln_func_3", 0x6), Ok(SectionKind::Code));
        assert_eq!(c(".rodata.cst16", 0x12), Ok(SectionKind::ReadOnly));
        assert_eq!(c(".data.rel.ro", 0x3), Ok(SectionKind::ReadOnly));
        assert_eq!(c(".eh_frame", 0x2), Ok(SectionKind::ReadOnly));
        assert_eq!(c(".got", 0x3), Ok(SectionKind::ReadOnly));
        assert_eq!(c(".debug_info", 0), Ok(SectionKind::Ignored));
        assert_eq!(c(".symtab", 0), Ok(SectionKind::Ignored));
        for name in KILN_SECTIONS {
            assert_eq!(c(name, 0), Ok(SectionKind::Kiln));
        }
        for name in OPTIONAL_KILN_SECTIONS {
            assert_eq!(c(name, 0), Ok(SectionKind::Kiln));
        }
    }

    #[test]
    fn section_bytes_stay_inside_the_file() {
        let file = [1u8, 2, 3, 4];
        assert_eq!(section_bytes(&file, ".x", 1, 2), Ok(&file[1..3]));
        assert_eq!(section_bytes(&file, ".x", 4, 0), Ok(&file[4..4]));
        assert!(section_bytes(&file, ".x", 3, 2).is_err());
        assert!(section_bytes(&file, ".x", u64::MAX, 2).is_err());
        assert!(section_bytes(&file, ".x", 1, u64::MAX).is_err());
    }

    #[test]
    fn refuses_writable_unknown_and_loaded_kiln_sections() {
        for (name, flags) in [
            (".data", 0x3),
            (".bss", 0x3),
            (".tbss", 0x403),
            (".text", 0x7),
            (".textual", 0x6),
            (".init_array", 0x3),
            (".kiln.header", 0x2),
            (".kiln.other", 0),
        ] {
            assert!(classify_section(name, flags).is_err(), "{name}");
        }
    }
}
