//! The artifact header: versions, target, CPU features, flags, wasm hash.

use super::features::cpu_features;
use crate::error::Result;
use crate::options::CompileOptions;
use kiln_format::artifact::{
    wasm_hash, ArtifactHeader, BoundsChecks, CompileFlags, FORMAT_VERSION,
};

/// `kilnc <crate version> (LLVM <major.minor.patch>)`, from the LLVM
/// actually linked.
pub fn compiler_version() -> String {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: LLVMGetVersion only writes the three integers.
    unsafe { inkwell::llvm_sys::core::LLVMGetVersion(&mut major, &mut minor, &mut patch) };
    format!(
        "kilnc {} (LLVM {major}.{minor}.{patch})",
        env!("CARGO_PKG_VERSION")
    )
}

/// The header of an artifact of `wasm` compiled with `opts`; 32-bit
/// memories rely on `guard_size` guard bytes unless bounds are checked.
pub fn header(wasm: &[u8], opts: &CompileOptions, guard_size: u64) -> Result<ArtifactHeader> {
    Ok(ArtifactHeader {
        format_version: FORMAT_VERSION,
        compiler_version: compiler_version(),
        target: opts.target.triple.clone(),
        cpu: opts.target.cpu.clone(),
        cpu_features: cpu_features(&opts.target)?,
        flags: CompileFlags {
            opt_level: opts.opt_level,
            // 3 compiles like 2 (both `default<Oz>`); the format counts 0..=2.
            size_level: opts.size_level.min(2),
            bounds_checks: if opts.bounds_checks() {
                BoundsChecks::Explicit
            } else {
                BoundsChecks::GuardPages { guard_size }
            },
            llvm_passes: opts.llvm_passes.iter().cloned().collect(),
        },
        wasm_hash: wasm_hash(wasm),
    })
}
