//! Prelinking (SPEC.md 4.18): the merged object's loaded sections become
//! one image in the file, and every relocation the image's layout fixes
//! is applied by `kilnc`, so that a loader maps code and constants
//! straight from the file and relocates only the table and
//! `.data.rel.ro`.
//!
//! The image is the code sections, then one stub per runtime symbol that
//! code calls (a jump through the symbol's table slot), then constants,
//! then sections holding absolute addresses and the `.got` table; `merge`
//! creates them in that order, each group's first one aligned to
//! [`IMAGE_ALIGN`], so the object writer lays them out in the file as the
//! image. [`prepare`] sizes the stubs and the table and hands the
//! relocations that stay (absolute ones in relocated pages, one per table
//! slot) to the writer; [`finish`] reads where the writer put each
//! section and applies the others to the written bytes: calls to runtime
//! symbols go to their stub, GOT-style references to the symbol's slot,
//! everything else is computed at image address 0 (the loader maps the
//! image on a page boundary, which leaves every PC-relative and
//! page-relative value as computed).

use super::merge::{err, Merged};
use crate::error::{CompileError, Result};
use kiln_format::artifact::relocate::{self, is_abs64, is_hi20, need, width, Need, Site};
use kiln_format::artifact::{ImageGroup, ImageLayout, IMAGE_ALIGN, TABLE_SLOT};
use object::read::elf::ElfFile64;
use object::read::Object as _;
use object::write::{Relocation, SectionId, SymbolId, SymbolSection};
use object::{LittleEndian as LE, RelocationFlags};
use std::collections::HashMap;

fn bug(e: impl std::fmt::Display) -> CompileError {
    CompileError::Llvm(format!("cannot prelink the artifact: {e}"))
}

/// What [`prepare`] decided and [`finish`] applies.
pub(super) struct Plan {
    /// Symbols with a stub, in stub order.
    stubs: Vec<SymbolId>,
    /// Symbols with a table slot, in slot order.
    slots: Vec<SymbolId>,
    /// The relocations `kilnc` applies.
    pending: Vec<(SectionId, Relocation)>,
}

fn r_type(r: &Relocation) -> Result<u32> {
    match r.flags {
        RelocationFlags::Elf { r_type } => Ok(r_type),
        _ => Err(bug("a relocation without an ELF type")),
    }
}

fn group_of(merged: &Merged, id: SectionId) -> Result<ImageGroup> {
    merged
        .loaded
        .iter()
        .find(|&&(s, _)| s == id)
        .map(|&(_, g)| g)
        .ok_or_else(|| bug("a relocation of a section that is not loaded"))
}

/// Sizes the stub section and the table (stubs for undefined symbols
/// that code calls; slots for those and every symbol a GOT-style
/// relocation names), and gives the object writer the relocations the
/// loader applies: absolute ones in relocated pages, one per slot.
pub(super) fn prepare(merged: &mut Merged) -> Result<Plan> {
    let arch = merged.arch;
    let (stub_section, table) = merged.helpers.ok_or_else(|| bug("no helper sections"))?;
    let mut plan = Plan {
        stubs: Vec::new(),
        slots: Vec::new(),
        pending: Vec::new(),
    };
    for (section, r) in std::mem::take(&mut merged.relocations) {
        let r_type = r_type(&r)?;
        if is_abs64(arch, r_type) {
            if group_of(merged, section)? != ImageGroup::Relocated {
                return Err(bug(format!(
                    "an absolute relocation (type {r_type}) outside .data.rel.ro"
                )));
            }
            merged.out.add_relocation(section, r).map_err(err)?;
            continue;
        }
        let undefined = merged.out.symbol(r.symbol).section == SymbolSection::Undefined;
        let call = need(arch, r_type) == Need::Call && undefined;
        if (call || need(arch, r_type) == Need::Got) && !plan.slots.contains(&r.symbol) {
            plan.slots.push(r.symbol);
        }
        if call && !plan.stubs.contains(&r.symbol) {
            plan.stubs.push(r.symbol);
        }
        plan.pending.push((section, r));
    }
    let size = plan.stubs.len() * relocate::stub_size(arch);
    merged
        .out
        .append_section_data(stub_section, &vec![0; size], 16);
    let size = plan.slots.len() * TABLE_SLOT as usize;
    merged
        .out
        .append_section_data(table, &vec![0; size], TABLE_SLOT);
    for (i, &symbol) in plan.slots.iter().enumerate() {
        let relocation = Relocation {
            offset: i as u64 * TABLE_SLOT,
            symbol,
            addend: 0,
            flags: RelocationFlags::Elf {
                r_type: relocate::abs64(arch),
            },
        };
        merged.out.add_relocation(table, relocation).map_err(err)?;
    }
    Ok(plan)
}

