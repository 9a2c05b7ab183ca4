//! The LLVM JIT's compile cache: artifacts of modules compiled before, kept
//! in a directory (`Config::cache_dir`) and loaded instead of compiling
//! again, as wasmtime's cache does.
//!
//! An entry is named by the SHA-256 of the wasm and of everything that
//! shapes the code: the compiler and LLVM version, the optimisation level
//! and the target. The loader checks an entry like any artifact (format,
//! checksum, target, CPU features, wasm hash), so a damaged or foreign
//! entry is compiled afresh and replaced, never run.

use kiln_format::artifact::wasm_hash;
use kiln_format::llvm_plugin::{CompileRequest, Description};
use std::path::{Path, PathBuf};

/// The entry file for `wasm` compiled with `settings` (a description of
/// compiler, options and target).
pub(crate) fn entry(dir: &Path, wasm: &[u8], settings: &str) -> PathBuf {
    let mut keyed = wasm_hash(wasm).to_vec();
    keyed.extend_from_slice(settings.as_bytes());
    let key: String = wasm_hash(&keyed)
        .iter()
        .take(20)
        .map(|b| format!("{b:02x}"))
        .collect();
    dir.join(format!("{key}.aot"))
}

/// The description of compiler, options and target that names entries
/// (`what`: what else distinguishes them, e.g. `direct-calls=true`).
pub(crate) fn settings(compiler: &Description, req: &CompileRequest, what: &str) -> String {
    format!(
        "{} O{} {} {} {} {what}",
        compiler.compiler_version, req.opt_level, compiler.triple, compiler.cpu, compiler.features
    )
}

/// The entry's bytes, if there is one.
pub(crate) fn read(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

/// Stores `bytes` as the entry at `path`: written beside it, then renamed,
/// so a reader never sees half an entry. A cache that cannot be written
/// only costs the next run a compile, so failures are not errors.
pub(crate) fn write(path: &Path, bytes: &[u8]) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_depend_on_the_wasm_and_the_settings() {
        let d = Path::new("/c");
        let a = entry(d, b"\0asm one", "O3 x86-64-v3");
        assert_eq!(a, entry(d, b"\0asm one", "O3 x86-64-v3"));
        assert_ne!(a, entry(d, b"\0asm two", "O3 x86-64-v3"));
        assert_ne!(a, entry(d, b"\0asm one", "O2 x86-64-v3"));
        assert!(a.to_string_lossy().ends_with(".aot"));
    }
}
