//! The symbol table (SPEC.md 4.11): where each symbol points, the Kiln
//! symbols the runtime looks up, and the runtime symbols resolved through
//! the caller's resolver.

use std::collections::HashMap;

use goblin::elf::section_header::SHT_SYMTAB;
use goblin::elf::sym::{Sym, STB_GLOBAL, STT_FUNC, STT_OBJECT};
use kiln_format::artifact::{is_allowed_import, ArtifactError, KilnSymbol, SectionKind};

use crate::check::Checked;
use crate::elf::name_at;

/// Size of one ELF64 symbol.
const SYM_SIZE: u64 = 24;
/// `SHN_LORESERVE`: section indices from here on are special.
const SHN_LORESERVE: usize = 0xff00;
/// `SHN_COMMON`.
const SHN_COMMON: usize = 0xfff2;

/// A place in a loaded section: section index and offset in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Placed {
    /// ELF section index (always a loaded section).
    pub section: usize,
    /// Offset inside that section.
    pub offset: u64,
}

/// What a relocation against a symbol would use as `S`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// Defined in a loaded section.
    Loaded(Placed),
    /// Undefined, resolved by the runtime to this address.
    External(u64),
    /// Exists, but no relocation in loaded code may use it.
    Unusable(&'static str),
}

impl Placed {
    /// The address of this place in an image at `base` whose sections
    /// start at `offsets` (by section index).
    pub fn address(self, base: usize, offsets: &[Option<usize>]) -> usize {
        base + offsets[self.section].unwrap_or(0) + self.offset as usize
    }
}

impl Target {
    /// `S` in an image at `base` whose sections start at `offsets`.
    pub fn address(self, base: usize, offsets: &[Option<usize>]) -> u64 {
        match self {
            Target::Loaded(p) => p.address(base, offsets) as u64,
            Target::External(a) => a,
            Target::Unusable(_) => 0,
        }
    }
}

/// Everything the loader needs from the symbol table.
#[derive(Debug, Default)]
pub(crate) struct Symbols<'a> {
    /// The index of the `SHT_SYMTAB` section, if there is one.
    pub symtab_section: Option<usize>,
    /// Symbol names, by symbol index.
    pub names: Vec<&'a str>,
    /// Where each symbol points, by symbol index.
    pub targets: Vec<Target>,
    /// `kiln_func_<F>` by function index (`None` for imports).
    pub funcs: Vec<Option<(Placed, u64)>>,
    /// `kiln_array_call_<T>` by type index.
    pub array_calls: HashMap<u32, Placed>,
    /// `kiln_wasm_call_<T>` by type index.
    pub wasm_calls: HashMap<u32, Placed>,
    /// `kiln_osr_<F>_<L>` by (function index, loop ordinal), with its size.
    pub osr_entries: HashMap<(u32, u32), (Placed, u64)>,
    /// Every Kiln symbol, with its size (for profilers).
    pub kiln: Vec<(KilnSymbol, Placed, u64)>,
}

fn bad_symbol(name: &str, reason: impl Into<String>) -> ArtifactError {
    ArtifactError::BadSymbol {
        name: name.into(),
        reason: reason.into(),
    }
}

fn bad_symtab(reason: String) -> ArtifactError {
    ArtifactError::BadSection {
        section: ".symtab".into(),
        reason,
    }
}

