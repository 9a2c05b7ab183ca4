//! The frame maps of compiled code, registered with each image so that a
//! trap's backtrace names its functions ([`crate::vm::traps::CodeMap`]):
//! from the Fast JIT's source maps (module offsets per operator and trap
//! stub), and from an artifact's function symbols.

use crate::backtrace::ModuleNames;
use crate::vm::traps::{CodeMap, FuncCode, Registration};
use kiln_format::artifact::KilnSymbol;
use kiln_loader::LoadedArtifact;
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
                sites: sites.into_boxed_slice(),
            }
        })
        .collect();
    CodeMap::new(names.clone(), funcs)
}

/// The map of a loaded artifact's functions and OSR entries (no module
/// offsets: function-level frames).
pub(super) fn artifact_map(artifact: &LoadedArtifact) -> CodeMap {
    let meta = artifact.metadata();
    let names = ModuleNames::new(meta.name.as_deref(), &meta.func_names, &meta.exports);
    let funcs = artifact
        .code_symbols()
        .iter()
        .filter(|s| s.size > 0)
        .filter_map(|s| match s.symbol {
            KilnSymbol::Func(func) | KilnSymbol::Osr { func, .. } => Some(FuncCode {
                func,
                code: s.start..s.start + s.size,
                sites: Box::default(),
            }),
            KilnSymbol::ArrayCall(_) | KilnSymbol::WasmCall(_) => None,
        })
        .collect();
    CodeMap::new(Arc::new(names), funcs)
}
