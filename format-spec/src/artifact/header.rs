//! The artifact header: who compiled it, for what, how, and from which
//! wasm; and the checks a loader makes with it.

use serde::{Deserialize, Serialize};

use super::{wasm_hash, Arch, ArtifactError, FormatVersion, HostInfo};

/// How compiled code keeps memory accesses in bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BoundsChecks {
    /// 32-bit memories rely on a 4 GiB reservation followed by at least
    /// `guard_size` bytes of guard region (variant 0). Accesses whose
    /// static offset could reach past the guard are still checked
    /// explicitly, as are all 64-bit memories.
    GuardPages {
        /// Guard bytes the code relies on after the 4 GiB reservation.
        guard_size: u64,
    },
    /// Every access is checked explicitly (variant 1); runs anywhere.
    Explicit,
}

/// The flags the module was compiled with.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CompileFlags {
    /// `--opt-level`, 0..=3.
    pub opt_level: u8,
    /// `--size-level`, 0..=2.
    pub size_level: u8,
    /// `--bounds-checks`.
    pub bounds_checks: BoundsChecks,
    /// `--enable-llvm-passes`, as given (informational).
    pub llvm_passes: Vec<String>,
}

/// The contents of `.kiln.header`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArtifactHeader {
    /// Format version the artifact is written in.
    pub format_version: FormatVersion,
    /// The compiler that wrote it, e.g. `kilnc 0.1.0 (LLVM 19.1.7)`
    /// (informational).
    pub compiler_version: String,
    /// The LLVM target triple compiled for, e.g. `x86_64-unknown-linux-gnu`.
    pub target: String,
    /// The `--cpu` name, e.g. `generic` or `cortex-a72` (informational:
    /// `cpu_features` is what the loader checks).
    pub cpu: String,
    /// Every CPU feature the code may use beyond the architecture's
    /// baseline, LLVM spelling without `+`, sorted and without repeats.
    pub cpu_features: Vec<String>,
    /// Compile flags.
    pub flags: CompileFlags,
    /// SHA-256 of the wasm binary compiled.
    pub wasm_hash: [u8; 32],
}

impl ArtifactHeader {
    /// The architecture of [`target`](Self::target).
    pub fn arch(&self) -> Result<Arch, ArtifactError> {
        Arch::from_triple(&self.target).ok_or_else(|| ArtifactError::BadSection {
            section: super::sections::HEADER_SECTION.into(),
            reason: format!("target {:?} is not a Kiln target", self.target),
        })
    }

    /// Checks that this artifact may run on `host`: the header's target
    /// agrees with the ELF machine `elf_arch`, the host has that
    /// architecture and every required CPU feature, and the host's guard
    /// region is at least what the code relies on.
    pub fn check_host(&self, elf_arch: Arch, host: &HostInfo<'_>) -> Result<(), ArtifactError> {
        let arch = self.arch()?;
        if arch != elf_arch {
            return Err(ArtifactError::BadElf(format!(
                "ELF machine is {elf_arch} but the header's target is {}",
                self.target
            )));
        }
        if arch != host.arch {
            return Err(ArtifactError::TargetMismatch {
                artifact: self.target.clone(),
                host: host.arch,
            });
        }
        let missing: Vec<String> = self
            .cpu_features
            .iter()
            .filter(|f| !host.cpu_features.contains(&f.as_str()))
            .cloned()
            .collect();
        if !missing.is_empty() {
            return Err(ArtifactError::MissingCpuFeatures(missing));
        }
        if let BoundsChecks::GuardPages { guard_size } = self.flags.bounds_checks {
            match host.guard_size {
                None => {
                    return Err(ArtifactError::FlagsMismatch(
                        "compiled for guard-page bounds checks, but this runtime has no \
                         guard pages; recompile with --bounds-checks=1"
                            .into(),
                    ))
                }
                Some(have) if have < guard_size => {
                    return Err(ArtifactError::FlagsMismatch(format!(
                        "code relies on a {guard_size}-byte guard region, this runtime \
                         provides {have} bytes"
                    )))
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Checks that the artifact was compiled from `wasm`.
    pub fn check_wasm(&self, wasm: &[u8]) -> Result<(), ArtifactError> {
        let hash = wasm_hash(wasm);
        if hash == self.wasm_hash {
            Ok(())
        } else {
            Err(ArtifactError::StaleWasm {
                artifact: self.wasm_hash,
                wasm: hash,
            })
        }
    }
}
