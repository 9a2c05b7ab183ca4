//! Writing Kiln artifacts (SPEC.md section 4): LLVM's object plus the
//! `.kiln.*` sections describing the module.

mod elf;
mod features;
mod header;
mod merge;
mod prelink;
mod riscv_diff;

pub use features::cpu_features;
pub use header::compiler_version;

use crate::compile::{compile_objects, CompiledObject};
use crate::error::{CompileError, Result};
use crate::options::CompileOptions;
use kiln_format::artifact::{
    encode_dwarf, encode_sites, kiln_sections, ModuleMetadata, WasmDwarf, DEBUG_SECTION,
    SITES_SECTION,
};

/// Guard region the guard-page mode relies on after a 4 GiB memory (the
/// translator's `GUARD_BYTES`; the runtime reserves exactly this much).
const GUARD_SIZE: u64 = 2 << 30;

/// Merges the objects of one compile, in order, into one relocatable
/// object without Kiln's sections (`kilnc --format obj`).
pub fn write_object(objects: &[Vec<u8>]) -> Result<Vec<u8>> {
    elf::write_artifact(objects, &[])
}

/// Compiles `wasm` into artifact bytes for `opts.target`.
pub fn compile_artifact(wasm: &[u8], opts: &CompileOptions) -> Result<Vec<u8>> {
    Ok(compile_artifact_timed(wasm, opts)?.0)
}

/// [`compile_artifact`], also returning the object compilation's report
/// (its per-phase timings gain an `artifact` phase).
pub fn compile_artifact_timed(
    wasm: &[u8],
    opts: &CompileOptions,
) -> Result<(Vec<u8>, CompiledObject)> {
    let (objects, mut object) = compile_objects(wasm, opts)?;
    let start = std::time::Instant::now();
    let (meta, data) =
        ModuleMetadata::from_wasm(wasm).map_err(|e| CompileError::InvalidWasm(e.to_string()))?;
    meta.validate()
        .and_then(|_| meta.validate_data(data.len()))
        .map_err(|e| CompileError::InvalidWasm(format!("metadata: {e}")))?;
    let header = header::header(wasm, opts, GUARD_SIZE)?;
    let mut sections = kiln_sections(&header, &meta, &data);
    if !object.sites.is_empty() {
        let sites = encode_sites(&object.sites).map_err(|e| CompileError::Llvm(e.to_string()))?;
        // Before `.kiln.checksum`, last.
        sections.insert(sections.len() - 1, (SITES_SECTION, sites));
    }
    // The module's DWARF, for source lines where the wasm is not at hand;
    // tier-up's partial artifacts always have the wasm.
    if opts.only_defined.is_none() {
        if let Some(dwarf) = WasmDwarf::from_wasm(wasm) {
            sections.insert(sections.len() - 1, (DEBUG_SECTION, encode_dwarf(&dwarf)));
        }
    }
    let artifact = elf::write_artifact(&objects, &sections)?;
    object.timings.push(("artifact", start.elapsed()));
    Ok((artifact, object))
}
