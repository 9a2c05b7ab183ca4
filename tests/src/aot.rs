//! The AOT mode: every module is compiled to artifact bytes, which are
//! then loaded back, exactly as `kilnc` output would be.

use kiln_runtime::{Engine, Error, Module};

/// Validates `wasm`, compiles it to an artifact for this host, and loads it.
#[cfg(feature = "llvm")]
pub fn through_artifact(engine: &Engine, wasm: &[u8]) -> Result<Module, Error> {
    // Validation errors come from the runtime, the same as in every mode.
    Module::validate(engine, wasm)?;
    let artifact = engine.precompile_module(wasm)?;
    Module::from_artifact(engine, &artifact, Some(wasm))
}

/// Without the LLVM compiler there is no artifact to make.
#[cfg(not(feature = "llvm"))]
pub fn through_artifact(_engine: &Engine, _wasm: &[u8]) -> Result<Module, Error> {
    Err(Error::Usage(
        "running mode `aot` is not supported by this build of kiln".into(),
    ))
}
