//! Loading a prelinked image (SPEC.md 4.18): `kilnc` laid the loaded
//! sections out and applied every relocation but the absolute ones of
//! the relocated pages. From a file, the image is mapped from it, private
//! and read-only: code and constant pages are used as the file holds
//! them (the kernel reads each on its first touch), and only the
//! relocated pages are made writable, filled and sealed. From bytes (or
//! when the host's pages are larger than the image's alignment, or the
//! file's pages may not be executable) the image is copied into an
//! anonymous mapping instead.

use kiln_format::artifact::IMAGE_ALIGN;

use crate::check::{Checked, Image};
use crate::file::FileMap;
use crate::image::{page_size, CodeImage};
use crate::reloc::{apply_all, Addresses, Plan};
use crate::symbols::Symbols;
use crate::LoadError;

/// The sealed image and each loaded section's offset in it.
pub(crate) type Built = (CodeImage, Vec<Option<usize>>);

/// Maps (or copies) the image of `checked`, applies `plan`'s relocations
/// (all absolute, all in relocated pages) and seals it.
pub(crate) fn build(
    checked: &Checked<'_>,
    image: &Image,
    plan: &Plan,
    symbols: &Symbols<'_>,
    file: Option<&FileMap>,
) -> Result<Built, LoadError> {
    let offsets: Vec<Option<usize>> = (image.sections.iter())
        .map(|s| s.map(|(o, _)| o as usize))
        .collect();
    let layout = &image.layout;
    let len = layout.end as usize;
    if let Some(file) = file.filter(|_| page_size() == IMAGE_ALIGN as usize) {
        let mapped = CodeImage::map_file(file.file(), layout.offset, len)
            .and_then(|m| finish(checked, image, plan, symbols, m, &offsets));
        match mapped {
            Ok(image) => return Ok((image, offsets)),
            // A file system that refuses executable mappings: copy.
            Err(LoadError::Memory { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    let mut copy = CodeImage::map(len)?;
    let bytes = checked.elf.file;
    let from = (layout.offset as usize).min(bytes.len());
    let end = bytes.len().min(from + len);
    copy.bytes_mut()[..end - from].copy_from_slice(&bytes[from..end]);
    Ok((
        finish(checked, image, plan, symbols, copy, &offsets)?,
        offsets,
    ))
}

/// Applies the relocations to the relocated pages of `out` and seals it.
fn finish(
    checked: &Checked<'_>,
    image: &Image,
    plan: &Plan,
    symbols: &Symbols<'_>,
    mut out: CodeImage,
    offsets: &[Option<usize>],
) -> Result<CodeImage, LoadError> {
    let layout = &image.layout;
    let base = out.base();
    let symbol = |i: usize| symbols.targets[i].address(base, offsets);
    let at = Addresses {
        symbol: &symbol,
        section_offset: &|s| offsets[s].unwrap_or(0),
        base: base as u64,
        got: &|_| 0,
        veneer: &|_| 0,
    };
    let names = |s: usize| checked.elf.sections[s].name.to_string();
    let relocated = layout.readonly_end as usize..layout.end as usize;
    let bytes = out.writable(if plan.relocs.is_empty() {
        relocated.end..relocated.end
    } else {
        relocated
    })?;
    apply_all(checked.arch, plan, bytes, &at, &names)?;
    out.seal(layout.code_end as usize)?;
    Ok(out)
}
