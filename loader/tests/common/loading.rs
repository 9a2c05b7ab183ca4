//! Loading the test artifacts as a host of one architecture, and the
//! shape every refusal must have.

use kiln_format::artifact::*;
use kiln_loader::{load, LoadError, LoadOptions, LoadedArtifact};

use super::{host, resolver, WASM};

pub fn opts() -> LoadOptions<'static> {
    opts_for(Arch::X86_64)
}

pub fn opts_for(arch: Arch) -> LoadOptions<'static> {
    let mut opts = LoadOptions::new(&resolver);
    (opts.host, opts.wasm) = (host(arch), Some(WASM));
    opts
}

pub fn try_load(bytes: &[u8]) -> Result<LoadedArtifact, LoadError> {
    load(bytes, &opts())
}

pub fn refusal(bytes: &[u8]) -> ArtifactError {
    match try_load(bytes) {
        Ok(_) => panic!("loaded, but should have been refused"),
        Err(LoadError::Artifact(e)) => e,
        Err(e) => panic!("not a refusal: {e}"),
    }
}

/// Checks an error's message is one clear line.
pub fn clear(e: &LoadError) {
    let msg = e.to_string();
    assert!(!msg.is_empty() && !msg.contains('\n'), "{msg:?}");
}
