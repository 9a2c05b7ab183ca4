//! What this machine offers an artifact: its architecture, its CPU
//! features spelled the way `kilnc` records them (LLVM's names), and the
//! guard region the runtime places after each 32-bit memory.

use std::sync::OnceLock;

use kiln_format::artifact::{Arch, HostInfo};

/// Guard bytes the runtime reserves after each 32-bit memory's 4 GiB
/// (SPEC.md section 1: 4 GiB plus a 2 GiB guard region).
pub const GUARD_SIZE: u64 = 2 << 30;

/// This machine as [`HostInfo`], with the runtime's [`GUARD_SIZE`].
///
/// # Panics
///
/// Never on the architectures Kiln supports; on any other host this
/// panics, since no artifact could run there anyway.
pub fn host_info() -> HostInfo<'static> {
    host_info_with_guard(Some(GUARD_SIZE))
}

/// This machine as [`HostInfo`], with a guard region of `guard_size`
/// bytes (`None` when the runtime does not use guard pages).
pub fn host_info_with_guard(guard_size: Option<u64>) -> HostInfo<'static> {
    HostInfo {
        arch: Arch::host().expect("Kiln runs only on x86_64, aarch64 and riscv64 hosts"),
        cpu_features: host_cpu_features(),
        guard_size,
    }
}

/// The CPU features this machine has, in LLVM's spelling without `+`,
/// sorted. Detected once and kept for the life of the process.
pub fn host_cpu_features() -> &'static [&'static str] {
    static FEATURES: OnceLock<Vec<&'static str>> = OnceLock::new();
    FEATURES.get_or_init(|| {
        let mut features = detect();
        features.sort_unstable();
        features.dedup();
        features
    })
}

/// Every x86_64 CPU feature name the loader can detect: what `kilnc` may
/// record for x86_64 and still find a host that loads the artifact.
#[cfg(target_arch = "x86_64")]
pub fn detectable_x86_64_features() -> Vec<&'static str> {
    x86_64::known()
}

#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
use x86_64::detect;

#[cfg(target_arch = "aarch64")]
fn detect() -> Vec<&'static str> {
    use std::arch::is_aarch64_feature_detected as has;
    let mut out = vec!["neon", "fp-armv8"];
    let detected = [
        ("lse", has!("lse")),
        ("crc", has!("crc")),
        ("aes", has!("aes")),
        ("sha2", has!("sha2")),
        ("sha3", has!("sha3")),
        ("dotprod", has!("dotprod")),
        ("fullfp16", has!("fp16")),
        ("rcpc", has!("rcpc")),
        ("rdm", has!("rdm")),
        ("sve", has!("sve")),
        ("sve2", has!("sve2")),
        ("bf16", has!("bf16")),
        ("i8mm", has!("i8mm")),
        ("complxnum", has!("fcma")),
        ("jsconv", has!("jsconv")),
        ("fptoint", has!("frintts")),
        ("flagm", has!("flagm")),
        ("ssbs", has!("ssbs")),
        ("sb", has!("sb")),
        ("dit", has!("dit")),
        ("ccpp", has!("dpb")),
    ];
    out.extend(detected.iter().filter(|(_, on)| *on).map(|(name, _)| *name));
    out
}

#[cfg(target_arch = "riscv64")]
fn detect() -> Vec<&'static str> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let isa = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("isa")
                .map(|r| r.trim_start_matches([' ', '\t', ':']))
        })
        .unwrap_or("rv64imafd");
    riscv_isa_features(isa)
        .into_iter()
        .map(|f| &*Box::leak(f.into_boxed_str()))
        .collect()
}

#[cfg(not(any(
    target_arch = "x86_64",
    target_arch = "aarch64",
    target_arch = "riscv64"
)))]
fn detect() -> Vec<&'static str> {
    Vec::new()
}

/// The features named by a RISC-V ISA string such as
/// `rv64imafdc_zicsr_zba`: each single letter after `rv64`, then each
/// `_`-separated multi-letter extension, lower-cased. The baseline
/// `i m a f d` is always included.
#[cfg_attr(not(target_arch = "riscv64"), allow(dead_code))]
pub(crate) fn riscv_isa_features(isa: &str) -> Vec<String> {
    let isa = isa.trim().to_ascii_lowercase();
    let mut out: Vec<String> = ["i", "m", "a", "f", "d"].map(String::from).to_vec();
    let mut parts = isa.split('_');
    let letters = parts.next().unwrap_or("");
    let letters = letters.strip_prefix("rv64").unwrap_or("");
    for c in letters.chars().filter(|c| c.is_ascii_lowercase()) {
        if c == 'g' {
            out.extend(["zicsr", "zifencei"].map(String::from));
        } else {
            out.push(c.to_string());
        }
    }
    out.extend(parts.filter(|p| !p.is_empty()).map(String::from));
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_host_is_described() {
        let host = host_info();
        assert_eq!(Some(host.arch), Arch::host());
        assert_eq!(host.guard_size, Some(GUARD_SIZE));
        let features = host_cpu_features();
        assert!(features.windows(2).all(|w| w[0] < w[1]));
        #[cfg(target_arch = "x86_64")]
        assert!(features.contains(&"sse2"));
        assert_eq!(host_info_with_guard(None).guard_size, None);
    }

    /// Where the standard library's detection and ours name the same
    /// feature, they agree (both gate on the OS saving the registers).
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn cpuid_agrees_with_the_standard_library() {
        use std::arch::is_x86_feature_detected as has;
        let ours = host_cpu_features();
        let std = [
            ("sse3", has!("sse3")),
            ("sse4.2", has!("sse4.2")),
            ("sse4a", has!("sse4a")),
            ("popcnt", has!("popcnt")),
            ("avx", has!("avx")),
            ("avx2", has!("avx2")),
            ("fma", has!("fma")),
            ("bmi", has!("bmi1")),
            ("bmi2", has!("bmi2")),
            ("lzcnt", has!("lzcnt")),
            ("tbm", has!("tbm")),
            ("f16c", has!("f16c")),
            ("movbe", has!("movbe")),
            ("cx16", has!("cmpxchg16b")),
            ("pclmul", has!("pclmulqdq")),
            ("sha", has!("sha")),
            ("adx", has!("adx")),
            ("rdrnd", has!("rdrand")),
            ("rdseed", has!("rdseed")),
            ("avx512f", has!("avx512f")),
            ("avx512bw", has!("avx512bw")),
            ("avx512vl", has!("avx512vl")),
            ("avx512vbmi2", has!("avx512vbmi2")),
            ("gfni", has!("gfni")),
            ("vaes", has!("vaes")),
        ];
        for (name, detected) in std {
            assert_eq!(ours.contains(&name), detected, "{name}: {ours:?}");
        }
        for always in ["64bit", "cmov", "cx8", "fxsr", "mmx", "sse", "sse2", "x87"] {
            assert!(ours.contains(&always), "{always}");
        }
    }

    #[test]
    fn riscv_isa_strings_become_llvm_features() {
        assert_eq!(
            riscv_isa_features("rv64imafdcv_zicsr_zba_zbb"),
            ["a", "c", "d", "f", "i", "m", "v", "zba", "zbb", "zicsr"]
        );
        assert_eq!(
            riscv_isa_features("rv64gc"),
            ["a", "c", "d", "f", "i", "m", "zicsr", "zifencei"]
        );
        assert_eq!(riscv_isa_features("garbage"), ["a", "d", "f", "i", "m"]);
    }
}