/// Reads and checks every symbol, resolving undefined ones with `resolve`;
/// with `complete`, every defined function must have its code.
pub(crate) fn read_symbols<'a>(
    checked: &Checked<'a>,
    resolve: &dyn Fn(&str) -> Option<usize>,
    complete: bool,
) -> Result<Symbols<'a>, ArtifactError> {
    let elf = &checked.elf;
    let mut tables = elf
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.header.sh_type == SHT_SYMTAB);
    let mut out = Symbols {
        funcs: vec![
            None;
            checked
                .metadata
                .count(kiln_format::artifact::ExternKind::Func)
        ],
        ..Symbols::default()
    };
    let Some((index, table)) = tables.next() else {
        if complete {
            check_complete(checked, &out)?;
        }
        return Ok(out);
    };
    if tables.next().is_some() {
        return Err(bad_symtab("more than one symbol table".into()));
    }
    out.symtab_section = Some(index);
    let h = &table.header;
    if h.sh_entsize != SYM_SIZE || h.sh_size % SYM_SIZE != 0 {
        return Err(bad_symtab(format!(
            "entry size {} and size {} do not describe {SYM_SIZE}-byte symbols",
            h.sh_entsize, h.sh_size
        )));
    }
    let strtab_index = h.sh_link as usize;
    if strtab_index == 0 || strtab_index >= elf.sections.len() {
        return Err(bad_symtab(format!(
            "string table index {strtab_index} is not a section"
        )));
    }
    let strtab = elf.contents(strtab_index)?;
    let count = (h.sh_size / SYM_SIZE) as usize;
    let symtab = elf.contents(index)?;
    out.names.reserve_exact(count);
    out.targets.reserve_exact(count);
    out.kiln.reserve(out.funcs.len());
    for (i, sym) in symtab
        .chunks_exact(SYM_SIZE as usize)
        .map(parse_sym)
        .enumerate()
    {
        let name = name_at(strtab, sym.st_name, "symbol")?;
        let target = if i == 0 {
            Target::Unusable("the null symbol")
        } else {
            classify(checked, &sym, name, resolve)?
        };
        match (KilnSymbol::parse(name), target) {
            (Some(kiln), Target::Loaded(at)) => {
                record_kiln(checked, &mut out, &sym, name, kiln, at)?;
            }
            (Some(_), _) => {
                return Err(bad_symbol(
                    name,
                    "a Kiln symbol must be defined in a code section",
                ))
            }
            (None, _) => {}
        }
        out.names.push(name);
        out.targets.push(target);
    }
    if complete {
        check_complete(checked, &out)?;
    }
    Ok(out)
}

/// The little-endian ELF64 symbol in `b` (24 bytes), read field by field:
/// a load reads thousands.
fn parse_sym(b: &[u8]) -> Sym {
    let u16_at = |at: usize| u16::from_le_bytes([b[at], b[at + 1]]);
    let u32_at = |at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    let u64_at = |at: usize| u64::from(u32_at(at)) | u64::from(u32_at(at + 4)) << 32;
    Sym {
        st_name: u32_at(0) as usize,
        st_info: b[4],
        st_other: b[5],
        st_shndx: u16_at(6) as usize,
        st_value: u64_at(8),
        st_size: u64_at(16),
    }
}

/// Where symbol `sym` points.
fn classify(
    checked: &Checked<'_>,
    sym: &Sym,
    name: &str,
    resolve: &dyn Fn(&str) -> Option<usize>,
) -> Result<Target, ArtifactError> {
    let shndx = sym.st_shndx;
    if shndx == 0 {
        if name.is_empty() {
            return Ok(Target::Unusable("an undefined symbol without a name"));
        }
        if !is_allowed_import(name) {
            return Err(bad_symbol(
                name,
                "undefined, and not a runtime intrinsic (kiln_rt_*) or an allowed libcall",
            ));
        }
        return match resolve(name) {
            Some(addr) => Ok(Target::External(addr as u64)),
            None => Err(bad_symbol(name, "the runtime does not provide it")),
        };
    }
    if shndx == SHN_COMMON {
        return Err(bad_symbol(name, "common symbols are not allowed"));
    }
    if shndx >= SHN_LORESERVE {
        return Ok(Target::Unusable("a symbol with a special section index"));
    }
    let Some(kind) = checked.kinds.get(shndx) else {
        return Err(bad_symbol(
            name,
            format!("section index {shndx} is not a section"),
        ));
    };
    if !matches!(kind, SectionKind::Code | SectionKind::ReadOnly) {
        return Ok(Target::Unusable("a symbol in a section that is not loaded"));
    }
    let section_size = checked.elf.sections[shndx].header.sh_size;
    let sized = matches!(sym.st_type(), STT_FUNC | STT_OBJECT);
    let end = sym
        .st_value
        .checked_add(if sized { sym.st_size } else { 0 });
    if end.is_none_or(|end| end > section_size) {
        return Err(bad_symbol(
            name,
            format!(
                "value {:#x} and size {:#x} reach past the end of its {section_size}-byte section",
                sym.st_value, sym.st_size
            ),
        ));
    }
    Ok(Target::Loaded(Placed {
        section: shndx,
        offset: sym.st_value,
    }))
}

