//! Turning LLVM's relocatable object into an artifact: the same code,
//! read-only data, symbols and relocations, plus Kiln's sections, sealed
//! with the whole-file checksum.

use crate::error::{CompileError, Result};
use kiln_format::artifact::{seal_checksum, CHECKSUM_SECTION};
use object::read::{Object as _, ObjectSection as _, ObjectSymbol as _};
use object::write::{Object, Relocation, SectionId, Symbol, SymbolId, SymbolSection};
use object::{RelocationTarget, SectionKind, SymbolKind};
use std::collections::HashMap;

fn err(e: impl std::fmt::Display) -> CompileError {
    CompileError::Llvm(format!("cannot write the artifact: {e}"))
}

/// Whether a section of LLVM's object is loaded code or data.
fn kept(kind: SectionKind) -> bool {
    matches!(
        kind,
        SectionKind::Text | SectionKind::ReadOnlyData | SectionKind::ReadOnlyString
    )
}

/// Copies `llvm_object` and appends the `(name, bytes)` sections, then
/// seals the checksum.
pub fn write_artifact(llvm_object: &[u8], kiln: &[(&'static str, Vec<u8>)]) -> Result<Vec<u8>> {
    let input = object::File::parse(llvm_object).map_err(err)?;
    let mut out = Object::new(input.format(), input.architecture(), input.endianness());
    out.flags = input.flags();
    let mut sections: HashMap<object::SectionIndex, SectionId> = HashMap::new();
    for s in input.sections() {
        if !kept(s.kind()) {
            continue;
        }
        let name = s.name_bytes().map_err(err)?.to_vec();
        let id = out.add_section(Vec::new(), name, s.kind());
        out.set_section_data(id, s.data().map_err(err)?.to_vec(), s.align());
        out.section_mut(id).flags = s.flags();
        sections.insert(s.index(), id);
    }
    let mut symbols: HashMap<object::SymbolIndex, SymbolId> = HashMap::new();
    for sym in input.symbols() {
        let section = match sym.section() {
            object::SymbolSection::Section(i) => match sections.get(&i) {
                Some(id) => SymbolSection::Section(*id),
                None => continue,
            },
            object::SymbolSection::Undefined => SymbolSection::Undefined,
            _ => continue,
        };
        let id = if sym.kind() == SymbolKind::Section {
            match section {
                SymbolSection::Section(s) => out.section_symbol(s),
                _ => continue,
            }
        } else {
            out.add_symbol(Symbol {
                name: sym.name_bytes().map_err(err)?.to_vec(),
                value: sym.address(),
                size: sym.size(),
                kind: sym.kind(),
                scope: sym.scope(),
                weak: sym.is_weak(),
                section,
                flags: match sym.flags() {
                    object::SymbolFlags::Elf { st_info, st_other } => {
                        object::SymbolFlags::Elf { st_info, st_other }
                    }
                    _ => object::SymbolFlags::None,
                },
            })
        };
        symbols.insert(sym.index(), id);
    }
    for s in input.sections() {
        let Some(&target_section) = sections.get(&s.index()) else {
            continue;
        };
        for (offset, r) in s.relocations() {
            let symbol = match r.target() {
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
            out.add_relocation(
                target_section,
                Relocation {
                    offset,
                    symbol,
                    addend: r.addend(),
                    flags: r.flags(),
                },
            )
            .map_err(err)?;
        }
    }
    for (name, data) in kiln {
        let id = out.add_section(Vec::new(), name.as_bytes().to_vec(), SectionKind::Metadata);
        out.set_section_data(id, data.clone(), 1);
    }
    let mut bytes = out.write().map_err(err)?;
    let range = {
        let written = object::File::parse(&*bytes).map_err(err)?;
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
