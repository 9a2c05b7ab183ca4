//! A loaded artifact: its header and metadata, the data segments' bytes,
//! and the executable image with the address of every Kiln symbol.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use kiln_format::artifact::{
    check_site_bounds, decode_func_names, decode_sites, ArtifactError, ArtifactHeader, ExternKind,
    FuncName, KilnSymbol, ModuleMetadata, SymbolSites, SITES_SECTION,
};

use crate::image::CodeImage;

/// An artifact that passed every check, mapped and relocated.
///
/// Every address it hands out points into its own mapping and stays valid
/// exactly as long as this value lives: keep it (for example in an `Arc`
/// shared by the module and all its instances) until no code from it can
/// run any more. Dropping it unmaps the code.
#[derive(Debug)]
pub struct LoadedArtifact {
    pub(crate) header: ArtifactHeader,
    pub(crate) metadata: ModuleMetadata,
    pub(crate) data: Vec<u8>,
    pub(crate) image: CodeImage,
    /// `kiln_func_<F>` by function index; `None` for imports.
    pub(crate) funcs: Vec<Option<usize>>,
    /// `(start, end, function index)`, sorted by start.
    pub(crate) func_ranges: Vec<(usize, usize, u32)>,
    /// `kiln_array_call_<T>` by type index.
    pub(crate) array_calls: Vec<Option<usize>>,
    /// `kiln_wasm_call_<T>` by type index.
    pub(crate) wasm_calls: Vec<Option<usize>>,
    /// `kiln_osr_<F>_<L>` by (function index, loop ordinal).
    pub(crate) osr_entries: HashMap<(u32, u32), usize>,
    /// Every Kiln symbol's code, for profilers.
    pub(crate) code_symbols: Vec<CodeSymbol>,
    /// The contents of `.kiln.sites`, not decoded.
    pub(crate) sites: Option<Arc<[u8]>>,
    /// The contents of `.kiln.names`, not decoded.
    pub(crate) names: Option<Arc<[u8]>>,
    /// The file range of `.kiln.debug`.
    pub(crate) debug: Option<Range<usize>>,
    /// The artifact file, mapped, when loaded with [`load_file`](crate::load_file).
    pub(crate) file: Option<crate::FileMap>,
}

/// Where one Kiln symbol's code is mapped (see
/// [`LoadedArtifact::code_symbols`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeSymbol {
    /// Which symbol: a function, a trampoline or an OSR entry.
    pub symbol: KilnSymbol,
    /// Its address.
    pub start: usize,
    /// Its size in bytes, from the symbol table (0 when not given).
    pub size: usize,
}

impl LoadedArtifact {
    /// The artifact file's bytes, when it was loaded from a file
    /// ([`load_file`](crate::load_file)); pages are read as they are used.
    pub fn file_bytes(&self) -> Option<&[u8]> {
        self.file.as_ref().map(|f| f.bytes())
    }

    /// The decoded `.kiln.header`.
    pub fn header(&self) -> &ArtifactHeader {
        &self.header
    }

    /// The decoded, validated module metadata.
    pub fn metadata(&self) -> &ModuleMetadata {
        &self.metadata
    }

    /// The contents of `.kiln.data`: every data segment's bytes.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The bytes of data segment `index` (ranges were checked at load).
    pub fn data_segment(&self, index: usize) -> Option<&[u8]> {
        self.metadata.data.get(index)?.bytes(&self.data)
    }

    /// The address of `kiln_func_<index>`: the native code of a defined
    /// function, with the wasm calling convention `(vmctx, params...)`.
    /// `None` for imported functions and out-of-range indices.
    pub fn func(&self, index: u32) -> Option<usize> {
        self.funcs.get(index as usize).copied().flatten()
    }

    /// [`func`](Self::func) for every function index, imports first.
    pub fn funcs(&self) -> &[Option<usize>] {
        &self.funcs
    }

    /// The address of `kiln_array_call_<type_index>`, the host-to-wasm
    /// trampoline for that type (for `VMFuncRef.array_call`), if present.
    pub fn array_call(&self, type_index: u32) -> Option<usize> {
        self.array_calls.get(type_index as usize).copied().flatten()
    }

