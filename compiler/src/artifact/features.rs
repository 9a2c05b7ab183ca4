//! The header's `cpu_features`: every CPU feature the code may use beyond
//! the architecture's baseline (SPEC.md 4.6, 4.15).
//!
//! The list comes from LLVM itself. `cpp/subtarget_features.cpp` creates
//! the `MCSubtargetInfo` for the target's triple, CPU and feature string
//! (exactly what the `TargetMachine` is built from) and reports every
//! feature it enables, including those implied by the CPU name
//! (`x86-64-v3` -> `avx2`, `bmi2`, ...) and by other features (`avx2` ->
//! `avx`). Features reached only through the CPU's tuning list are left
//! out. The architecture's baseline is computed the same way, from the
//! baseline CPU, and subtracted, so `cpu_features` holds exactly what a
//! host must add to the baseline. Any `--cpu` LLVM accepts expands, so the
//! "record only the explicit features" fallback of SPEC.md 4.15 is never
//! needed.

use crate::error::{CompileError, Result};
use crate::target::{Arch, TargetSpec};
use std::collections::BTreeSet;
use std::ffi::{c_char, CStr, CString};

extern "C" {
    /// Defined in `cpp/subtarget_features.cpp`.
    fn kiln_llvm_subtarget_features(
        triple: *const c_char,
        cpu: *const c_char,
        features: *const c_char,
    ) -> *mut c_char;
}

/// AArch64 features that give compiled code no instructions it could
/// execute: system-level state (exception levels, virtualisation, trace,
/// performance monitors, memory partitioning, privileged-only registers and
/// TLB/cache maintenance), ID-register markers, and LLVM's code-generation
/// preference `use-scalar-inc-vl`. LLVM lists them for named cores
/// (`cortex-a72` has `perfmon`), user-mode feature detection never reports
/// them, and listing them would make an artifact unloadable everywhere.
/// The architecture-version features (`v8a`, `v8.2a`, `v9a`) are dropped
/// by [`is_version_marker`]: what they imply (`lse`, `rdm`, ...) is listed
/// by name.
const AARCH64_NOT_CODE: &[&str] = &[
    "CONTEXTIDREL2",
    "am",
    "amvs",
    "brbe",
    "ccidx",
    "el2vmsa",
    "el3",
    "ete",
    "lor",
    "mpam",
    "nv",
    "pan",
    "pan-rwv",
    "perfmon",
    "predres",
    "ras",
    "rasv2",
    "sel2",
    "spe",
    "spe-eef",
    "specrestrict",
    "tlb-rmi",
    "tracev8.4",
    "trbe",
    "uaops",
    "use-scalar-inc-vl",
    "vh",
];

/// `v8a`, `v8.1a` .. `v9.5a`, `v8r`: an architecture version.
fn is_version_marker(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("v8").or_else(|| name.strip_prefix("v9")) else {
        return false;
    };
    let rest = rest.strip_suffix('a').or_else(|| rest.strip_suffix('r'));
    rest.is_some_and(|r| {
        r.is_empty() || r.strip_prefix('.').is_some_and(|n| n.parse::<u8>().is_ok())
    })
}

/// Whether `name`, enabled by LLVM for `arch`, belongs in `cpu_features`.
fn is_code_feature(arch: Arch, name: &str, all: &BTreeSet<String>) -> bool {
    match arch {
        Arch::Aarch64 => !AARCH64_NOT_CODE.contains(&name) && !is_version_marker(name),
        // `evex512` only widens AVX-512; `-avx512f` leaves it set.
        Arch::X86_64 => name != "evex512" || all.contains("avx512f"),
        Arch::Riscv64 => true,
    }
}

/// The CPU and features of each architecture's baseline (SPEC.md 4.6):
/// x86_64 up to SSE2, AArch64 with FP and NEON, RV64IMAFD.
fn baseline(arch: Arch) -> (&'static str, &'static str) {
    match arch {
        Arch::X86_64 => ("x86-64", ""),
        Arch::Aarch64 => ("generic", "+fp-armv8,+neon"),
        Arch::Riscv64 => ("generic-rv64", "+m,+a,+f,+d"),
    }
}

