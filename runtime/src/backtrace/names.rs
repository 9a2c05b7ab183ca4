//! Function names for backtraces: the `name` section's, else the first
//! export's. A module's names are gathered once, on first use, and shared
//! by every frame and code image that needs them.

use super::FrameInfo;
use kiln_format::artifact::{Export, ExternKind, FuncName};

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

/// A module's names, as backtraces show them.
#[derive(Debug, Default)]
pub(crate) struct ModuleNames {
    module: Option<String>,
    funcs: Vec<FuncName>,
    exports: Vec<Export>,
}

impl ModuleNames {
    /// The names of a module named `module` with function names `funcs`
    /// and exports `exports`.
    pub fn new(module: Option<&str>, funcs: &[FuncName], exports: &[Export]) -> ModuleNames {
        ModuleNames {
            module: module.map(str::to_string),
            funcs: funcs.to_vec(),
            exports: exports
                .iter()
                .filter(|e| e.kind == ExternKind::Func)
                .cloned()
                .collect(),
        }
    }

    /// The frame of function `func_index` at module offset `offset`.
    pub fn frame(&self, func_index: u32, offset: Option<usize>) -> FrameInfo {
        FrameInfo {
            func_index,
            module_name: self.module.clone(),
            func_name: func_name(&self.funcs, &self.exports, func_index).map(str::to_string),
            module_offset: offset,
        }
    }
}
