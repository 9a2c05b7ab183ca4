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

#[cfg(target_arch = "x86_64")]
fn detect() -> Vec<&'static str> {
    use std::arch::is_x86_feature_detected as has;
    // Always present on x86_64; LLVM lists them when it expands a CPU name.
    let mut out = vec!["64bit", "cmov", "cx8", "fxsr", "mmx", "sse", "sse2", "x87"];
    let detected = [
        ("sse3", has!("sse3")),
        ("ssse3", has!("ssse3")),
        ("sse4.1", has!("sse4.1")),
        ("sse4.2", has!("sse4.2")),
        ("crc32", has!("sse4.2")),
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
        ("aes", has!("aes")),
        ("pclmul", has!("pclmulqdq")),
        ("sha", has!("sha")),
        ("adx", has!("adx")),
        ("rdrnd", has!("rdrand")),
        ("rdseed", has!("rdseed")),
        ("xsave", has!("xsave")),
        ("xsaveopt", has!("xsaveopt")),
        ("xsavec", has!("xsavec")),
        ("xsaves", has!("xsaves")),
        ("avx512f", has!("avx512f")),
        ("evex512", has!("avx512f")),
        ("avx512cd", has!("avx512cd")),
        ("avx512bw", has!("avx512bw")),
        ("avx512dq", has!("avx512dq")),
        ("avx512vl", has!("avx512vl")),
        ("avx512ifma", has!("avx512ifma")),
        ("avx512vbmi", has!("avx512vbmi")),
        ("avx512vbmi2", has!("avx512vbmi2")),
        ("avx512vnni", has!("avx512vnni")),
        ("avx512bitalg", has!("avx512bitalg")),
        ("avx512vpopcntdq", has!("avx512vpopcntdq")),
        ("avx512bf16", has!("avx512bf16")),
        ("gfni", has!("gfni")),
        ("vaes", has!("vaes")),
        ("vpclmulqdq", has!("vpclmulqdq")),
    ];
    out.extend(detected.iter().filter(|(_, on)| *on).map(|(name, _)| *name));
    // LAHF/SAHF in 64-bit mode and PREFETCHW: CPUID 0x8000_0001, ECX bits 0
    // and 8. Every x86_64 CPU implements that leaf.
    #[allow(unused_unsafe)]
    // SAFETY: CPUID is available on every x86_64 processor and only reads.
    let ecx = unsafe { std::arch::x86_64::__cpuid(0x8000_0001) }.ecx;
    if ecx & 1 != 0 {
        out.push("sahf");
    }
    if ecx & (1 << 8) != 0 {
        out.push("prfchw");
    }
    out.extend(cpuid_leaf7_features());
    out
}

/// Features `is_x86_feature_detected!` does not know, read from CPUID leaf
/// 7 (sub-leaves 0 and 1) and leaf 0x24 (AVX10), as LLVM's host detection
/// names them: `--cpu=native` records them, so the loader must see them.
#[cfg(target_arch = "x86_64")]
fn cpuid_leaf7_features() -> Vec<&'static str> {
    use std::arch::x86_64::__cpuid_count;
    #[allow(unused_unsafe)]
    // SAFETY: CPUID exists on every x86_64 processor and only reads; leaves
    // above the maximum reported by leaf 0 are not queried.
    let max_leaf = unsafe { __cpuid_count(0, 0) }.eax;
    if max_leaf < 7 {
        return Vec::new();
    }
    #[allow(unused_unsafe)]
    // SAFETY: as above; leaf 7 is within the maximum.
    let (l7, l7_1) = unsafe { (__cpuid_count(7, 0), __cpuid_count(7, 1)) };
    let bit = |reg: u32, n: u32| reg & (1 << n) != 0;
    let table: [(&str, bool); 28] = [
        ("fsgsbase", bit(l7.ebx, 0)),
        ("ermsb", bit(l7.ebx, 9)),
        ("invpcid", bit(l7.ebx, 10)),
        ("rtm", bit(l7.ebx, 11)),
        ("clflushopt", bit(l7.ebx, 23)),
        ("clwb", bit(l7.ebx, 24)),
        ("waitpkg", bit(l7.ecx, 5)),
        ("rdpid", bit(l7.ecx, 22)),
        ("cldemote", bit(l7.ecx, 25)),
        ("movdiri", bit(l7.ecx, 27)),
        ("movdir64b", bit(l7.ecx, 28)),
        ("enqcmd", bit(l7.ecx, 29)),
        ("fsrm", bit(l7.edx, 4)),
        ("uintr", bit(l7.edx, 5)),
        ("serialize", bit(l7.edx, 14)),
        ("tsxldtrk", bit(l7.edx, 16)),
        ("amx-bf16", bit(l7.edx, 22)),
        ("avx512fp16", bit(l7.edx, 23)),
        ("amx-tile", bit(l7.edx, 24)),
        ("amx-int8", bit(l7.edx, 25)),
        ("avxvnni", bit(l7_1.eax, 4)),
        ("cmpccxadd", bit(l7_1.eax, 7)),
        ("amx-fp16", bit(l7_1.eax, 21)),
        ("avxifma", bit(l7_1.eax, 23)),
        ("avxvnniint8", bit(l7_1.edx, 4)),
        ("avxneconvert", bit(l7_1.edx, 5)),
        ("avxvnniint16", bit(l7_1.edx, 10)),
        ("prefetchi", bit(l7_1.edx, 14)),
    ];
    let mut out: Vec<&'static str> = table
        .iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| *n)
        .collect();
    if bit(l7_1.edx, 19) && max_leaf >= 0x24 {
        #[allow(unused_unsafe)]
        // SAFETY: as above; leaf 0x24 is within the maximum.
        let avx10 = unsafe { __cpuid_count(0x24, 0) }.ebx;
        if avx10 & 0xff >= 1 && bit(avx10, 17) {
            out.push("avx10.1-256");
        }
        if avx10 & 0xff >= 1 && bit(avx10, 18) {
            out.push("avx10.1-512");
        }
    }
    out
}

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
