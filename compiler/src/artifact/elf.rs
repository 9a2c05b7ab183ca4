//! Turning LLVM's relocatable object into an artifact: the same loaded
//! sections, symbols and relocations, plus Kiln's sections, sealed with the
//! whole-file checksum (SPEC.md 4.2, 4.10).
//!
//! What is copied from LLVM's object, exactly: the ELF flags (RISC-V's
//! float ABI and RVC bits) and OS ABI; every `SHF_ALLOC` section with its
//! name, type, flags, alignment, entry size and bytes (each must be one the
//! format allows, else the compile fails rather than writing an artifact
//! the loader refuses); `.riscv.attributes` (not loaded, but it tells
//! `objdump` which extensions to disassemble); every symbol defined in a
//! copied section or undefined, with its name, value, size, type, binding
//! and `st_other` (visibility); section symbols; and every relocation of a
//! copied section with its offset, type, symbol and addend, except that
//! RISC-V jump tables' ADD32/SUB32 pairs become one `R_RISCV_32_PCREL`
//! each ([`riscv_diff`]). Dropped:
//! `.note.GNU-stack`, `.comment`, `.llvm_addrsig` (whose symbol indices
//! would be stale) and the `STT_FILE` symbol.
//!
//! Sections, relocation types and undefined symbols are checked with the
//! format's own rules (`classify_section`, `check_relocation`,
//! `is_allowed_import`) while copying, so LLVM output the loader would
//! refuse fails the compile instead.

use super::riscv_diff;
use crate::error::{CompileError, Result};
use kiln_format::artifact::{
    check_relocation, classify_section, is_allowed_import, seal_checksum, Arch, CHECKSUM_SECTION,
};
use object::elf::{SHF_ALLOC, SHT_RISCV_ATTRIBUTES};
use object::read::elf::{ElfFile64, ElfSection64};
use object::read::{Object as _, ObjectSection as _, ObjectSymbol as _};
use object::write::{Object, Relocation, SectionId, Symbol, SymbolId, SymbolSection};
use object::{LittleEndian as LE, RelocationTarget, SectionFlags, SectionKind, SymbolKind};
use std::collections::HashMap;

fn err(e: impl std::fmt::Display) -> CompileError {
    CompileError::Llvm(format!("cannot write the artifact: {e}"))
}

/// LLVM's object holds something the format refuses: a compiler bug, not
/// a bad module, reported before an unloadable artifact is written.
fn refused(e: impl std::fmt::Display) -> CompileError {
    CompileError::Llvm(format!("LLVM emitted what an artifact cannot hold: {e}"))
}

/// Whether section `s` of LLVM's object goes into the artifact.
fn kept(s: &ElfSection64<'_, '_, LE>) -> Result<bool> {
    let header = s.elf_section_header();
    let flags = header.sh_flags.get(LE);
    if flags & u64::from(SHF_ALLOC) == 0 {
        return Ok(header.sh_type.get(LE) == SHT_RISCV_ATTRIBUTES);
    }
    let name = s.name().map_err(err)?;
    classify_section(name, flags).map_err(refused)?;
    Ok(true)
}