    /// The address of `kiln_wasm_call_<type_index>`, the wasm-to-host
    /// trampoline for that type (for an import's `VMFuncRef.wasm_call`), if
    /// present.
    pub fn wasm_call(&self, type_index: u32) -> Option<usize> {
        self.wasm_calls.get(type_index as usize).copied().flatten()
    }

    /// The address of `kiln_osr_<func>_<loop_index>`: `func`'s entry at
    /// the header of its loop `loop_index` (format-spec `osr`), if present.
    pub fn osr_entry(&self, func: u32, loop_index: u32) -> Option<usize> {
        self.osr_entries.get(&(func, loop_index)).copied()
    }

    /// Every OSR entry: ((function index, loop ordinal), address).
    pub fn osr_entries(&self) -> impl Iterator<Item = ((u32, u32), usize)> + '_ {
        self.osr_entries.iter().map(|(&k, &a)| (k, a))
    }

    /// Every Kiln symbol with its mapped address and size, in symbol table
    /// order: what a profiler's symbol map needs.
    pub fn code_symbols(&self) -> &[CodeSymbol] {
        &self.code_symbols
    }

    /// The contents of `.kiln.sites` (SPEC.md 4.16), not decoded: loading
    /// leaves that to the first backtrace that needs it.
    pub fn sites_section(&self) -> Option<&Arc<[u8]>> {
        self.sites.as_ref()
    }

    /// The contents of `.kiln.names` (function names), not decoded:
    /// loading leaves that to the first backtrace or profiler that needs
    /// a name ([`decode_names`]).
    pub fn names_section(&self) -> Option<&Arc<[u8]>> {
        self.names.as_ref()
    }

    /// `.kiln.sites` decoded and checked against the symbols: every table
    /// belongs to a defined function or OSR entry and lies inside its
    /// code. Empty when the artifact has none.
    pub fn sites(&self) -> Result<Vec<SymbolSites>, ArtifactError> {
        let Some(section) = &self.sites else {
            return Ok(Vec::new());
        };
        let sites = decode_sites(section)?;
        for s in &sites {
            let size = self
                .code_symbols
                .iter()
                .find(|c| c.symbol == s.symbol)
                .map(|c| c.size as u64)
                .ok_or_else(|| ArtifactError::BadSection {
                    section: SITES_SECTION.into(),
                    reason: format!("sites of {}, which the artifact does not define", s.symbol),
                })?;
            check_site_bounds(s, size)?;
        }
        Ok(sites)
    }

    /// Where `.kiln.debug` (SPEC.md 4.17, the module's DWARF) lies in the
    /// artifact's bytes, if it has one: inside them, not read or copied by
    /// the loader (decode it with `decode_dwarf` when source lines are
    /// wanted).
    pub fn debug_range(&self) -> Option<Range<usize>> {
        self.debug.clone()
    }

    /// The addresses of the executable region. A signal handler uses it to
    /// tell a fault in wasm code from any other.
    pub fn code_range(&self) -> Range<usize> {
        self.image.code_range()
    }

    /// The addresses of the whole mapping (code, then read-only data).
    pub fn image_range(&self) -> Range<usize> {
        self.image.range()
    }

    /// The mapped bytes, code included, as relocated.
    pub fn image_bytes(&self) -> &[u8] {
        self.image.bytes()
    }

    /// The function whose code contains `pc` (by its symbol's size), for
    /// traps and backtraces.
    pub fn func_at(&self, pc: usize) -> Option<u32> {
        let i = self
            .func_ranges
            .partition_point(|&(start, _, _)| start <= pc);
        let &(start, end, index) = self.func_ranges.get(i.checked_sub(1)?)?;
        (start..end).contains(&pc).then_some(index)
    }
}

/// Function names from `.kiln.names` contents `section` (none without
/// one) of the module `meta` describes, checked to name its functions in
/// ascending order.
pub fn decode_names(
    section: Option<&[u8]>,
    meta: &ModuleMetadata,
) -> Result<Vec<FuncName>, ArtifactError> {
    match section {
        Some(s) => decode_func_names(s, meta.count(ExternKind::Func) as u32),
        None => Ok(Vec::new()),
    }
}
