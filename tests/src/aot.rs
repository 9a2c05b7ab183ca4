//! The AOT mode: every module is compiled to artifact bytes, which are
//! then loaded back, exactly as `kilnc` output would be.

use kiln_runtime::{Engine, Error, Module};

/// Validates `wasm`, compiles it to an artifact for this host, and loads it.
#[cfg(feature = "llvm")]
pub fn through_artifact(engine: &Engine, wasm: &[u8]) -> Result<Module, Error> {
    // Validation errors come from the runtime, the same as in every mode.
    Module::validate(engine, wasm)?;
    let target = kiln_compiler::TargetSpec::host().map_err(compile_error)?;
    let opts = kiln_compiler::CompileOptions::new(target);
    let artifact = kiln_compiler::compile_artifact(wasm, &opts).map_err(compile_error)?;
    Module::from_artifact(engine, &artifact, Some(wasm))
}

/// Without the LLVM compiler there is no artifact to make.
#[cfg(not(feature = "llvm"))]
pub fn through_artifact(_engine: &Engine, _wasm: &[u8]) -> Result<Module, Error> {
    Err(Error::Usage(
        "running mode `aot` is not supported by this build of kiln".into(),
    ))
}

#[cfg(feature = "llvm")]
fn compile_error(e: kiln_compiler::CompileError) -> Error {
    Error::Compile {
        offset: 0,
        message: e.to_string(),
    }
}
