//! Arguments for exported functions: a deterministic mix of edge values
//! (zero, ±1, extremes, NaNs, infinities, signed zeros) and random bits,
//! drawn from a seed so that every mode is called with the same ones.

use kiln_runtime::{Val, ValType};

/// A small deterministic generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct SplitMix(u64);

impl SplitMix {
    /// Starts at `seed`.
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

const I32_EDGES: [u32; 9] = [
    0,
    1,
    u32::MAX,
    0x8000_0000,
    0x7fff_ffff,
    0xffff,
    0x1_0000,
    8,
    0xff,
];
const I64_EDGES: [u64; 8] = [
    0,
    1,
    u64::MAX,
    1 << 63,
    u64::MAX >> 1,
    0xffff_ffff,
    1 << 32,
    16,
];
const F32_EDGES: [u32; 10] = [
    0,
    0x8000_0000,
    0x3f80_0000,
    0xbf80_0000,
    0x7f80_0000,
    0xff80_0000,
    0x7fc0_0000,
    0x4f00_0000,
    0xcf00_0000,
    0x0000_0001,
];
const F64_EDGES: [u64; 10] = [
    0,
    1 << 63,
    0x3ff0_0000_0000_0000,
    0xbff0_0000_0000_0000,
    0x7ff0_0000_0000_0000,
    0xfff0_0000_0000_0000,
    0x7ff8_0000_0000_0000,
    0x43e0_0000_0000_0000,
    0xc3e0_0000_0000_0000,
    1,
];

/// One argument per parameter type, drawn from `seed`. Floats are never
/// signalling NaNs: modules canonicalise NaNs, and a signalling argument
/// would only test the host's calling convention.
pub fn arguments(params: &[ValType], seed: u64) -> Vec<Val> {
    let mut rng = SplitMix::new(seed);
    params.iter().map(|t| argument(*t, &mut rng)).collect()
}

fn argument(ty: ValType, rng: &mut SplitMix) -> Val {
    let edge = rng.below(3) != 0;
    match ty {
        ValType::I32 if edge => Val::I32(pick(&I32_EDGES, rng) as i32),
        ValType::I32 => Val::I32(rng.next_u64() as i32),
        ValType::I64 if edge => Val::I64(pick(&I64_EDGES, rng) as i64),
        ValType::I64 => Val::I64(rng.next_u64() as i64),
        ValType::F32 if edge => Val::F32(pick(&F32_EDGES, rng)),
        ValType::F32 => Val::F32(f32::from(rng.next_u64() as i16).to_bits()),
        ValType::F64 if edge => Val::F64(pick(&F64_EDGES, rng)),
        ValType::F64 => Val::F64((rng.next_u64() as i32 as f64 / 7.0).to_bits()),
        ValType::V128 => {
            let lo = if edge {
                pick(&I64_EDGES, rng)
            } else {
                rng.next_u64()
            };
            Val::V128(u128::from(lo) | u128::from(rng.next_u64()) << 64)
        }
        ValType::FUNCREF => Val::FuncRef(None),
        ValType::EXTERNREF => Val::ExternRef(None),
    }
}

fn pick<T: Copy>(choices: &[T], rng: &mut SplitMix) -> T {
    choices[rng.below(choices.len() as u64) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_arguments() {
        let tys = [ValType::I32, ValType::F64, ValType::V128, ValType::I64];
        assert_eq!(arguments(&tys, 42), arguments(&tys, 42));
        let many: Vec<Vec<Val>> = (0..32).map(|s| arguments(&tys, s)).collect();
        assert!(
            many.iter().any(|a| *a != many[0]),
            "seeds vary the arguments"
        );
    }
}