/// Copies `llvm_object` (an ELF64 little-endian relocatable object) and
/// appends the `(name, bytes)` sections, then seals the checksum.
pub fn write_artifact(llvm_object: &[u8], kiln: &[(&'static str, Vec<u8>)]) -> Result<Vec<u8>> {
    let input = ElfFile64::<LE>::parse(llvm_object).map_err(err)?;
    let arch = Arch::from_elf_machine(input.elf_header().e_machine.get(LE))
        .ok_or_else(|| err("LLVM's object is for an unsupported machine"))?;
    let mut out = Object::new(
        object::BinaryFormat::Elf,
        input.architecture(),
        object::Endianness::Little,
    );
    out.flags = input.flags();
    let mut sections: HashMap<object::SectionIndex, SectionId> = HashMap::new();
    let mut copied = Vec::new();
    for s in input.sections() {
        if !kept(&s)? {
            continue;
        }
        let header = s.elf_section_header();
        let id = out.add_section(Vec::new(), s.name_bytes().map_err(err)?.to_vec(), s.kind());
        out.set_section_data(id, s.data().map_err(err)?.to_vec(), s.align().max(1));
        out.section_mut(id).flags = SectionFlags::Elf {
            sh_flags: header.sh_flags.get(LE),
        };
        sections.insert(s.index(), id);
        copied.push((
            s.name_bytes().map_err(err)?.to_vec(),
            header.sh_type.get(LE),
            header.sh_entsize.get(LE),
        ));
    }
    let symbols = copy_symbols(&input, &mut out, &sections)?;
    for s in input.sections() {
        let Some(&target_section) = sections.get(&s.index()) else {
            continue;
        };
        let relocs: Vec<(u64, object::Relocation)> = s.relocations().collect();
        let mut i = 0;
        while i < relocs.len() {
            let (offset, r) = &relocs[i];
            let folded = match (arch, relocs.get(i + 1)) {
                (Arch::Riscv64, Some((next_offset, next))) => {
                    let word = read_word(&out, target_section, *offset)?;
                    riscv_diff::fold(&input, s.index(), (*offset, r), (*next_offset, next), word)
                }
                _ => None,
            };
            let (target, flags, addend) = match folded {
                Some(f) => {
                    write_word(&mut out, target_section, *offset)?;
                    i += 2;
                    (f.target, f.flags, f.addend)
                }
                None => {
                    i += 1;
                    (r.target(), r.flags(), r.addend())
                }
            };
            let symbol = match target {
                RelocationTarget::Symbol(i) => *symbols
                    .get(&i)
                    .ok_or_else(|| err(format!("relocation against dropped symbol {}", i.0)))?,
                RelocationTarget::Section(i) => out.section_symbol(
                    *sections
                        .get(&i)
                        .ok_or_else(|| err("relocation against a dropped section"))?,
                ),
                _ => return Err(err("unsupported relocation target")),
            };
            let object::RelocationFlags::Elf { r_type } = flags else {
                return Err(err("a relocation without an ELF type"));
            };
            check_relocation(arch, r_type, || {
                format!("{}+{offset:#x}", s.name().unwrap_or("?"))
            })
            .map_err(refused)?;
            let relocation = Relocation {
                offset: *offset,
                symbol,
                addend,
                flags,
            };
            out.add_relocation(target_section, relocation)
                .map_err(err)?;
        }
    }
    for (name, data) in kiln {
        let id = out.add_section(Vec::new(), name.as_bytes().to_vec(), SectionKind::Metadata);
        out.set_section_data(id, data.clone(), 1);
    }
    let mut bytes = out.write().map_err(err)?;
    restore_section_headers(&mut bytes, &copied)?;
    let range = {
        let written = ElfFile64::<LE>::parse(&*bytes).map_err(err)?;
        let section = written
            .section_by_name(CHECKSUM_SECTION)
            .ok_or_else(|| err("checksum section missing"))?;
        let (start, len) = section
            .file_range()
            .ok_or_else(|| err("checksum section has no bytes"))?;
        start as usize..(start + len) as usize
    };
    seal_checksum(&mut bytes, range).map_err(err)?;
    Ok(bytes)
}

/// The little-endian 32-bit word at `offset` of section `id`.
fn read_word(out: &Object<'_>, id: SectionId, offset: u64) -> Result<i32> {
    let data = out.section(id).data();
    let bytes = data
        .get(offset as usize..offset as usize + 4)
        .ok_or_else(|| err("relocation outside its section"))?;
    Ok(i32::from_le_bytes(bytes.try_into().map_err(err)?))
}

/// Zeroes the 32-bit word at `offset` of section `id` (its value moved
/// into a relocation's addend).
fn write_word(out: &mut Object<'_>, id: SectionId, offset: u64) -> Result<()> {
    out.section_mut(id)
        .data_mut()
        .get_mut(offset as usize..offset as usize + 4)
        .ok_or_else(|| err("relocation outside its section"))?
        .fill(0);
    Ok(())
}

/// Copies every symbol defined in a copied section, or undefined, into
/// `out`; returns where each input symbol went.
fn copy_symbols(
    input: &ElfFile64<'_, LE>,
    out: &mut Object<'_>,
    sections: &HashMap<object::SectionIndex, SectionId>,
) -> Result<HashMap<object::SymbolIndex, SymbolId>> {
    let mut symbols = HashMap::new();
    for sym in input.symbols() {
        let section = match sym.section() {
            object::SymbolSection::Section(i) => match sections.get(&i) {
                Some(id) => SymbolSection::Section(*id),
                None => continue,
            },
            object::SymbolSection::Undefined => {
                let name = sym.name().map_err(err)?;
                if !is_allowed_import(name) {
                    return Err(refused(format!("a call to undefined symbol `{name}`")));
                }
                SymbolSection::Undefined
            }
            _ => continue,
        };
        let id = match (sym.kind(), section) {
            (SymbolKind::Section, SymbolSection::Section(s)) => out.section_symbol(s),
            (SymbolKind::Section, _) => continue,
            (kind, section) => out.add_symbol(Symbol {
                name: sym.name_bytes().map_err(err)?.to_vec(),
                value: sym.address(),
                size: sym.size(),
                kind,
                scope: sym.scope(),
                weak: sym.is_weak(),
                section,
                flags: match sym.flags() {
                    object::SymbolFlags::Elf { st_info, st_other } => {
                        object::SymbolFlags::Elf { st_info, st_other }
                    }
                    _ => object::SymbolFlags::None,
                },
            }),
        };
        symbols.insert(sym.index(), id);
    }
    Ok(symbols)
}

/// `object` derives `sh_type` and `sh_entsize` from the section kind;
/// puts LLVM's values back (`.rodata.cst16` has entry size 16, an
/// x86_64 `.eh_frame` type `SHT_X86_64_UNWIND`). `copied` holds each
/// copied section's name, type and entry size in input order; the output
/// has them in the same order (with relocation and Kiln sections between).
fn restore_section_headers(bytes: &mut [u8], copied: &[(Vec<u8>, u32, u64)]) -> Result<()> {
    let mut headers = Vec::new();
    {
        let written = ElfFile64::<LE>::parse(&*bytes).map_err(err)?;
        let shoff = written.elf_header().e_shoff.get(LE) as usize;
        let mut next = copied.iter();
        let mut want = next.next();
        for s in written.sections() {
            if want.is_some_and(|(name, ..)| s.name_bytes().ok() == Some(&name[..])) {
                headers.push((shoff + s.index().0 * 64, want.map(|w| (w.1, w.2))));
                want = next.next();
            }
        }
        if want.is_some() {
            return Err(err("a copied section is missing from the output"));
        }
    }
    for (header, values) in headers {
        let Some((sh_type, sh_entsize)) = values else {
            continue;
        };
        let mut put = |at: usize, value: &[u8]| -> Result<()> {
            bytes
                .get_mut(header + at..header + at + value.len())
                .ok_or_else(|| err("section header out of range"))?
                .copy_from_slice(value);
            Ok(())
        };
        put(4, &sh_type.to_le_bytes())?;
        put(56, &sh_entsize.to_le_bytes())?;
    }
    Ok(())
}