/// Records a defined Kiln symbol after checking it.
fn record_kiln(
    checked: &Checked<'_>,
    out: &mut Symbols<'_>,
    sym: &Sym,
    name: &str,
    kiln: KilnSymbol,
    at: Placed,
) -> Result<(), ArtifactError> {
    if checked.kinds[at.section] != SectionKind::Code {
        return Err(bad_symbol(
            name,
            "a Kiln symbol must be defined in a code section",
        ));
    }
    if sym.st_bind() != STB_GLOBAL {
        return Err(bad_symbol(name, "a Kiln symbol must have global binding"));
    }
    let meta = &checked.metadata;
    let duplicate = || bad_symbol(name, "defined more than once");
    let check_type = |t: u32| {
        if (t as usize) < meta.types.len() {
            Ok(())
        } else {
            Err(bad_symbol(name, format!("type index {t} is out of range")))
        }
    };
    match kiln {
        KilnSymbol::Func(f) => {
            if sym.st_type() != STT_FUNC {
                return Err(bad_symbol(name, "a function symbol must be STT_FUNC"));
            }
            let imported = meta.num_imported_funcs();
            let slot = (f as usize)
                .checked_sub(imported)
                .and_then(|_| out.funcs.get_mut(f as usize))
                .ok_or_else(|| {
                    bad_symbol(name, format!("function {f} is not a defined function"))
                })?;
            if slot.replace((at, sym.st_size)).is_some() {
                return Err(duplicate());
            }
        }
        KilnSymbol::ArrayCall(t) => {
            check_type(t)?;
            if out.array_calls.insert(t, at).is_some() {
                return Err(duplicate());
            }
        }
        KilnSymbol::WasmCall(t) => {
            check_type(t)?;
            if out.wasm_calls.insert(t, at).is_some() {
                return Err(duplicate());
            }
        }
        KilnSymbol::Osr { func, loop_index } => {
            if sym.st_type() != STT_FUNC {
                return Err(bad_symbol(name, "an OSR entry symbol must be STT_FUNC"));
            }
            let defined =
                (func as usize) >= meta.num_imported_funcs() && (func as usize) < out.funcs.len();
            if !defined {
                return Err(bad_symbol(
                    name,
                    format!("function {func} is not a defined function"),
                ));
            }
            if out
                .osr_entries
                .insert((func, loop_index), (at, sym.st_size))
                .is_some()
            {
                return Err(duplicate());
            }
        }
    }
    out.kiln.push((kiln, at, sym.st_size));
    Ok(())
}

/// Every defined function must have its code symbol.
fn check_complete(checked: &Checked<'_>, out: &Symbols<'_>) -> Result<(), ArtifactError> {
    let imported = checked.metadata.num_imported_funcs();
    match out
        .funcs
        .iter()
        .enumerate()
        .skip(imported)
        .find(|(_, f)| f.is_none())
    {
        Some((f, _)) => Err(bad_symbol(
            &KilnSymbol::Func(f as u32).to_string(),
            "missing: every defined function needs its code symbol",
        )),
        None => Ok(()),
    }
}
