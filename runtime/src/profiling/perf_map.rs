//! The perf map: `/tmp/perf-PID.map`, one `START SIZE NAME` line per piece
//! of code (hex, without `0x`), which `perf report` reads to name
//! addresses in anonymous executable memory.
//!
//! The file is opened once per process for appending (never truncated:
//! another JIT in the process may share it) and each batch of entries is
//! written with a single `write` under a lock, so lines from concurrent
//! compiles never interleave.

use super::{report_once, Agent, CodeEntry};
use std::fmt::Write as _;
use std::fs::File;
use std::io::Write as _;
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, OnceLock};

/// The process's perf map.
pub(super) struct PerfMap {
    /// `None` once opening or writing failed.
    file: Mutex<Option<File>>,
    failed: AtomicBool,
}

/// The path perf looks for: `/tmp/perf-PID.map`.
pub(crate) fn path() -> std::path::PathBuf {
    format!("/tmp/perf-{}.map", std::process::id()).into()
}

/// The process's perf map, opened (or created) on first use.
pub(super) fn agent() -> &'static PerfMap {
    static MAP: OnceLock<PerfMap> = OnceLock::new();
    MAP.get_or_init(|| {
        let failed = AtomicBool::new(false);
        let path = path();
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path);
        let file = file
            .map_err(|e| report_once(&failed, format_args!("{}: {e}", path.display())))
            .ok();
        PerfMap {
            file: Mutex::new(file),
            failed,
        }
    })
}

/// The lines of `entries`.
pub(crate) fn lines(entries: &[CodeEntry]) -> String {
    let mut out = String::with_capacity(entries.len() * 48);
    for e in entries {
        // Names are the module's own: keep each entry on its line.
        let name = e.name.replace(['\n', '\r'], " ");
        let _ = writeln!(out, "{:x} {:x} {name}", e.start, e.size);
    }
    out
}

impl Agent for PerfMap {
    fn record(&self, entries: &[CodeEntry]) {
        if entries.is_empty() {
            return;
        }
        let text = lines(entries);
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let Some(f) = file.as_mut() else { return };
        if let Err(e) = f.write_all(text.as_bytes()) {
            report_once(&self.failed, format_args!("{}: {e}", path().display()));
            *file = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_hex_without_prefix() {
        let entries = [CodeEntry {
            start: 0x7f00_1000,
            size: 0x2a,
            name: "wasm::a\nb [fast-jit]".into(),
        }];
        assert_eq!(lines(&entries), "7f001000 2a wasm::a b [fast-jit]\n");
    }
}