/// Every feature LLVM enables for `triple`, `cpu` and `features`.
fn llvm_features(arch: Arch, triple: &str, cpu: &str, features: &str) -> Result<BTreeSet<String>> {
    arch.initialize();
    let cstr =
        |s: &str| CString::new(s).map_err(|_| CompileError::Target(format!("NUL byte in `{s}`")));
    let (t, c, f) = (cstr(triple)?, cstr(cpu)?, cstr(features)?);
    // SAFETY: the three arguments are NUL-terminated strings that outlive
    // the call, and the target's MC layer is registered (`initialize`).
    let list = unsafe { kiln_llvm_subtarget_features(t.as_ptr(), c.as_ptr(), f.as_ptr()) };
    if list.is_null() {
        return Err(CompileError::Target(format!(
            "LLVM cannot describe CPU `{cpu}` of {triple}"
        )));
    }
    // SAFETY: a non-null result is a NUL-terminated string from `strdup`.
    let names = unsafe { CStr::from_ptr(list) }
        .to_string_lossy()
        .split(',')
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    // SAFETY: `list` came from `strdup` and is freed exactly once.
    unsafe { libc::free(list.cast()) };
    Ok(names)
}

/// The complete, sorted `cpu_features` of code compiled for `target`.
pub fn cpu_features(target: &TargetSpec) -> Result<Vec<String>> {
    let all = llvm_features(target.arch, &target.triple, &target.cpu, &target.features)?;
    let (cpu, features) = baseline(target.arch);
    let base = llvm_features(target.arch, &target.triple, cpu, features)?;
    Ok(all
        .iter()
        .filter(|f| !base.contains(*f) && is_code_feature(target.arch, f, &all))
        .cloned()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(arch: &str, cpu: Option<&str>, extra: Option<&str>) -> Vec<String> {
        cpu_features(&TargetSpec::new(Some(arch), cpu, extra).unwrap()).unwrap()
    }

    #[test]
    fn cpu_names_expand_to_everything_they_imply() {
        let v3 = [
            "avx", "avx2", "bmi", "bmi2", "crc32", "cx16", "f16c", "fma", "lzcnt", "movbe",
            "popcnt", "sahf", "sse3", "sse4.1", "sse4.2", "ssse3", "xsave",
        ];
        assert_eq!(features("x86_64", None, None), v3);
        assert!(features("x86_64", Some("x86-64"), None).is_empty());
        let v4 = features("x86_64", Some("x86-64-v4"), None);
        assert!(v4.iter().any(|f| f == "avx512vl") && v4.iter().any(|f| f == "evex512"));
        assert_eq!(features("x86_64", Some("x86-64-v4"), Some("-avx512f")), v3);
        assert!(features("aarch64", None, None).is_empty());
        assert_eq!(
            features("aarch64", Some("cortex-a72"), None),
            ["aes", "crc", "sha2"]
        );
        let v2 = features("aarch64", Some("neoverse-v2"), None);
        for f in ["lse", "sve2", "dotprod", "rcpc"] {
            assert!(v2.iter().any(|x| x == f), "{f}: {v2:?}");
        }
        assert!(!v2
            .iter()
            .any(|f| f == "v8.1a" || f == "perfmon" || f == "el3"));
        assert_eq!(features("riscv64", None, None), ["c"]);
        let rv = features("riscv64", None, Some("+v,+zba"));
        for f in ["c", "v", "zba", "zve64d", "zvl128b"] {
            assert!(rv.iter().any(|x| x == f), "{f}: {rv:?}");
        }
        assert!(rv.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn explicit_features_are_added_and_removed() {
        assert_eq!(features("aarch64", None, Some("+lse,+crc")), ["crc", "lse"]);
        let f = features("x86_64", None, Some("-avx2,+adx"));
        assert!(f.iter().any(|x| x == "adx") && f.iter().any(|x| x == "avx"));
        assert!(!f.iter().any(|x| x == "avx2"));
        assert!(features("riscv64", None, Some("-c")).is_empty());
    }

    #[test]
    fn version_markers_are_recognised() {
        for m in ["v8a", "v8.1a", "v8.9a", "v9a", "v9.5a", "v8r"] {
            assert!(is_version_marker(m), "{m}");
        }
        for f in ["v", "v8", "vh", "v8.1", "v8.xa", "sve2"] {
            assert!(!is_version_marker(f), "{f}");
        }
    }
}
