//! Tier-up with `--cache` (`Config::cache_dir`): the LLVM code of the
//! functions that tiered up is kept as the partial artifacts it came in
//! (one file per batch, named by its first function or OSR entry) in a directory named
//! like a cache entry of the module, and the next run of the same module
//! starts those functions from it at once.
//! The loader checks each file like any artifact (format, checksum,
//! target, CPU features, wasm hash), so a damaged file is skipped.

use super::tier_up::Work;
use super::{artifact_code, cache, load_artifact, CompiledCode};
use crate::engine::Engine;
use kiln_format::llvm_plugin::CompileRequest;
use std::path::{Path, PathBuf};

/// The request LLVM compiles defined functions `defs` (ascending) with
/// for tier-up.
pub(crate) fn request(engine: &Engine, defs: Vec<u32>) -> CompileRequest {
    let mut req = CompileRequest::whole_module(engine.config().llvm_opt_level);
    req.direct_calls = false;
    req.wasm_validated = true;
    req.threads = 1;
    req.only_defined = Some(defs);
    req
}

/// The directory of `wasm`'s tiered functions, when the engine caches.
pub(crate) fn module_dir(engine: &Engine, wasm: &[u8]) -> Option<PathBuf> {
    let dir = engine.config().cache_dir.as_deref()?;
    let description = super::llvm_plugin::describe().ok()?;
    let settings = cache::settings(&description, &request(engine, Vec::new()), "tier-up");
    let entry = cache::entry(dir, wasm, &settings);
    Some(entry.with_extension("tiered"))
}

/// Keeps a partial artifact whose first piece of work is `first`.
pub(crate) fn store(dir: &Path, first: Work, bytes: &[u8]) {
    let name = match first {
        (f, None) => format!("{f}.aot"),
        (f, Some(l)) => format!("{f}-loop{l}.aot"),
    };
    cache::write(&dir.join(name), bytes);
}

/// The partial artifacts of `wasm` kept in `dir`, loaded.
pub(crate) fn load(engine: &Engine, dir: &Path, wasm: &[u8]) -> Vec<CompiledCode> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| {
            let path = e.ok()?.path();
            path.file_name()?.to_str()?.strip_suffix(".aot")?;
            let bytes = cache::read(&path)?;
            let artifact = load_artifact(&bytes, Some(wasm), true).ok()?;
            let lines = super::frames::lines(engine, &artifact, &bytes, Some(wasm));
            artifact_code(engine, artifact, "tier-up", lines).ok()
        })
        .collect()
}
