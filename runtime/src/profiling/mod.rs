//! Telling profilers where compiled wasm code is ([`ProfilingStrategy`]).
//!
//! Every piece of native code Kiln maps is reported here once, as it is
//! mapped: Fast JIT modules and lazily compiled batches, LLVM JIT code,
//! tier-up's partial artifacts (functions and OSR entries), and loaded AOT
//! artifacts. Each entry names the wasm function ([`Names`]) and its tier.
//! With [`ProfilingStrategy::None`] nothing is named or formatted: the
//! callers ask [`agent`] first and do nothing when it is `None`.
//!
//! The agents are process-wide (the files are named after the process),
//! shared by every engine that asks for them, and safe to call from the
//! background tier-up threads. An I/O error is reported once to stderr and
//! the agent stops writing; it never panics.

mod jitdump;
mod perf_map;

use kiln_format::artifact::{Export, FuncName, KilnSymbol};
use kiln_loader::LoadedArtifact;
use std::sync::atomic::{AtomicBool, Ordering};

/// Which profiler to tell about compiled code (wasmtime's
/// `ProfilingStrategy`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ProfilingStrategy {
    /// None: nothing is written.
    #[default]
    None,
    /// Append `START SIZE NAME` lines to `/tmp/perf-PID.map`, which
    /// `perf report` reads to name JIT code.
    PerfMap,
    /// Write `/tmp/jit-PID.dump` in the jitdump format (names and code
    /// bytes), for `perf record -k mono` then `perf inject --jit`.
    JitDump,
}

/// One piece of mapped code: where it is and what to call it.
pub(crate) struct CodeEntry {
    /// Its address.
    pub start: usize,
    /// Its size in bytes (not 0).
    pub size: usize,
    /// What a profiler shows.
    pub name: String,
}

/// Something that records code as it is mapped.
pub(crate) trait Agent: Sync {
    /// Records `entries`, whose code is mapped readable and stays mapped
    /// at least until this returns.
    fn record(&self, entries: &[CodeEntry]);
}

/// The agent of `strategy`, opened on first use; `None` when profiling is
/// off.
pub(crate) fn agent(strategy: ProfilingStrategy) -> Option<&'static dyn Agent> {
    match strategy {
        ProfilingStrategy::None => None,
        ProfilingStrategy::PerfMap => Some(perf_map::agent()),
        ProfilingStrategy::JitDump => Some(jitdump::agent()),
    }
}

/// Prints `what` to stderr the first time `once` is passed; later errors
/// are dropped (the agent has stopped writing by then).
fn report_once(once: &AtomicBool, what: std::fmt::Arguments<'_>) {
    if !once.swap(true, Ordering::Relaxed) {
        eprintln!("kiln: profiling: {what}; no more code will be recorded");
    }
}

/// The names of a module's functions, as profilers show them.
pub(crate) struct Names<'a> {
    /// The module's name from the `name` section.
    pub module: Option<&'a str>,
    /// Function names, by ascending index.
    pub funcs: &'a [FuncName],
    /// Exports, whose names stand in for missing function names.
    pub exports: &'a [Export],
}

impl<'a> Names<'a> {
    /// The names of `m`'s functions.
    #[cfg_attr(not(feature = "fast-jit"), allow(dead_code))]
    pub fn of(m: &'a crate::module::ModuleInner) -> Names<'a> {
        Names {
            module: m.name.as_deref(),
            funcs: &m.func_names,
            exports: &m.exports,
        }
    }

    /// `wasm[MODULE]::NAME` (`wasm::NAME` without a module name), where
    /// NAME is the `name` section's, else the first export's, else
    /// `func[INDEX]`.
    pub fn func(&self, index: u32) -> String {
        let func = match crate::backtrace::func_name(self.funcs, self.exports, index) {
            Some(name) => name.to_string(),
            None => format!("func[{index}]"),
        };
        match self.module {
            Some(module) => format!("wasm[{module}]::{func}"),
            None => format!("wasm::{func}"),
        }
    }
}

/// What a piece of a module's code is, for [`name`].
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(feature = "fast-jit"), allow(dead_code))]
pub(crate) enum Piece {
    /// A function's code.
    Func(u32),
    /// A lazy-compile stub of a function (Fast JIT).
    LazyStub(u32),
    /// A function's entry at its loop `L` (tier-up's OSR).
    Osr(u32, u32),
    /// A host-to-wasm trampoline, by type index.
    ArrayCall(u32),
    /// A wasm-to-host trampoline, by type index.
    WasmCall(u32),
    /// A wasm-to-interpreter trampoline, by type index.
    InterpCall(u32),
}

