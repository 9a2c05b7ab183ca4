//! Reading the module offsets LLVM kept as debug locations
//! ([`crate::debug_loc`]) back from an emitted object, as the sites of
//! `.kiln.sites` (format-spec `artifact::sites`).
//!
//! The object is relocatable: its debug sections refer to code and to
//! each other through relocations, which are applied here to copies of
//! the sections (every code section gets its own base address,
//! `index << 32`, so that addresses in different code sections never
//! meet). Then, for each function and OSR symbol, every row of the line
//! table inside it where a backtrace can stop (column `STOP_COLUMN`, or
//! line 0, code without an offset, where it may fault or call:
//! [`crate::may_stop`]) becomes a site, with the chain of inlined frames at its
//! address (addr2line reads the `DW_TAG_inlined_subroutine` records);
//! consecutive rows that say the same are one site. The DWARF itself is
//! not copied into the artifact (merging drops unloaded sections).

use crate::debug_loc::STOP_COLUMN;
use crate::error::{CompileError, Result};
use addr2line::Context;
use gimli::{DwarfSections, EndianSlice, LittleEndian as GLE};
use kiln_format::artifact::{InlinedFrame, KilnSymbol, Site, SymbolSites};
use object::elf::SHF_EXECINSTR;
use object::read::elf::ElfFile64;
use object::read::{Object as _, ObjectSection as _, ObjectSymbol as _};
use object::{Architecture, LittleEndian as LE, RelocationFlags, RelocationKind};
use object::{RelocationTarget, SectionIndex};

fn err(e: impl std::fmt::Display) -> CompileError {
    CompileError::Llvm(format!("cannot read the module offsets back: {e}"))
}

/// The sites of every function and OSR entry defined in `object`.
pub(crate) fn read_sites(object: &[u8]) -> Result<Vec<SymbolSites>> {
    let file = ElfFile64::<LE>::parse(object).map_err(err)?;
    let sections = DwarfSections::load(|id| relocated(&file, id.name()))?;
    let dwarf = sections.borrow(|s| EndianSlice::new(s, GLE));
    let ctx = Context::from_dwarf(dwarf).map_err(err)?;
    let mut out = Vec::new();
    for sym in file.symbols() {
        let Some(symbol) = sym.name().ok().and_then(KilnSymbol::parse) else {
            continue;
        };
        let (KilnSymbol::Func(_) | KilnSymbol::Osr { .. }) = symbol else {
            continue;
        };
        let Some(section) = sym.section_index() else {
            continue;
        };
        let start = base(&file, section) + sym.address();
        let end = start + sym.size();
        let code = file
            .section_by_index(section)
            .ok()
            .and_then(|s| s.data().ok())
            .and_then(|d| {
                let from = usize::try_from(sym.address()).ok()?;
                d.get(from..from.checked_add(usize::try_from(sym.size()).ok()?)?)
            });
        let code = Code {
            arch: file.architecture(),
            bytes: code,
        };
        let sites = symbol_sites(&ctx, start, end, &code)?;
        if !sites.is_empty() {
            out.push(SymbolSites { symbol, sites });
        }
    }
    Ok(out)
}

type Reader<'a> = EndianSlice<'a, GLE>;

/// A symbol's machine code, when its section has it.
struct Code<'a> {
    arch: Architecture,
    bytes: Option<&'a [u8]>,
}

impl Code<'_> {
    /// Whether the `len` bytes at `at` may be where a backtrace stops.
    fn may_stop(&self, at: u64, len: u64) -> bool {
        let range = usize::try_from(at)
            .ok()
            .zip(usize::try_from(at.saturating_add(len)).ok());
        match (self.bytes, range) {
            (Some(b), Some((from, to))) => match b.get(from..to.min(b.len())) {
                Some(code) => crate::may_stop::may_stop(self.arch, code),
                None => true,
            },
            _ => true,
        }
    }
}

