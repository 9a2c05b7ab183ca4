//! x86-64 CPU features from CPUID, named and gated the way LLVM's own host
//! detection (`sys::getHostCPUFeatures`, LLVM 19) names and gates them.
//!
//! `kilnc --cpu=native` records exactly what LLVM detects on the host, on
//! Intel and AMD alike (AMD's extended leaves `0x8000_0001` and
//! `0x8000_0008` included), so the loader must see the same set or the
//! host refuses its own artifact. Features whose registers need operating
//! system support (AVX, AVX-512, AMX) count only when XCR0 says the OS
//! saves that state, as in LLVM.

use std::arch::x86_64::{__cpuid_count, CpuidResult};

/// What an absent leaf reports: nothing.
const ABSENT: CpuidResult = CpuidResult {
    eax: 0,
    ebx: 0,
    ecx: 0,
    edx: 0,
};

/// CPUID `leaf`/`sub`, or [`ABSENT`] above the leaf range the CPU reports.
fn cpuid(leaf: u32, sub: u32, max: u32) -> CpuidResult {
    if leaf > max {
        return ABSENT;
    }
    #[allow(unused_unsafe)]
    // SAFETY: CPUID exists on every x86_64 processor and only reads
    // identification registers; `leaf` is within the reported maximum.
    unsafe {
        __cpuid_count(leaf, sub)
    }
}

fn bit(reg: u32, n: u32) -> bool {
    reg & (1 << n) != 0
}

/// The OS-saved state components (XCR0), when XSAVE is enabled by the OS.
fn xcr0(leaf1_ecx: u32) -> Option<u64> {
    // OSXSAVE: the OS has set CR4.OSXSAVE, so XGETBV may be executed.
    if !bit(leaf1_ecx, 27) {
        return None;
    }
    // SAFETY: XGETBV with ECX=0 is valid whenever CPUID reports OSXSAVE,
    // checked above; it only reads XCR0.
    Some(unsafe { std::arch::x86_64::_xgetbv(0) })
}

/// The CPUID leaves and XCR0 the features are read from.
struct Leaves {
    l1: CpuidResult,
    e1: CpuidResult,
    e8: CpuidResult,
    l7: CpuidResult,
    l7_1: CpuidResult,
    ld_1: CpuidResult,
    l14: CpuidResult,
    l19: CpuidResult,
    l24: CpuidResult,
    xcr0: Option<u64>,
}

impl Leaves {
    /// This CPU's.
    fn read() -> Leaves {
        let max = cpuid(0, 0, 0).eax;
        let l1 = cpuid(1, 0, max);
        let max_ext = cpuid(0x8000_0000, 0, u32::MAX).eax;
        let max_ext = if max_ext >= 0x8000_0000 { max_ext } else { 0 };
        let l7 = cpuid(7, 0, max);
        Leaves {
            l1,
            // Extended leaves count from 0x8000_0000; the maximum is compared as is.
            e1: cpuid(0x8000_0001, 0, max_ext),
            e8: cpuid(0x8000_0008, 0, max_ext),
            l7,
            // Leaf 7's EAX is its highest sub-leaf; some CPUs return junk above it.
            l7_1: if l7.eax >= 1 {
                cpuid(7, 1, max)
            } else {
                ABSENT
            },
            ld_1: cpuid(0xd, 1, max),
            l14: cpuid(0x14, 0, max),
            l19: cpuid(0x19, 0, max),
            l24: cpuid(0x24, 0, max),
            xcr0: xcr0(l1.ecx),
        }
    }

    /// A CPU with every bit set, whose features are every name known here.
    fn all() -> Leaves {
        let ones = CpuidResult {
            eax: u32::MAX,
            ebx: u32::MAX,
            ecx: u32::MAX,
            edx: u32::MAX,
        };
        Leaves {
            l1: ones,
            e1: ones,
            e8: ones,
            l7: ones,
            l7_1: ones,
            ld_1: ones,
            l14: ones,
            l19: ones,
            l24: ones,
            xcr0: Some(u64::MAX),
        }
    }
}

/// Every feature this CPU has, by LLVM's name.
pub(super) fn detect() -> Vec<&'static str> {
    features(&Leaves::read())
}

