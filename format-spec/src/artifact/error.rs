//! Why a loader refuses an artifact.
//!
//! Every refusal names what did not match, so that a user can tell a stale
//! build from a wrong target from a corrupted file without a debugger.

use std::fmt;

use super::{Arch, FormatVersion};

/// A reason to refuse an artifact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArtifactError {
    /// The bytes are not an ELF file at all.
    NotElf(String),
    /// The bytes are a WAMR AOT file (magic `\0aot`); `version` is its
    /// format version word when the file is long enough to hold one.
    WamrAot {
        /// WAMR's own format version (bytes 4..8, little-endian).
        version: Option<u32>,
    },
    /// An ELF file that no Kiln artifact can be (wrong class, byte order,
    /// type or machine, or a broken ELF structure).
    BadElf(String),
    /// A section the format requires is absent.
    MissingSection(&'static str),
    /// A section is present but its contents or bounds are wrong.
    BadSection {
        /// The section's name.
        section: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The artifact's format version is not readable by this runtime.
    UnsupportedVersion {
        /// The artifact's version.
        found: FormatVersion,
        /// The newest version this runtime reads.
        supported: FormatVersion,
    },
    /// The stored checksum differs from the one computed over the file.
    ChecksumMismatch {
        /// The value stored in `.kiln.checksum`.
        stored: u64,
        /// The value computed over the file.
        computed: u64,
    },
    /// The artifact was compiled for another architecture.
    TargetMismatch {
        /// The artifact's target triple.
        artifact: String,
        /// The host's architecture.
        host: Arch,
    },
    /// The host lacks CPU features the code needs.
    MissingCpuFeatures(Vec<String>),
    /// The artifact's compile flags ask for something the host cannot give.
    FlagsMismatch(String),
    /// The artifact was compiled from different wasm than the one at hand.
    StaleWasm {
        /// SHA-256 recorded in the artifact.
        artifact: [u8; 32],
        /// SHA-256 of the wasm at hand.
        wasm: [u8; 32],
    },
    /// A relocation kind that the format does not allow on this architecture.
    BadRelocation {
        /// The architecture of the artifact.
        arch: Arch,
        /// The ELF relocation type number.
        r_type: u32,
        /// Where it was found, e.g. `.text+0x1c`.
        location: String,
    },
    /// A symbol that is malformed, missing, or cannot be resolved.
    BadSymbol {
        /// The symbol's name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The module metadata could not be decoded or is inconsistent.
    Metadata(String),
}

impl std::error::Error for ArtifactError {}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl fmt::Display for ArtifactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArtifactError::NotElf(why) => write!(f, "not a Kiln artifact: {why}"),
            ArtifactError::WamrAot { version } => {
                f.write_str("this is a WAMR AOT file (magic \"\\0aot\"")?;
                if let Some(v) = version {
                    write!(f, ", WAMR format version {v}")?;
                }
                f.write_str("), not a Kiln artifact; compile the wasm with kilnc instead")
            }
            ArtifactError::BadElf(why) => write!(f, "not a Kiln artifact: {why}"),
            ArtifactError::MissingSection(name) => {
                write!(f, "not a Kiln artifact: section {name} is missing")
            }
            ArtifactError::BadSection { section, reason } => {
                write!(f, "bad artifact section {section}: {reason}")
            }
            ArtifactError::UnsupportedVersion { found, supported } => write!(
                f,
                "unsupported artifact format version {found}: this runtime reads versions \
                 {}.0 through {supported}; recompile the module with a matching kilnc",
                supported.major
            ),
            ArtifactError::ChecksumMismatch { stored, computed } => write!(
                f,
                "artifact checksum mismatch: stored {stored:#018x}, computed {computed:#018x}; \
                 the file is corrupt"
            ),
            ArtifactError::TargetMismatch { artifact, host } => write!(
                f,
                "artifact was compiled for {artifact}, but this host is {host}"
            ),
            ArtifactError::MissingCpuFeatures(missing) => write!(
                f,
                "artifact needs CPU features this host lacks: {}",
                missing.join(", ")
            ),
            ArtifactError::FlagsMismatch(why) => {
                write!(f, "artifact compile flags do not suit this runtime: {why}")
            }
            ArtifactError::StaleWasm { artifact, wasm } => write!(
                f,
                "stale artifact: compiled from wasm with SHA-256 {}, but the wasm at hand \
                 has SHA-256 {}",
                hex(artifact),
                hex(wasm)
            ),
            ArtifactError::BadRelocation {
                arch,
                r_type,
                location,
            } => write!(
                f,
                "relocation type {r_type} at {location} is not allowed on {arch}"
            ),
            ArtifactError::BadSymbol { name, reason } => {
                write!(f, "bad artifact symbol `{name}`: {reason}")
            }
            ArtifactError::Metadata(why) => write!(f, "corrupt module metadata: {why}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_what_did_not_match() {
        let e = ArtifactError::WamrAot { version: Some(3) };
        assert_eq!(
            e.to_string(),
            "this is a WAMR AOT file (magic \"\\0aot\", WAMR format version 3), \
             not a Kiln artifact; compile the wasm with kilnc instead"
        );
        let e = ArtifactError::MissingCpuFeatures(vec!["avx2".into(), "bmi2".into()]);
        assert_eq!(
            e.to_string(),
            "artifact needs CPU features this host lacks: avx2, bmi2"
        );
        let e = ArtifactError::TargetMismatch {
            artifact: "aarch64-unknown-linux-gnu".into(),
            host: Arch::X86_64,
        };
        assert_eq!(
            e.to_string(),
            "artifact was compiled for aarch64-unknown-linux-gnu, but this host is x86_64"
        );
        let e = ArtifactError::StaleWasm {
            artifact: [0xab; 32],
            wasm: [0x01; 32],
        };
        assert!(e
            .to_string()
            .starts_with("stale artifact: compiled from wasm"));
        assert!(e.to_string().contains(&"ab".repeat(32)));
    }
}
