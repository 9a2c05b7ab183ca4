//! Merging LLVM's relocatable objects (one per chunk of functions, one for
//! the trampolines, each emitted on its own thread) into one object.
//!
//! Sections of the same name are concatenated in object order, each piece
//! at its own alignment, so the artifact still has one `.text`, one
//! `.rodata.cst16` and so on (SPEC.md 4.2). Symbols defined in a piece
//! move by the piece's offset; relocations move with their place, and
//! those against a section symbol gain the piece's offset in their addend.
//! A call from one chunk to a function of another is an undefined
//! `kiln_func_<F>` in the caller's object: it is bound to the definition
//! from the other object, so the relocation targets a defined symbol, as
//! the format asks (SPEC.md 4.12), and the loader resolves it like a call
//! inside one chunk. Undefined intrinsics and libcalls are one symbol each,
//! whichever objects call them. Nothing depends on which thread emitted
//! which object: the output is a function of the objects and their order.
//!
//! What is copied, from each object, exactly: every `SHF_ALLOC` section
//! (each must be one the format allows, else the compile fails rather than
//! writing an artifact the loader refuses), its flags, alignment, type and
//! entry size; `.riscv.attributes` once (not loaded, but it tells
//! `objdump` which extensions to disassemble); every symbol defined in a
//! copied section, with its name, size, type, binding and `st_other`;
//! every relocation of a copied section, except that RISC-V jump tables'
//! ADD32/SUB32 pairs become one `R_RISCV_32_PCREL` each ([`riscv_diff`]).
//! Dropped: `.note.GNU-stack`, `.comment`, `.llvm_addrsig` (whose symbol
//! indices would be stale) and `STT_FILE` symbols.

use super::riscv_diff;
use crate::error::{CompileError, Result};
use kiln_format::artifact::{
    check_relocation, classify_section, is_allowed_import, Arch, ImageGroup, SectionKind as Kind,
    IMAGE_ALIGN, TABLE_SECTION,
};
use object::elf::{SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHT_RISCV_ATTRIBUTES};
use object::read::elf::{ElfFile64, ElfSection64};
use object::read::{Object as _, ObjectSection as _, ObjectSymbol as _};
use object::write::{Object, Relocation, SectionId, Symbol, SymbolId, SymbolSection};
use object::{LittleEndian as LE, RelocationTarget, SectionFlags, SectionIndex, SymbolIndex};
use object::{SectionKind, SymbolKind, SymbolScope};

/// The code section of the table stubs (SPEC.md 4.18).
pub(super) const STUBS_SECTION: &str = ".text.kiln_stubs";
use std::collections::HashMap;

pub(super) fn err(e: impl std::fmt::Display) -> CompileError {
    CompileError::Llvm(format!("cannot write the artifact: {e}"))
}

/// LLVM's object holds something the format refuses: a compiler bug, not
/// a bad module, reported before an unloadable artifact is written.
fn refused(e: impl std::fmt::Display) -> CompileError {
    CompileError::Llvm(format!("LLVM emitted what an artifact cannot hold: {e}"))
}

/// One copied section of the output: its name, `sh_type` and
/// `sh_entsize` as LLVM wrote them (`object` derives its own).
pub(super) type CopiedSection = (Vec<u8>, u32, u64);

/// The merged object and its copied sections, in output order.
pub(super) struct Merged {
    pub out: Object<'static>,
    pub copied: Vec<CopiedSection>,
    /// The loaded sections, in output order (which is image order: code,
    /// then constants, then data holding absolute addresses), each with
    /// the page group it goes to.
    pub loaded: Vec<(SectionId, ImageGroup)>,
    /// Every relocation of a loaded section, not yet added to `out`.
    pub relocations: Vec<(SectionId, Relocation)>,
    /// The architecture.
    pub arch: Arch,
    /// When prelinking: the (empty) section for table stubs, at the end
    /// of the code, and the (empty) table, last ([`super::prelink`]).
    pub helpers: Option<(SectionId, SectionId)>,
}

