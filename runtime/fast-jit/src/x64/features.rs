//! The host CPU features the x86-64 instruction selection uses, detected
//! at run time (SSE4.1 is the floor; AVX forms where the host has them).

/// CPU features the instruction selection uses when present.
#[derive(Clone, Copy, Debug)]
pub struct Features {
    /// `lzcnt`.
    pub lzcnt: bool,
    /// `tzcnt` (BMI1).
    pub bmi1: bool,
    /// `popcnt`.
    pub popcnt: bool,
    /// SSSE3 (`pshufb`, `pabs*`, `pmulhrsw`...).
    pub ssse3: bool,
    /// SSE4.1, the floor the Fast JIT requires.
    pub sse41: bool,
    /// SSE4.2 (`pcmpgtq`).
    pub sse42: bool,
    /// AVX: three-operand VEX forms.
    pub avx: bool,
    /// AVX2.
    pub avx2: bool,
}

impl Features {
    /// The host's features.
    pub fn host() -> Features {
        Features {
            lzcnt: std::arch::is_x86_feature_detected!("lzcnt"),
            bmi1: std::arch::is_x86_feature_detected!("bmi1"),
            popcnt: std::arch::is_x86_feature_detected!("popcnt"),
            ssse3: std::arch::is_x86_feature_detected!("ssse3"),
            sse41: std::arch::is_x86_feature_detected!("sse4.1"),
            sse42: std::arch::is_x86_feature_detected!("sse4.2"),
            avx: std::arch::is_x86_feature_detected!("avx"),
            avx2: std::arch::is_x86_feature_detected!("avx2"),
        }
    }
}
