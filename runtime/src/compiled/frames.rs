//! The frame maps of compiled code, registered with each image so that a
//! trap's backtrace names its functions ([`crate::vm::traps::CodeMap`]):
//! from the Fast JIT's source maps (module offsets per operator and trap
//! stub), and from an artifact's function symbols.

use crate::backtrace::{DecodeNames, ModuleNames};
use crate::vm::traps::{CodeMap, FuncCode, FuncSites, LateSites, Registration};
use kiln_format::artifact::{
    check_site_bounds, decode_func_names, decode_sites, ExternKind, KilnSymbol, SymbolSites,
};
use kiln_loader::LoadedArtifact;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// Registers `code` holding the functions of `map`.
pub(super) fn register(code: Range<usize>, map: CodeMap) -> Registration {
    Registration::new(code.start, code.end, Some(Arc::new(map)))
}

/// The map of Fast JIT code mapped at `base`, whose functions are `maps`.
#[cfg(feature = "fast-jit")]
pub(super) fn fast_jit_map(
    names: &Arc<ModuleNames>,
    maps: &[kiln_fast_jit::SourceMap],
    base: usize,
) -> CodeMap {
    let funcs = maps
        .iter()
        .map(|m| {
            let start = m.code.start as u32;
            let mut sites: Vec<(u32, u32)> = Vec::with_capacity(m.operators.len());
            for &(wasm, code) in &m.operators {
                let at = code.saturating_sub(start);
                // Operators that emitted no code: the last one there wins.
                match sites.last_mut() {
                    Some(last) if last.0 == at => last.1 = wasm,
                    _ => sites.push((at, wasm)),
                }
            }
            FuncCode {
                func: m.func,
                code: base + m.code.start..base + m.code.end,
                sites: FuncSites {
                    sites: sites.into_boxed_slice(),
                    inlined: Box::default(),
                },
                osr: false,
            }
        })
        .collect();
    CodeMap::new(names.clone(), funcs, None)
}

/// The map of a loaded artifact's functions and OSR entries, with the
/// module offsets and inlined frames of its `.kiln.sites`, decoded on the
/// first walk that needs them (function-level frames without it, or if it
/// is corrupt).
pub(super) fn artifact_map(artifact: &LoadedArtifact, lines: Lines) -> CodeMap {
    let meta = artifact.metadata();
    let decode: Option<DecodeNames> = artifact.names_section().map(|section| {
        let section = section.clone();
        let num_funcs = meta.count(ExternKind::Func) as u32;
        // A corrupt table gives frames without names, as a corrupt
        // `.kiln.sites` gives frames without offsets.
        Box::new(move || decode_func_names(&section, num_funcs).unwrap_or_default()) as DecodeNames
    });
    let names = ModuleNames::lazy(meta.name.as_deref(), decode, &meta.exports);
    #[cfg(feature = "source-lines")]
    let names = names.with_lines(lines.0);
    #[cfg(not(feature = "source-lines"))]
    let Lines() = lines;
    let code_symbols = artifact.code_symbols();
    let mut symbols = Vec::with_capacity(code_symbols.len());
    let mut funcs = Vec::with_capacity(code_symbols.len());
    for s in code_symbols.iter().filter(|s| s.size > 0) {
        if let KilnSymbol::Func(func) | KilnSymbol::Osr { func, .. } = s.symbol {
            symbols.push((s.start, s.symbol));
            funcs.push(FuncCode {
                func,
                code: s.start..s.start + s.size,
                sites: FuncSites::default(),
                osr: matches!(s.symbol, KilnSymbol::Osr { .. }),
            });
        }
    }
    let late = artifact.sites_section().map(|section| {
        let section = section.clone();
        symbols.sort_unstable_by_key(|s| s.0);
        LateSites::new(Box::new(move |funcs| late_sites(&section, &symbols, funcs)))
    });
    CodeMap::new(Arc::new(names), funcs, late)
}

/// The sites of `funcs` from `.kiln.sites` contents `section`; `symbols`
/// names each function by its start address (sorted). A section that does
/// not decode or fit gives none.
fn late_sites(
    section: &[u8],
    symbols: &[(usize, KilnSymbol)],
    funcs: &[FuncCode],
) -> Vec<FuncSites> {
    let decoded = decode_sites(section).unwrap_or_default();
    let by_symbol: HashMap<KilnSymbol, &SymbolSites> =
        decoded.iter().map(|s| (s.symbol, s)).collect();
    funcs
        .iter()
        .map(|f| {
            let symbol = symbols
                .binary_search_by_key(&f.code.start, |s| s.0)
                .ok()
                .map(|i| symbols[i].1);
            let Some(table) = symbol.and_then(|s| by_symbol.get(&s)) else {
                return FuncSites::default();
            };
            if check_site_bounds(table, (f.code.end - f.code.start) as u64).is_err() {
                return FuncSites::default();
            }
            FuncSites {
                sites: table.sites.iter().map(|x| (x.code, x.offset)).collect(),
                inlined: table
                    .sites
                    .iter()
                    .filter(|x| !x.inlined.is_empty())
                    .map(|x| {
                        (
                            x.code,
                            x.inlined.iter().map(|i| (i.func, i.offset)).collect(),
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The source lines of an artifact's frames, when the engine shows them
/// (nothing without the `source-lines` feature).
pub(super) struct Lines(#[cfg(feature = "source-lines")] Option<crate::backtrace::SourceLines>);

/// The lines of `artifact`'s frames with `engine`: from its `.kiln.debug`
/// in `bytes` (the artifact's), else from `wasm`; none unless
/// [`crate::Config::backtrace_details`].
#[cfg(feature = "source-lines")]
pub(super) fn lines(
    engine: &crate::Engine,
    artifact: &LoadedArtifact,
    bytes: &[u8],
    wasm: Option<&[u8]>,
) -> Lines {
    if !engine.config().backtrace_details {
        return Lines(None);
    }
    if let Some(section) = artifact.debug_range().and_then(|r| bytes.get(r)) {
        return Lines(Some(crate::backtrace::SourceLines::from_section(section)));
    }
    #[cfg(feature = "wasm")]
    if let Some(wasm) = wasm {
        return Lines(crate::backtrace::SourceLines::from_wasm(wasm));
    }
    let _ = wasm;
    Lines(None)
}

#[cfg(not(feature = "source-lines"))]
pub(super) fn lines(_: &crate::Engine, _: &LoadedArtifact, _: &[u8], _: Option<&[u8]>) -> Lines {
    Lines()
}