/// The profiler's name of `piece`, compiled by `tier`.
pub(crate) fn name(names: &Names<'_>, piece: Piece, tier: &str) -> String {
    match piece {
        Piece::Func(f) => format!("{} [{tier}]", names.func(f)),
        Piece::LazyStub(f) => format!("{} [{tier} lazy stub]", names.func(f)),
        Piece::Osr(f, l) => format!("{} [{tier} osr loop {l}]", names.func(f)),
        Piece::ArrayCall(t) => format!("trampoline[array_call type {t}] [{tier}]"),
        Piece::WasmCall(t) => format!("trampoline[wasm_call type {t}] [{tier}]"),
        Piece::InterpCall(t) => format!("trampoline[interp_call type {t}] [{tier}]"),
    }
}

/// Entries for pieces laid out back to back in `code_len` bytes mapped at
/// `base`, each `(offset, piece)`: a piece ends where the next starts
/// (padding included), the last at the end of the code.
#[cfg_attr(not(feature = "fast-jit"), allow(dead_code))]
pub(crate) fn contiguous(
    names: &Names<'_>,
    base: usize,
    code_len: usize,
    mut pieces: Vec<(usize, Piece)>,
    tier: &str,
) -> Vec<CodeEntry> {
    pieces.sort_unstable_by_key(|&(offset, _)| offset);
    let ends: Vec<usize> = pieces
        .iter()
        .skip(1)
        .map(|&(o, _)| o)
        .chain([code_len])
        .collect();
    pieces
        .iter()
        .zip(ends)
        .filter(|&(&(start, _), end)| end > start)
        .map(|(&(start, piece), end)| CodeEntry {
            start: base + start,
            size: end - start,
            name: name(names, piece, tier),
        })
        .collect()
}

/// Records every function, trampoline and OSR entry of `artifact`, whose
/// code `tier` made, with `agent`.
pub(crate) fn record_artifact(agent: &dyn Agent, artifact: &LoadedArtifact, tier: &str) {
    let meta = artifact.metadata();
    // Unreadable names leave the exports' names and `func[N]`.
    let func_names = kiln_loader::decode_names(artifact.names_section().map(|s| &s[..]), meta)
        .unwrap_or_default();
    let names = Names {
        module: meta.name.as_deref(),
        funcs: &func_names,
        exports: &meta.exports,
    };
    let mut entries: Vec<CodeEntry> = artifact
        .code_symbols()
        .iter()
        .filter(|s| s.size > 0)
        .map(|s| {
            let piece = match s.symbol {
                KilnSymbol::Func(f) => Piece::Func(f),
                KilnSymbol::ArrayCall(t) => Piece::ArrayCall(t),
                KilnSymbol::WasmCall(t) => Piece::WasmCall(t),
                KilnSymbol::Osr { func, loop_index } => Piece::Osr(func, loop_index),
            };
            CodeEntry {
                start: s.start,
                size: s.size,
                name: name(&names, piece, tier),
            }
        })
        .collect();
    entries.sort_unstable_by_key(|e| e.start);
    agent.record(&entries);
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiln_format::artifact::ExternKind;

    #[test]
    fn names_prefer_the_name_section_then_exports_then_the_index() {
        let funcs = [FuncName {
            index: 1,
            name: "hot".into(),
        }];
        let exports = [Export {
            name: "run".into(),
            kind: ExternKind::Func,
            index: 2,
        }];
        let names = Names {
            module: Some("m"),
            funcs: &funcs,
            exports: &exports,
        };
        assert_eq!(names.func(1), "wasm[m]::hot");
        assert_eq!(names.func(2), "wasm[m]::run");
        assert_eq!(names.func(3), "wasm[m]::func[3]");
        let anonymous = Names {
            module: None,
            ..names
        };
        assert_eq!(
            name(&anonymous, Piece::Osr(1, 2), "tier-up"),
            "wasm::hot [tier-up osr loop 2]"
        );
    }

    #[test]
    fn contiguous_pieces_end_where_the_next_starts() {
        let names = Names {
            module: None,
            funcs: &[],
            exports: &[],
        };
        let pieces = vec![
            (32, Piece::Func(1)),
            (0, Piece::Func(0)),
            (48, Piece::ArrayCall(0)),
        ];
        let entries = contiguous(&names, 0x1000, 64, pieces, "fast-jit");
        let got: Vec<(usize, usize, &str)> = entries
            .iter()
            .map(|e| (e.start, e.size, e.name.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (0x1000, 32, "wasm::func[0] [fast-jit]"),
                (0x1020, 16, "wasm::func[1] [fast-jit]"),
                (0x1030, 16, "trampoline[array_call type 0] [fast-jit]"),
            ]
        );
    }
}