/// The file offset of each loaded section, by section id, as written.
fn placement(merged: &Merged, bytes: &[u8]) -> Result<HashMap<SectionId, u64>> {
    let written = ElfFile64::<LE>::parse(bytes).map_err(err)?;
    let offsets: Vec<u64> = written
        .sections()
        .filter(|s| {
            s.elf_section_header().sh_flags.get(LE) & u64::from(object::elf::SHF_ALLOC) != 0
        })
        .map(|s| s.elf_section_header().sh_offset.get(LE))
        .collect();
    if offsets.len() != merged.loaded.len() {
        return Err(bug("the object writer dropped a loaded section"));
    }
    Ok(merged
        .loaded
        .iter()
        .zip(offsets)
        .map(|(&(id, _), o)| (id, o))
        .collect())
}

/// The image's layout: where the writer put it and its page groups.
fn layout(merged: &Merged, file: &HashMap<SectionId, u64>, len: u64) -> Result<ImageLayout> {
    let offset = merged
        .loaded
        .first()
        .map_or(IMAGE_ALIGN, |(id, _)| file[id]);
    let mut ends = [None::<u64>; 3];
    for &(id, group) in &merged.loaded {
        let end = file[&id] + merged.out.section(id).data().len() as u64 - offset;
        ends[group as usize] = Some(end.next_multiple_of(IMAGE_ALIGN));
    }
    let code_end = ends[0].unwrap_or(0);
    let readonly_end = ends[1].unwrap_or(code_end);
    let image = ImageLayout {
        offset,
        code_end,
        readonly_end,
        end: ends[2].unwrap_or(readonly_end),
    };
    ImageLayout::decode(&image.encode(), len).map_err(bug)?;
    for &(id, group) in &merged.loaded {
        let size = merged.out.section(id).data().len() as u64;
        let kind = match group {
            ImageGroup::Code => kiln_format::artifact::SectionKind::Code,
            _ => kiln_format::artifact::SectionKind::ReadOnly,
        };
        let (_, placed) = image
            .place("loaded section", kind, file[&id], size)
            .map_err(bug)?;
        if placed != group && size != 0 {
            return Err(bug("a section outside its page group"));
        }
    }
    Ok(image)
}

/// Writes the stubs and applies the pending relocations to `bytes`, the
/// written object; returns the image layout for `.kiln.image`.
pub(super) fn finish(merged: &Merged, plan: &Plan, bytes: &mut [u8]) -> Result<ImageLayout> {
    let arch = merged.arch;
    let file = placement(merged, bytes)?;
    let image = layout(merged, &file, bytes.len() as u64)?;
    let at = |id: &SectionId| file[id] - image.offset;
    let (stub_section, table) = merged.helpers.ok_or_else(|| bug("no helper sections"))?;
    let slot_of: HashMap<SymbolId, u64> = (plan.slots.iter().enumerate())
        .map(|(i, &s)| (s, at(&table) + i as u64 * TABLE_SLOT))
        .collect();
    let stub_size = relocate::stub_size(arch);
    let stub_of: HashMap<SymbolId, u64> = (plan.stubs.iter().enumerate())
        .map(|(i, &s)| (s, at(&stub_section) + (i * stub_size) as u64))
        .collect();
    for symbol in &plan.stubs {
        let place = stub_of[symbol];
        let start = (image.offset + place) as usize;
        let out = &mut bytes[start..start + stub_size];
        relocate::write_stub(arch, out, place, slot_of[symbol]).map_err(bug)?;
    }
    // The image address of a symbol (an undefined one's: its stub).
    let address = |s: SymbolId| -> Option<u64> {
        let symbol = merged.out.symbol(s);
        match symbol.section {
            SymbolSection::Section(id) => Some(at(&id) + symbol.value),
            _ => stub_of.get(&s).copied(),
        }
    };
    let mut hi_values: HashMap<u64, i128> = HashMap::new();
    // `PCREL_LO12_*` after every `HI20` whose value they take.
    let lo12 = |r: &Relocation| r_type(r).is_ok_and(|t| need(arch, t) == Need::PcrelLo);
    let ordered = (plan.pending.iter().filter(|(_, r)| !lo12(r)))
        .chain(plan.pending.iter().filter(|(_, r)| lo12(r)));
    for (section, r) in ordered {
        let r_type = r_type(r)?;
        let place = at(section) + r.offset;
        let what = |why: &str| {
            bug(format!(
                "relocation type {r_type} at image offset {place:#x}: {why}"
            ))
        };
        let mut site = Site {
            r_type,
            p: place,
            s: address(r.symbol).ok_or_else(|| what("a runtime symbol used as data"))?,
            a: r.addend,
            got: slot_of.get(&r.symbol).copied().unwrap_or(0),
            ..Site::default()
        };
        if need(arch, r_type) == Need::PcrelLo {
            // Its symbol labels the `auipc` whose value it completes.
            site.pcrel_hi = *hi_values
                .get(&site.s)
                .ok_or_else(|| what("no HI20 at its label"))? as i64;
        }
        let start = (image.offset + place) as usize;
        let end = start + width(arch, r_type);
        if r.offset + width(arch, r_type) as u64 > merged.out.section(*section).data().len() as u64
        {
            return Err(what("outside its section"));
        }
        let value = relocate::apply(arch, &mut bytes[start..end], &site).map_err(|e| what(&e))?;
        if is_hi20(arch, r_type) {
            hi_values.insert(place, value);
        }
    }
    Ok(image)
}