/// Every name [`detect`] can report.
pub(super) fn known() -> Vec<&'static str> {
    features(&Leaves::all())
}

fn features(r: &Leaves) -> Vec<&'static str> {
    let Leaves {
        l1,
        e1,
        e8,
        l7,
        l7_1,
        ld_1,
        l14,
        l19,
        l24,
        xcr0,
    } = *r;
    let avx_save = xcr0.is_some_and(|x| bit(l1.ecx, 28) && x & 0x6 == 0x6);
    let avx512_save = avx_save && xcr0.is_some_and(|x| x & 0xe0 == 0xe0);
    let amx_save = xcr0.is_some_and(|x| x & 0x6_0000 == 0x6_0000);
    let apx = bit(l7_1.edx, 21);
    let avx10_256 = bit(l7_1.edx, 19);

    let table: &[(&'static str, bool)] = &[
        // Leaf 1.
        ("cx8", bit(l1.edx, 8)),
        ("cmov", bit(l1.edx, 15)),
        ("mmx", bit(l1.edx, 23)),
        ("fxsr", bit(l1.edx, 24)),
        ("sse", bit(l1.edx, 25)),
        ("sse2", bit(l1.edx, 26)),
        ("sse3", bit(l1.ecx, 0)),
        ("pclmul", bit(l1.ecx, 1)),
        ("ssse3", bit(l1.ecx, 9)),
        ("cx16", bit(l1.ecx, 13)),
        ("sse4.1", bit(l1.ecx, 19)),
        ("sse4.2", bit(l1.ecx, 20)),
        ("crc32", bit(l1.ecx, 20)),
        ("movbe", bit(l1.ecx, 22)),
        ("popcnt", bit(l1.ecx, 23)),
        ("aes", bit(l1.ecx, 25)),
        ("rdrnd", bit(l1.ecx, 30)),
        ("avx", avx_save),
        ("fma", bit(l1.ecx, 12) && avx_save),
        ("xsave", bit(l1.ecx, 26) && avx_save),
        ("f16c", bit(l1.ecx, 29) && avx_save),
        // AMD's extended leaf 0x8000_0001.
        ("sahf", bit(e1.ecx, 0)),
        ("lzcnt", bit(e1.ecx, 5)),
        ("sse4a", bit(e1.ecx, 6)),
        ("prfchw", bit(e1.ecx, 8)),
        ("xop", bit(e1.ecx, 11) && avx_save),
        ("lwp", bit(e1.ecx, 15)),
        ("fma4", bit(e1.ecx, 16) && avx_save),
        ("tbm", bit(e1.ecx, 21)),
        ("mwaitx", bit(e1.ecx, 29)),
        ("64bit", bit(e1.edx, 29)),
        // Extended leaf 0x8000_0008.
        ("clzero", bit(e8.ebx, 0)),
        ("rdpru", bit(e8.ebx, 4)),
        ("wbnoinvd", bit(e8.ebx, 9)),
        // Leaf 7, sub-leaf 0.
        ("fsgsbase", bit(l7.ebx, 0)),
        ("sgx", bit(l7.ebx, 2)),
        ("bmi", bit(l7.ebx, 3)),
        ("avx2", bit(l7.ebx, 5) && avx_save),
        ("bmi2", bit(l7.ebx, 8)),
        ("ermsb", bit(l7.ebx, 9)),
        ("invpcid", bit(l7.ebx, 10)),
        ("rtm", bit(l7.ebx, 11)),
        ("avx512f", bit(l7.ebx, 16) && avx512_save),
        ("evex512", bit(l7.ebx, 16) && avx512_save),
        ("avx512dq", bit(l7.ebx, 17) && avx512_save),
        ("rdseed", bit(l7.ebx, 18)),
        ("adx", bit(l7.ebx, 19)),
        ("avx512ifma", bit(l7.ebx, 21) && avx512_save),
        ("clflushopt", bit(l7.ebx, 23)),
        ("clwb", bit(l7.ebx, 24)),
        ("avx512cd", bit(l7.ebx, 28) && avx512_save),
        ("sha", bit(l7.ebx, 29)),
        ("avx512bw", bit(l7.ebx, 30) && avx512_save),
        ("avx512vl", bit(l7.ebx, 31) && avx512_save),
        ("prefetchwt1", bit(l7.ecx, 0)),
        ("avx512vbmi", bit(l7.ecx, 1) && avx512_save),
        ("pku", bit(l7.ecx, 4)),
        ("waitpkg", bit(l7.ecx, 5)),
        ("avx512vbmi2", bit(l7.ecx, 6) && avx512_save),
        ("shstk", bit(l7.ecx, 7)),
        ("gfni", bit(l7.ecx, 8)),
        ("vaes", bit(l7.ecx, 9) && avx_save),
        ("vpclmulqdq", bit(l7.ecx, 10) && avx_save),
        ("avx512vnni", bit(l7.ecx, 11) && avx512_save),
        ("avx512bitalg", bit(l7.ecx, 12) && avx512_save),
        ("avx512vpopcntdq", bit(l7.ecx, 14) && avx512_save),
        ("rdpid", bit(l7.ecx, 22)),
        ("kl", bit(l7.ecx, 23)),
        ("cldemote", bit(l7.ecx, 25)),
        ("movdiri", bit(l7.ecx, 27)),
        ("movdir64b", bit(l7.ecx, 28)),
        ("enqcmd", bit(l7.ecx, 29)),
        ("fsrm", bit(l7.edx, 4)),
        ("uintr", bit(l7.edx, 5)),
        ("avx512vp2intersect", bit(l7.edx, 8) && avx512_save),
        ("serialize", bit(l7.edx, 14)),
        ("tsxldtrk", bit(l7.edx, 16)),
        ("pconfig", bit(l7.edx, 18)),
        ("amx-bf16", bit(l7.edx, 22) && amx_save),
        ("avx512fp16", bit(l7.edx, 23) && avx512_save),
        ("amx-tile", bit(l7.edx, 24) && amx_save),
        ("amx-int8", bit(l7.edx, 25) && amx_save),
        // Leaf 7, sub-leaf 1.
        ("sha512", bit(l7_1.eax, 0)),
        ("sm3", bit(l7_1.eax, 1)),
        ("sm4", bit(l7_1.eax, 2)),
        ("raoint", bit(l7_1.eax, 3)),
        ("avxvnni", bit(l7_1.eax, 4) && avx_save),
        ("avx512bf16", bit(l7_1.eax, 5) && avx512_save),
        ("cmpccxadd", bit(l7_1.eax, 7)),
        ("amx-fp16", bit(l7_1.eax, 21) && amx_save),
        ("hreset", bit(l7_1.eax, 22)),
        ("avxifma", bit(l7_1.eax, 23) && avx_save),
        ("avxvnniint8", bit(l7_1.edx, 4) && avx_save),
        ("avxneconvert", bit(l7_1.edx, 5) && avx_save),
        ("amx-complex", bit(l7_1.edx, 8) && amx_save),
        ("avxvnniint16", bit(l7_1.edx, 10) && avx_save),
        ("prefetchi", bit(l7_1.edx, 14)),
        ("usermsr", bit(l7_1.edx, 15)),
        ("avx10.1-256", avx10_256),
        ("avx10.1-512", avx10_256 && bit(l24.ebx, 18)),
        ("egpr", apx),
        ("push2pop2", apx),
        ("ppx", apx),
        ("ndd", apx),
        ("ccmp", apx),
        ("cf", apx),
        ("nf", apx),
        ("zu", apx),
        // Leaves 0xd (sub-leaf 1), 0x14 and 0x19.
        ("xsaveopt", bit(ld_1.eax, 0) && avx_save),
        ("xsavec", bit(ld_1.eax, 1) && avx_save),
        ("xsaves", bit(ld_1.eax, 3) && avx_save),
        ("ptwrite", bit(l14.ebx, 4)),
        ("widekl", bit(l19.ebx, 2)),
    ];
    // x87 is part of every x86_64 CPU; LLVM lists it when it expands a CPU.
    let mut out = vec!["x87"];
    out.extend(table.iter().filter(|(_, on)| *on).map(|(name, _)| *name));
    out
}
