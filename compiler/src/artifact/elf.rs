//! Turning LLVM's relocatable objects into an artifact: their loaded
//! sections, symbols and relocations merged into one object ([`merge`]),
//! laid out as a prelinked image ([`super::prelink`], SPEC.md 4.18), plus
//! Kiln's sections, sealed with the whole-file checksum (SPEC.md 4.2,
//! 4.10).
//!
//! The ELF flags (RISC-V's float ABI and RVC bits) are LLVM's. Sections,
//! relocation types and undefined symbols are checked with the format's
//! own rules (`classify_section`, `check_relocation`, `is_allowed_import`)
//! while merging, so LLVM output the loader would refuse fails the compile
//! instead.

use super::merge::{err, merge, CopiedSection};
use super::prelink::{finish, prepare};
use crate::error::Result;
use kiln_format::artifact::{seal_checksum, CHECKSUM_SECTION, IMAGE_SECTION, IMAGE_SIZE};
use object::read::elf::ElfFile64;
use object::read::{Object as _, ObjectSection as _};
use object::{LittleEndian as LE, SectionKind};

/// Merges `objects` in order and appends the `(name, bytes)` sections;
/// seals the checksum when they include `.kiln.checksum` (without Kiln
/// sections this is a plain relocatable object, `kilnc --format obj`).
pub fn write_artifact(objects: &[Vec<u8>], kiln: &[(&'static str, Vec<u8>)]) -> Result<Vec<u8>> {
    let sealed = kiln.iter().any(|(name, _)| *name == CHECKSUM_SECTION);
    let mut merged = merge(objects, sealed)?;
    let mut kiln = kiln.to_vec();
    let plan = if sealed {
        // Before `.kiln.checksum`, last; filled in once the image is placed.
        kiln.insert(kiln.len() - 1, (IMAGE_SECTION, vec![0; IMAGE_SIZE]));
        Some(prepare(&mut merged)?)
    } else {
        for (section, r) in std::mem::take(&mut merged.relocations) {
            merged.out.add_relocation(section, r).map_err(err)?;
        }
        None
    };
    let out = &mut merged.out;
    for (name, data) in &kiln {
        let id = out.add_section(Vec::new(), name.as_bytes().to_vec(), SectionKind::Metadata);
        out.set_section_data(id, data.clone(), 1);
    }
    let mut bytes = out.write().map_err(err)?;
    restore_section_headers(&mut bytes, &merged.copied)?;
    let Some(plan) = plan else {
        return Ok(bytes);
    };
    let image = finish(&merged, &plan, &mut bytes)?;
    let range = file_range(&bytes, IMAGE_SECTION)?;
    bytes[range].copy_from_slice(&image.encode());
    let range = file_range(&bytes, CHECKSUM_SECTION)?;
    seal_checksum(&mut bytes, range).map_err(err)?;
    Ok(bytes)
}

/// The file range of section `name`'s contents.
fn file_range(bytes: &[u8], name: &str) -> Result<std::ops::Range<usize>> {
    let written = ElfFile64::<LE>::parse(bytes).map_err(err)?;
    let section = written
        .section_by_name(name)
        .ok_or_else(|| err(format!("section {name} missing")))?;
    let (start, len) = section
        .file_range()
        .ok_or_else(|| err(format!("section {name} has no bytes")))?;
    Ok(start as usize..(start + len) as usize)
}

/// `object` derives `sh_type` and `sh_entsize` from the section kind;
/// puts LLVM's values back (`.rodata.cst16` has entry size 16, an
/// x86_64 `.eh_frame` type `SHT_X86_64_UNWIND`). `copied` holds each
/// copied section's name, type and entry size in input order; the output
/// has them in the same order (with relocation and Kiln sections between).
fn restore_section_headers(bytes: &mut [u8], copied: &[CopiedSection]) -> Result<()> {
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