/// Where a piece of input went: its output section and offset there.
type Placed = (SectionId, u64);

/// Whether section `s` of an LLVM object goes into the artifact.
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

/// The page group a kept section goes to (`None`: not loaded), in image
/// order: code, constants, then writable-at-load data (`.data.rel.ro`).
fn group(s: &ElfSection64<'_, '_, LE>) -> Result<Option<ImageGroup>> {
    let flags = s.elf_section_header().sh_flags.get(LE);
    if flags & u64::from(SHF_ALLOC) == 0 {
        return Ok(None);
    }
    Ok(Some(
        match classify_section(s.name().map_err(err)?, flags) {
            Ok(Kind::Code) => ImageGroup::Code,
            _ if flags & u64::from(SHF_WRITE) == 0 => ImageGroup::Constants,
            _ => ImageGroup::Relocated,
        },
    ))
}

/// Merges `objects` (ELF64 little-endian relocatable objects of one
/// target), in order; with `prelink`, adds the empty helper sections a
/// prelinked image needs.
pub(super) fn merge(objects: &[Vec<u8>], prelink: bool) -> Result<Merged> {
    let inputs = objects
        .iter()
        .map(|o| ElfFile64::<LE>::parse(&o[..]).map_err(err))
        .collect::<Result<Vec<_>>>()?;
    let first = inputs.first().ok_or_else(|| err("no object to merge"))?;
    let machine = first.elf_header().e_machine.get(LE);
    let arch = Arch::from_elf_machine(machine)
        .ok_or_else(|| err("LLVM's object is for an unsupported machine"))?;
    if inputs
        .iter()
        .any(|i| i.elf_header().e_machine.get(LE) != machine || i.flags() != first.flags())
    {
        return Err(err("the objects disagree on the machine or its flags"));
    }
    let mut out = Object::new(
        object::BinaryFormat::Elf,
        first.architecture(),
        object::Endianness::Little,
    );
    out.flags = first.flags();
    let mut merged = Merged {
        out,
        copied: Vec::new(),
        loaded: Vec::new(),
        relocations: Vec::new(),
        arch,
        helpers: None,
    };
    let placed = place_sections(&inputs, &mut merged, prelink)?;
    let symbols = copy_symbols(&inputs, &mut merged.out, &placed)?;
    for (k, input) in inputs.iter().enumerate() {
        copy_relocations(arch, k, input, &mut merged, &placed, &symbols)?;
    }
    Ok(merged)
}

