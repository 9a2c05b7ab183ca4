//! Why loading failed: a refused artifact, or the operating system
//! refusing memory.

use std::fmt;
use std::io;

use kiln_format::artifact::ArtifactError;

/// A reason [`load`](crate::load) did not produce an image.
///
/// `Display` is one line naming what did not match (for refusals, exactly
/// the message SPEC.md section 4.13 gives for the [`ArtifactError`]).
#[derive(Debug)]
pub enum LoadError {
    /// The artifact was refused; nothing was mapped.
    Artifact(ArtifactError),
    /// The artifact was acceptable but executable memory could not be
    /// set up (`mmap` or `mprotect` failed).
    Memory {
        /// The system call that failed.
        call: &'static str,
        /// The error it returned.
        source: io::Error,
    },
    /// The artifact file could not be opened or read ([`load_file`](crate::load_file)).
    File(io::Error),
}

impl LoadError {
    /// The refusal, if this is one.
    pub fn artifact_error(&self) -> Option<&ArtifactError> {
        match self {
            LoadError::Artifact(e) => Some(e),
            LoadError::Memory { .. } | LoadError::File(_) => None,
        }
    }

    /// Whether the artifact is stale: it was compiled from other wasm than
    /// the one given in [`LoadOptions::wasm`](crate::LoadOptions::wasm).
    /// The runtime then falls back to a JIT tier.
    pub fn is_stale(&self) -> bool {
        matches!(self, LoadError::Artifact(ArtifactError::StaleWasm { .. }))
    }
}

impl From<ArtifactError> for LoadError {
    fn from(e: ArtifactError) -> Self {
        LoadError::Artifact(e)
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Artifact(e) => e.fmt(f),
            LoadError::Memory { call, source } => {
                write!(f, "cannot map artifact code: {call} failed: {source}")
            }
            LoadError::File(e) => write!(f, "cannot read the artifact: {e}"),
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::Artifact(e) => Some(e),
            LoadError::Memory { source, .. } | LoadError::File(source) => Some(source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_the_refusal_itself() {
        let e = LoadError::from(ArtifactError::WamrAot { version: None });
        assert!(e.to_string().starts_with("this is a WAMR AOT file"));
        assert!(!e.is_stale());
        let e = LoadError::Memory {
            call: "mmap",
            source: io::Error::from_raw_os_error(libc::ENOMEM),
        };
        assert!(e
            .to_string()
            .starts_with("cannot map artifact code: mmap failed"));
        assert!(e.artifact_error().is_none());
    }
}
