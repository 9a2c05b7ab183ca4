//! Relocations (SPEC.md 4.12): reading and checking them before anything
//! is mapped ([`plan`]), then applying them to the writable image
//! ([`apply_all`]). The per-architecture encodings live in
//! `kiln_format::artifact::relocate`, shared with `kilnc`.

use std::collections::{HashMap, HashSet};

use goblin::elf::reloc::RelocSection;
use goblin::elf::section_header::{SHT_REL, SHT_RELA};
use kiln_format::artifact::relocate::{self, is_abs64, is_hi20, need, width, Need, Site};
use kiln_format::artifact::{check_relocation, Arch, ArtifactError, ImageGroup, SectionKind};

use crate::check::Checked;
use crate::elf::ctx;
use crate::symbols::{Placed, Symbols, Target};

/// Size of one ELF64 `Rela` entry.
const RELA_SIZE: u64 = 24;

/// One checked relocation of a loaded section.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reloc {
    /// Where: a loaded section and the offset of the place in it.
    pub place: Placed,
    /// The ELF `r_type`, allowed for the architecture.
    pub r_type: u32,
    /// The symbol index; its target is usable.
    pub symbol: usize,
    /// `A`.
    pub addend: i64,
    /// For RISC-V `PCREL_LO12_*`: the `HI20` place its symbol labels.
    pub hi: Option<Placed>,
}

/// Every relocation to apply, and the GOT slots and veneers they need.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// The relocations, `HI20` kinds before the `LO12` kinds that use them.
    pub relocs: Vec<Reloc>,
    /// Symbols that get a GOT slot, in slot order.
    pub got: Vec<usize>,
    /// Symbols that get a veneer, in veneer order.
    pub veneers: Vec<usize>,
}

fn bad_reloc(arch: Arch, r_type: u32, location: String) -> ArtifactError {
    ArtifactError::BadRelocation {
        arch,
        r_type,
        location,
    }
}

fn bad_rela_section(name: &str, reason: String) -> ArtifactError {
    ArtifactError::BadSection {
        section: name.into(),
        reason,
    }
}

/// Reads and checks every relocation that applies to a loaded section:
/// its kind, its place inside the section, its symbol; and decides which
/// symbols need GOT slots and veneers.
pub(crate) fn plan(checked: &Checked<'_>, symbols: &Symbols<'_>) -> Result<Plan, ArtifactError> {
    let elf = &checked.elf;
    let arch = checked.arch;
    let mut plan = Plan::default();
    let mut got = HashMap::new();
    let mut veneers = HashMap::new();
    let mut lo12 = Vec::new();
    for (index, s) in elf.sections.iter().enumerate() {
        let h = &s.header;
        if h.sh_type != SHT_RELA && h.sh_type != SHT_REL {
            continue;
        }
        let target = h.sh_info as usize;
        let Some(kind) = checked.kinds.get(target) else {
            return Err(bad_rela_section(
                s.name,
                format!("applies to section {target}, which does not exist"),
            ));
        };
        if !matches!(kind, SectionKind::Code | SectionKind::ReadOnly) {
            continue; // Debug info and the like: skipped, not checked.
        }
        if h.sh_type == SHT_REL {
            return Err(bad_rela_section(
                s.name,
                "SHT_REL relocations are not allowed; only SHT_RELA".into(),
            ));
        }
        if symbols.symtab_section != Some(h.sh_link as usize) {
            return Err(bad_rela_section(
                s.name,
                "does not refer to the symbol table".into(),
            ));
        }
        if h.sh_entsize != RELA_SIZE || h.sh_size % RELA_SIZE != 0 {
            return Err(bad_rela_section(
                s.name,
                format!(
                    "entry size {} and size {} do not describe {RELA_SIZE}-byte entries",
                    h.sh_entsize, h.sh_size
                ),
            ));
        }
        let bytes = elf.contents(index)?;
        let relocs = RelocSection::parse(bytes, 0, bytes.len(), true, ctx())
            .map_err(|e| bad_rela_section(s.name, e.to_string()))?;
        let target_name = elf.sections[target].name;
        let target_size = elf.sections[target].header.sh_size;
        for r in relocs.iter() {
            let location = || format!("{target_name}+{:#x}", r.r_offset);
            check_relocation(arch, r.r_type, location)?;
            if let Some(image) = &checked.image {
                check_prelinked(arch, image.sections[target], r.r_type, location)?;
            }
            let end = r.r_offset.checked_add(width(arch, r.r_type) as u64);
            if end.is_none_or(|end| end > target_size) {
                let why = format!(
                    "{} (past the end of the {target_size}-byte section)",
                    location()
                );
                return Err(bad_reloc(arch, r.r_type, why));
            }
            match symbols.targets.get(r.r_sym) {
                None => {
                    let why = format!(
                        "{} (symbol {} is not in the symbol table)",
                        location(),
                        r.r_sym
                    );
                    return Err(bad_reloc(arch, r.r_type, why));
                }
                Some(Target::Unusable(what)) => {
                    return Err(ArtifactError::BadSymbol {
                        name: symbols.names[r.r_sym].into(),
                        reason: format!("the relocation at {} refers to {what}", location()),
                    })
                }
                Some(_) => {}
            }
            let reloc = Reloc {
                place: Placed {
                    section: target,
                    offset: r.r_offset,
                },
                r_type: r.r_type,
                symbol: r.r_sym,
                addend: r.r_addend.unwrap_or(0),
                hi: None,
            };
            match need(arch, r.r_type) {
                Need::Plain => {}
                Need::Got => slot(&mut got, &mut plan.got, r.r_sym),
                Need::Call => slot(&mut veneers, &mut plan.veneers, r.r_sym),
                Need::PcrelLo => {
                    lo12.push(reloc);
                    continue;
                }
            }
            plan.relocs.push(reloc);
        }
    }
    check_lo12(arch, &plan.relocs, &mut lo12, symbols, elf)?;
    plan.relocs.extend(lo12);
    Ok(plan)
}