/// Appends every kept section of every input to the output section of
/// its name; returns where each (input, section) went.
fn place_sections(
    inputs: &[ElfFile64<'_, LE>],
    merged: &mut Merged,
    prelink: bool,
) -> Result<HashMap<(usize, SectionIndex), Placed>> {
    let mut by_name: HashMap<Vec<u8>, (SectionId, u64)> = HashMap::new();
    let mut placed = HashMap::new();
    // The output sections first, in image order (SPEC.md 4.18), so that
    // the object writer lays them out in the file as the image.
    let mut order = Vec::new();
    for input in inputs {
        for s in input.sections() {
            let name = s.name_bytes().map_err(err)?;
            if kept(&s)? && !order.iter().any(|(_, n, _)| *n == name) {
                order.push((group(&s)?, name, s));
            }
        }
    }
    order.sort_by_key(|(g, ..)| (g.is_none(), *g));
    let mut stubs = None;
    for (rank, name, s) in order {
        if prelink && stubs.is_none() && rank != Some(ImageGroup::Code) {
            stubs = Some(helper(
                merged,
                STUBS_SECTION,
                SectionKind::Text,
                ImageGroup::Code,
            ));
        }
        if prelink && rank.is_none() && merged.helpers.is_none() {
            let table = helper(
                merged,
                TABLE_SECTION,
                SectionKind::Data,
                ImageGroup::Relocated,
            );
            merged.helpers = stubs.map(|s| (s, table));
        }
        let header = s.elf_section_header();
        let sh_flags = header.sh_flags.get(LE);
        let id = merged.out.add_section(Vec::new(), name.to_vec(), s.kind());
        merged.out.section_mut(id).flags = SectionFlags::Elf { sh_flags };
        by_name.insert(name.to_vec(), (id, sh_flags));
        merged.copied.push((
            name.to_vec(),
            header.sh_type.get(LE),
            header.sh_entsize.get(LE),
        ));
        if let Some(g) = rank {
            push_loaded(merged, id, g);
        }
    }
    if prelink && merged.helpers.is_none() {
        let stubs = stubs
            .unwrap_or_else(|| helper(merged, STUBS_SECTION, SectionKind::Text, ImageGroup::Code));
        let table = helper(
            merged,
            TABLE_SECTION,
            SectionKind::Data,
            ImageGroup::Relocated,
        );
        merged.helpers = Some((stubs, table));
    }
    for (k, input) in inputs.iter().enumerate() {
        for s in input.sections() {
            if !kept(&s)? {
                continue;
            }
            let header = s.elf_section_header();
            let name = s.name_bytes().map_err(err)?.to_vec();
            let sh_flags = header.sh_flags.get(LE);
            let data = s.data().map_err(err)?;
            let id = match by_name.get(&name) {
                Some(&(id, flags)) => {
                    if flags != sh_flags {
                        return Err(err(format!(
                            "section {} has different flags in two objects",
                            String::from_utf8_lossy(&name)
                        )));
                    }
                    if sh_flags & u64::from(SHF_ALLOC) == 0 {
                        // `.riscv.attributes`: the same in every object.
                        continue;
                    }
                    id
                }
                None => return Err(err("a section appeared between two passes")),
            };
            let offset = merged.out.append_section_data(id, data, s.align().max(1));
            placed.insert((k, s.index()), (id, offset));
        }
    }
    Ok(placed)
}

/// Adds an empty loaded section for the prelinker.
fn helper(merged: &mut Merged, name: &str, kind: SectionKind, group: ImageGroup) -> SectionId {
    let flags = match group {
        ImageGroup::Code => SHF_ALLOC | SHF_EXECINSTR,
        _ => SHF_ALLOC | SHF_WRITE,
    };
    let id = merged.out.add_section(Vec::new(), name.into(), kind);
    merged.out.section_mut(id).flags = SectionFlags::Elf {
        sh_flags: flags.into(),
    };
    push_loaded(merged, id, group);
    id
}

/// Records a new, still empty, loaded section; the first of its page
/// group starts on an image page (SPEC.md 4.18).
fn push_loaded(merged: &mut Merged, id: SectionId, group: ImageGroup) {
    if merged.loaded.last().is_none_or(|&(_, g)| g != group) {
        merged.out.append_section_data(id, &[], IMAGE_ALIGN);
    }
    merged.loaded.push((id, group));
}

/// Where each input symbol went: the output symbol and what to add to the
/// addend of a relocation against it (a section symbol's piece offset).
type SymbolMap = HashMap<(usize, SymbolIndex), (SymbolId, i64)>;

/// Copies every symbol defined in a copied section, then binds each
/// undefined one to the global of that name defined by another object, or
/// else to one undefined symbol per name (an intrinsic or libcall).
fn copy_symbols(
    inputs: &[ElfFile64<'_, LE>],
    out: &mut Object<'static>,
    placed: &HashMap<(usize, SectionIndex), Placed>,
) -> Result<SymbolMap> {
    let mut map = SymbolMap::new();
    let mut globals: HashMap<Vec<u8>, SymbolId> = HashMap::new();
    for (k, input) in inputs.iter().enumerate() {
        for sym in input.symbols() {
            let object::SymbolSection::Section(i) = sym.section() else {
                continue;
            };
            let Some(&(section, offset)) = placed.get(&(k, i)) else {
                continue;
            };
            if sym.kind() == SymbolKind::Section {
                map.insert(
                    (k, sym.index()),
                    (out.section_symbol(section), offset as i64),
                );
                continue;
            }
            let name = sym.name_bytes().map_err(err)?.to_vec();
            let global = sym.scope() != SymbolScope::Compilation;
            if global && globals.contains_key(&name) {
                return Err(err(format!(
                    "symbol `{}` is defined by two objects",
                    String::from_utf8_lossy(&name)
                )));
            }
            let id = out.add_symbol(Symbol {
                name: name.clone(),
                value: sym.address() + offset,
                size: sym.size(),
                kind: sym.kind(),
                scope: sym.scope(),
                weak: sym.is_weak(),
                section: SymbolSection::Section(section),
                flags: elf_flags(sym.flags()),
            });
            if global {
                globals.insert(name, id);
            }
            map.insert((k, sym.index()), (id, 0));
        }
    }
    let mut imports: HashMap<Vec<u8>, SymbolId> = HashMap::new();
    for (k, input) in inputs.iter().enumerate() {
        for sym in input.symbols().filter(|s| s.is_undefined()) {
            let name = sym.name_bytes().map_err(err)?;
            if name.is_empty() {
                continue;
            }
            let id = match globals.get(name).or_else(|| imports.get(name)) {
                Some(&id) => id,
                None => {
                    let text = sym.name().map_err(err)?;
                    if !is_allowed_import(text) {
                        return Err(refused(format!("a call to undefined symbol `{text}`")));
                    }
                    let id = out.add_symbol(Symbol {
                        name: name.to_vec(),
                        value: 0,
                        size: 0,
                        kind: sym.kind(),
                        scope: sym.scope(),
                        weak: sym.is_weak(),
                        section: SymbolSection::Undefined,
                        flags: elf_flags(sym.flags()),
                    });
                    imports.insert(name.to_vec(), id);
                    id
                }
            };
            map.insert((k, sym.index()), (id, 0));
        }
    }
    Ok(map)
}

fn elf_flags(
    flags: object::SymbolFlags<SectionIndex, SymbolIndex>,
) -> object::SymbolFlags<SectionId, SymbolId> {
    match flags {
        object::SymbolFlags::Elf { st_info, st_other } => {
            object::SymbolFlags::Elf { st_info, st_other }
        }
        _ => object::SymbolFlags::None,
    }
}

/// Copies the relocations of input `k`'s copied sections, each moved to
/// its place in the output.
fn copy_relocations(
    arch: Arch,
    k: usize,
    input: &ElfFile64<'_, LE>,
    merged: &mut Merged,
    placed: &HashMap<(usize, SectionIndex), Placed>,
    symbols: &SymbolMap,
) -> Result<()> {
    let out = &mut merged.out;
    for s in input.sections() {
        let Some(&(target_section, base)) = placed.get(&(k, s.index())) else {
            continue;
        };
        let relocs: Vec<(u64, object::Relocation)> = s.relocations().collect();
        let mut i = 0;
        while i < relocs.len() {
            let (offset, r) = &relocs[i];
            let place = base + offset;
            let folded = match (arch, relocs.get(i + 1)) {
                (Arch::Riscv64, Some((next_offset, next))) => {
                    let word = read_word(out, target_section, place)?;
                    riscv_diff::fold(input, s.index(), (*offset, r), (*next_offset, next), word)
                }
                _ => None,
            };
            let (target, flags, addend) = match folded {
                Some(f) => {
                    write_word(out, target_section, place)?;
                    i += 2;
                    (f.target, f.flags, f.addend)
                }
                None => {
                    i += 1;
                    (r.target(), r.flags(), r.addend())
                }
            };
            let (symbol, delta) = match target {
                RelocationTarget::Symbol(i) => *symbols
                    .get(&(k, i))
                    .ok_or_else(|| err(format!("relocation against dropped symbol {}", i.0)))?,
                RelocationTarget::Section(i) => {
                    let &(section, offset) = placed
                        .get(&(k, i))
                        .ok_or_else(|| err("relocation against a dropped section"))?;
                    (out.section_symbol(section), offset as i64)
                }
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
                offset: place,
                symbol,
                addend: addend + delta,
                flags,
            };
            merged.relocations.push((target_section, relocation));
        }
    }
    Ok(())
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