/// The sites of the code at `start..end`.
fn symbol_sites(
    ctx: &Context<Reader<'_>>,
    start: u64,
    end: u64,
    code: &Code<'_>,
) -> Result<Vec<Site>> {
    let mut sites: Vec<Site> = Vec::new();
    for (addr, len, loc) in ctx.find_location_range(start, end).map_err(err)? {
        if addr < start || addr >= end {
            continue;
        }
        // A row without offset (LLVM merged its code from several places,
        // or code generation made it) counts where it may fault or call.
        let stop = match loc.line.unwrap_or(0) {
            0 => code.may_stop(addr - start, len),
            _ => loc.column == Some(STOP_COLUMN),
        };
        if !stop {
            continue;
        }
        let mut frames = ctx.find_frames(addr).skip_all_loads().map_err(err)?;
        let mut chain = Vec::new();
        while let Some(frame) = frames.next().map_err(err)? {
            let func = frame
                .function
                .as_ref()
                .and_then(|f| f.raw_name().ok())
                .and_then(|n| match KilnSymbol::parse(&n)? {
                    KilnSymbol::Func(f) | KilnSymbol::Osr { func: f, .. } => Some(f),
                    _ => None,
                });
            let offset = frame.location.and_then(|l| l.line).unwrap_or(0);
            chain.push(InlinedFrame {
                func: func.unwrap_or(u32::MAX),
                offset,
            });
        }
        // The outermost frame is the symbol's own function.
        let Some(mut own) = chain.pop() else { continue };
        // Code LLVM merged from several places (an instruction of an
        // inlined function and one of its caller) has line 0 in whichever scope
        // it kept: its inlined frames may not be real, so only the
        // function is known.
        if chain.first().is_some_and(|f| f.offset == 0) {
            chain.clear();
            own.offset = 0;
        }
        let code = u32::try_from(addr - start).map_err(err)?;
        let same = sites
            .last()
            .is_some_and(|s| s.offset == own.offset && s.inlined == chain);
        if same {
            continue;
        }
        if sites.last().is_some_and(|s| s.code == code) {
            sites.pop();
        }
        sites.push(Site {
            code,
            offset: own.offset,
            inlined: chain,
        });
    }
    Ok(sites)
}

/// The address at which section `index`'s offsets start: its own 4 GiB
/// for a code section, 0 for any other (debug sections refer to each
/// other by offset).
fn base(file: &ElfFile64<'_, LE>, index: SectionIndex) -> u64 {
    match file.section_by_index(index) {
        Ok(s) if s.elf_section_header().sh_flags.get(LE) & u64::from(SHF_EXECINSTR) != 0 => {
            (index.0 as u64) << 32
        }
        _ => 0,
    }
}

/// The contents of section `name` with its relocations applied (empty if
/// the object has no such section).
fn relocated(file: &ElfFile64<'_, LE>, name: &str) -> Result<Vec<u8>> {
    let Some(section) = file.section_by_name(name) else {
        return Ok(Vec::new());
    };
    let mut data = section.data().map_err(err)?.to_vec();
    for (offset, reloc) in section.relocations() {
        let target = match reloc.target() {
            RelocationTarget::Symbol(i) => {
                let sym = file.symbol_by_index(i).map_err(err)?;
                let b = sym.section_index().map_or(0, |s| base(file, s));
                b.wrapping_add(sym.address())
            }
            RelocationTarget::Section(s) => base(file, s),
            _ => return Err(err(format!("relocation in {name} to no symbol"))),
        };
        let value = target.wrapping_add(reloc.addend() as u64);
        let (op, n) = match (reloc.kind(), reloc.flags()) {
            (RelocationKind::Absolute, _) => (Op::Set, usize::from(reloc.size() / 8)),
            (_, RelocationFlags::Elf { r_type })
                if file.architecture() == Architecture::Riscv64 =>
            {
                riscv_op(r_type)
                    .ok_or_else(|| err(format!("RISC-V relocation type {r_type} in {name}")))?
            }
            (kind, _) => return Err(err(format!("relocation kind {kind:?} in {name}"))),
        };
        let at = usize::try_from(offset).map_err(err)?;
        let field = data
            .get_mut(at..at.saturating_add(n))
            .filter(|f| (1..=8).contains(&f.len()))
            .ok_or_else(|| err(format!("relocation outside {name}")))?;
        let mut old = [0u8; 8];
        old[..n].copy_from_slice(field);
        let old = u64::from_le_bytes(old);
        let new = match op {
            Op::Set => value,
            Op::Add => old.wrapping_add(value),
            Op::Sub => old.wrapping_sub(value),
        };
        field.copy_from_slice(&new.to_le_bytes()[..n]);
    }
    Ok(data)
}

/// What a relocation does to its field.
enum Op {
    Set,
    Add,
    Sub,
}

/// RISC-V's label differences in debug sections: `R_RISCV_ADD*`,
/// `R_RISCV_SUB*` pairs and `R_RISCV_SET*`, with their field sizes.
fn riscv_op(r_type: u32) -> Option<(Op, usize)> {
    Some(match r_type {
        33..=36 => (Op::Add, 1 << (r_type - 33)),
        37..=40 => (Op::Sub, 1 << (r_type - 37)),
        54..=56 => (Op::Set, 1 << (r_type - 54)),
        _ => return None,
    })
}
