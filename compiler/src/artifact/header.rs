//! The artifact header: target, CPU features, flags, wasm hash.

use crate::options::CompileOptions;
use crate::target::Arch;
use kiln_format::artifact::{
    wasm_hash, ArtifactHeader, BoundsChecks, CompileFlags, FORMAT_VERSION,
};

/// Features of the x86-64 micro-architecture levels, cumulative, in LLVM
/// spelling (the loader's host detection uses the same names).
const X86_V1: &[&str] = &["cmov", "cx8", "fxsr", "mmx", "sse", "sse2", "x87"];
const X86_V2: &[&str] = &[
    "cx16", "popcnt", "sahf", "sse3", "sse4.1", "sse4.2", "ssse3",
];
const X86_V3: &[&str] = &[
    "avx", "avx2", "bmi", "bmi2", "f16c", "fma", "lzcnt", "movbe", "xsave",
];
const X86_V4: &[&str] = &[
    "avx512bw", "avx512cd", "avx512dq", "avx512f", "avx512vl", "evex512",
];

/// Every feature code compiled for `cpu` may use. The x86-64 levels are
/// known exactly; for other CPU names only the architecture baseline is
/// recorded (the loader then checks just the explicit `+features`).
fn implied_features(arch: Arch, cpu: &str) -> Vec<&'static str> {
    let levels: &[&[&str]] = match (arch, cpu) {
        (Arch::X86_64, "x86-64-v4") => &[X86_V1, X86_V2, X86_V3, X86_V4],
        (Arch::X86_64, "x86-64-v3") => &[X86_V1, X86_V2, X86_V3],
        (Arch::X86_64, "x86-64-v2") => &[X86_V1, X86_V2],
        (Arch::X86_64, _) => &[X86_V1],
        (Arch::Aarch64, _) => &[&["fp-armv8", "neon"]],
        (Arch::Riscv64, _) => &[&["a", "c", "d", "f", "m"]],
    };
    levels.iter().flat_map(|l| l.iter().copied()).collect()
}

/// x86-64 feature names a runtime can detect (the loader's list); `--cpu=native`
/// records only these, since the host offers them anyway.
const X86_CHECKABLE: &[&str] = &[
    "adx",
    "aes",
    "avx",
    "avx2",
    "avx512bf16",
    "avx512bitalg",
    "avx512bw",
    "avx512cd",
    "avx512dq",
    "avx512f",
    "avx512ifma",
    "avx512vbmi",
    "avx512vbmi2",
    "avx512vl",
    "avx512vnni",
    "avx512vpopcntdq",
    "bmi",
    "bmi2",
    "cmov",
    "crc32",
    "cx16",
    "cx8",
    "evex512",
    "f16c",
    "fma",
    "fxsr",
    "gfni",
    "lzcnt",
    "mmx",
    "movbe",
    "pclmul",
    "popcnt",
    "prfchw",
    "rdrnd",
    "rdseed",
    "sahf",
    "sha",
    "sse",
    "sse2",
    "sse3",
    "sse4.1",
    "sse4.2",
    "sse4a",
    "ssse3",
    "tbm",
    "vaes",
    "vpclmulqdq",
    "x87",
    "xsave",
    "xsavec",
    "xsaveopt",
    "xsaves",
];

/// The complete, sorted feature list for `opts`' target.
pub fn cpu_features(opts: &CompileOptions) -> Vec<String> {
    let t = &opts.target;
    let mut set: Vec<String> = implied_features(t.arch, &t.cpu)
        .iter()
        .map(|s| s.to_string())
        .collect();
    // A host feature string (`--cpu=native`) lists everything; keep what a
    // runtime can check.
    let from_host = t.features.split(',').count() > 40;
    for f in t.features.split(',').filter(|f| f.len() > 1) {
        let (sign, name) = f.split_at(1);
        if from_host && t.arch == Arch::X86_64 && !X86_CHECKABLE.contains(&name) {
            continue;
        }
        set.retain(|x| x != name);
        if sign == "+" {
            set.push(name.to_string());
        }
    }
    set.sort();
    set.dedup();
    set
}

/// The header of an artifact of `wasm` compiled with `opts`.
pub fn header(wasm: &[u8], opts: &CompileOptions, guard_size: u64) -> ArtifactHeader {
    ArtifactHeader {
        format_version: FORMAT_VERSION,
        compiler_version: format!("kilnc {} (LLVM 19)", env!("CARGO_PKG_VERSION")),
        target: opts.target.triple.clone(),
        cpu: opts.target.cpu.clone(),
        cpu_features: cpu_features(opts),
        flags: CompileFlags {
            opt_level: opts.opt_level,
            size_level: opts.size_level,
            bounds_checks: if opts.bounds_checks() {
                BoundsChecks::Explicit
            } else {
                BoundsChecks::GuardPages { guard_size }
            },
            llvm_passes: opts.llvm_passes.iter().cloned().collect(),
        },
        wasm_hash: wasm_hash(wasm),
    }
}
