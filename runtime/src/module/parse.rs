//! Reading a binary module into a [`ModuleInner`]: one validation pass,
//! one read into the shared description ([`kiln_format::reader`]), and
//! the one conversion ([`super::module_inner`]).

use super::ModuleInner;
use crate::engine::Engine;
use crate::error::Result;
use std::sync::OnceLock;

/// Validates `bytes` with every WebAssembly 2.0 feature.
pub(super) fn validate(bytes: &[u8]) -> Result<()> {
    kiln_format::reader::validate(bytes)?;
    Ok(())
}

/// Validates and reads `bytes`.
pub(super) fn parse(engine: &Engine, bytes: &[u8]) -> Result<ModuleInner> {
    validate(bytes)?;
    read(engine, bytes)
}

/// Reads `bytes`, which [`validate`] has accepted.
pub(super) fn read(engine: &Engine, bytes: &[u8]) -> Result<ModuleInner> {
    let wasm = kiln_format::reader::read_wasm(bytes)?;
    let mut m = super::module_inner(engine, &wasm.metadata, bytes)?;
    m.compiled = (0..wasm.bodies.len()).map(|_| OnceLock::new()).collect();
    m.bodies = wasm.bodies;
    Ok(m)
}