/// In a prelinked image only absolute relocations remain, and only in
/// its relocated pages: code and constants are mapped from the file and
/// never written (SPEC.md 4.18).
fn check_prelinked(
    arch: Arch,
    placed: Option<(u64, ImageGroup)>,
    r_type: u32,
    location: impl Fn() -> String,
) -> Result<(), ArtifactError> {
    let why = match placed {
        Some((_, ImageGroup::Relocated)) if is_abs64(arch, r_type) => return Ok(()),
        Some((_, ImageGroup::Relocated)) => "only absolute relocations remain in a prelinked image",
        Some((_, ImageGroup::Code)) => "into a code page of a prelinked image",
        _ => "into a constant page of a prelinked image",
    };
    Err(bad_reloc(arch, r_type, format!("{} ({why})", location())))
}

fn slot(index: &mut HashMap<usize, usize>, order: &mut Vec<usize>, symbol: usize) {
    index.entry(symbol).or_insert_with(|| {
        order.push(symbol);
        order.len() - 1
    });
}

/// Every RISC-V `PCREL_LO12_*` must name, through its symbol, a place that
/// holds a `HI20` relocation.
fn check_lo12(
    arch: Arch,
    relocs: &[Reloc],
    lo12: &mut [Reloc],
    symbols: &Symbols<'_>,
    elf: &crate::elf::ElfView<'_>,
) -> Result<(), ArtifactError> {
    let hi: HashSet<Placed> = relocs
        .iter()
        .filter(|r| is_hi20(arch, r.r_type))
        .map(|r| r.place)
        .collect();
    for r in lo12 {
        r.hi = match symbols.targets[r.symbol] {
            Target::Loaded(p) if hi.contains(&p) => Some(p),
            _ => None,
        };
        if r.hi.is_none() {
            let location = format!(
                "{}+{:#x} (its symbol does not label a HI20 relocation)",
                elf.sections[r.place.section].name, r.place.offset
            );
            return Err(bad_reloc(arch, r.r_type, location));
        }
    }
    Ok(())
}

/// Addresses the relocations are computed with.
pub(crate) struct Addresses<'a> {
    /// The address of each symbol (`S`), by symbol index.
    pub symbol: &'a dyn Fn(usize) -> u64,
    /// Where each loaded section starts in the image, by section index.
    pub section_offset: &'a dyn Fn(usize) -> usize,
    /// The address the image runs at.
    pub base: u64,
    /// The address of GOT slot `i`.
    pub got: &'a dyn Fn(usize) -> u64,
    /// The address of veneer `i`.
    pub veneer: &'a dyn Fn(usize) -> u64,
}

/// Applies every relocation of `plan` to `image`, which will run at
/// `at.base`. `names` gives section names for errors.
pub(crate) fn apply_all(
    arch: Arch,
    plan: &Plan,
    image: &mut [u8],
    at: &Addresses<'_>,
    names: &dyn Fn(usize) -> String,
) -> Result<(), ArtifactError> {
    let got: HashMap<usize, usize> = plan.got.iter().enumerate().map(|(i, &s)| (s, i)).collect();
    let veneers: HashMap<usize, usize> = plan
        .veneers
        .iter()
        .enumerate()
        .map(|(i, &s)| (s, i))
        .collect();
    let mut hi_values: HashMap<Placed, i128> = HashMap::new();
    for r in &plan.relocs {
        let start = (at.section_offset)(r.place.section) + r.place.offset as usize;
        let place = &mut image[start..start + width(arch, r.r_type)];
        let mut site = Site {
            r_type: r.r_type,
            p: at.base + start as u64,
            s: (at.symbol)(r.symbol),
            a: r.addend,
            got: got.get(&r.symbol).map_or(0, |&i| (at.got)(i)),
            veneer: veneers.get(&r.symbol).map_or(0, |&i| (at.veneer)(i)),
            pcrel_hi: 0,
        };
        if let Some(hi) = r.hi {
            // Every HI20 comes before every LO12 in the plan.
            site.pcrel_hi = hi_values.get(&hi).copied().unwrap_or(0) as i64;
        }
        match relocate::apply(arch, place, &site) {
            Ok(v) if is_hi20(arch, r.r_type) => {
                hi_values.insert(r.place, v);
            }
            Ok(_) => {}
            Err(why) => {
                let location = format!("{}+{:#x} ({why})", names(r.place.section), r.place.offset);
                return Err(bad_reloc(arch, r.r_type, location));
            }
        }
    }
    Ok(())
}
