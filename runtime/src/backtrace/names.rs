//! Function names for backtraces: the `name` section's, else the first
//! export's. A module's names are gathered once, on first use, and shared
//! by every frame and code image that needs them; so are its source lines
//! ([`super::SourceLines`]), parsed when a frame first asks.

use std::sync::OnceLock;

use super::FrameInfo;
use kiln_format::artifact::{Export, ExternKind, FuncName};

/// Decodes a module's function names when a frame first needs one.
pub(crate) type DecodeNames = Box<dyn Fn() -> Vec<FuncName> + Send + Sync>;

/// The name of function `index`: from `funcs` (the `name` section's,
/// sorted by index), else the first function export naming it.
pub(crate) fn func_name<'a>(
    funcs: &'a [FuncName],
    exports: &'a [Export],
    index: u32,
) -> Option<&'a str> {
    let named = funcs
        .binary_search_by_key(&index, |n| n.index)
        .ok()
        .map(|i| funcs[i].name.as_str());
    named.or_else(|| {
        exports
            .iter()
            .find(|e| e.kind == ExternKind::Func && e.index == index)
            .map(|e| e.name.as_str())
    })
}

/// A module's names, as backtraces show them, and its source lines.
#[derive(Default)]
pub(crate) struct ModuleNames {
    module: Option<String>,
    funcs: OnceLock<Vec<FuncName>>,
    /// Gives `funcs` when they are not known yet (an artifact's, decoded
    /// from `.kiln.names` on first use).
    decode: Option<DecodeNames>,
    exports: Vec<Export>,
    #[cfg(feature = "source-lines")]
    lines: Option<super::SourceLines>,
}

impl ModuleNames {
    /// The names of a module named `module` with function names `funcs`
    /// and exports `exports`.
    #[cfg(any(feature = "wasm", test))]
    pub fn new(module: Option<&str>, funcs: &[FuncName], exports: &[Export]) -> ModuleNames {
        let mut names = ModuleNames::lazy(module, None, exports);
        names.funcs = OnceLock::from(funcs.to_vec());
        names
    }

    /// The names of a module named `module` with exports `exports`, whose
    /// function names `decode` gives when a frame first needs them (none
    /// without it).
    pub fn lazy(
        module: Option<&str>,
        decode: Option<DecodeNames>,
        exports: &[Export],
    ) -> ModuleNames {
        ModuleNames {
            module: module.map(str::to_string),
            funcs: OnceLock::new(),
            decode,
            exports: exports
                .iter()
                .filter(|e| e.kind == ExternKind::Func)
                .cloned()
                .collect(),
            #[cfg(feature = "source-lines")]
            lines: None,
        }
    }

    /// These names, with frames that give source lines from `lines`.
    #[cfg(feature = "source-lines")]
    pub fn with_lines(self, lines: Option<super::SourceLines>) -> ModuleNames {
        ModuleNames { lines, ..self }
    }

    /// The frame of function `func_index` at module offset `offset`.
    pub fn frame(&self, func_index: u32, offset: Option<usize>) -> FrameInfo {
        FrameInfo {
            func_index,
            module_name: self.module.clone(),
            func_name: func_name(self.funcs(), &self.exports, func_index).map(str::to_string),
            module_offset: offset,
            source: self.source(offset),
        }
    }

    fn funcs(&self) -> &[FuncName] {
        self.funcs
            .get_or_init(|| self.decode.as_ref().map(|d| d()).unwrap_or_default())
    }

    #[cfg(feature = "source-lines")]
    fn source(&self, offset: Option<usize>) -> Option<(Option<String>, Option<u32>, Option<u32>)> {
        let at = self.lines.as_ref()?.locate(offset?)?;
        Some((at.file, at.line, at.column))
    }

    #[cfg(not(feature = "source-lines"))]
    fn source(&self, _: Option<usize>) -> Option<(Option<String>, Option<u32>, Option<u32>)> {
        None
    }
}
