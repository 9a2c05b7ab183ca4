//! Mutated artifacts through the loader. A raw mutation must be refused
//! (the checksum covers the whole file); the same mutation with the
//! checksum sealed again must be refused with an error or load. Neither may
//! panic. (A crash or a hang ends the process; the fuzzer reports those.)
//! Loaded code is never run: code that passes every check is trusted.

use crate::values::SplitMix;
use kiln_format::artifact::seal_checksum;
use kiln_loader::{load, LoadOptions};
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What the loader did with one mutation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    /// The raw mutation was refused (it always must be, unless unchanged).
    pub raw_refused: bool,
    /// With the checksum sealed again: `Some(true)` loaded, `Some(false)`
    /// refused, `None` when the mutated file has no findable checksum section.
    pub resealed_loaded: Option<bool>,
}

/// Every undefined symbol resolves to an address that is never called.
fn resolver(_: &str) -> Option<usize> {
    Some(0x1000)
}

/// Whether the loader accepts `bytes`; a panic is an error in Kiln.
fn loads(bytes: &[u8]) -> Result<bool, String> {
    let opts = LoadOptions::new(&resolver);
    catch_unwind(AssertUnwindSafe(|| load(bytes, &opts).is_ok()))
        .map_err(|_| "the loader panicked".to_string())
}

/// Checks `mutated`, a mutation of `original`; `Err` describes a violation.
pub fn check(original: &[u8], mutated: &[u8]) -> Result<Verdict, String> {
    let raw_loaded = loads(mutated)?;
    if raw_loaded && mutated != original {
        return Err("a changed artifact loaded without resealing its checksum".into());
    }
    let mut verdict = Verdict {
        raw_refused: !raw_loaded,
        resealed_loaded: None,
    };
    if let Some(range) = checksum_range(mutated) {
        let mut sealed = mutated.to_vec();
        if seal_checksum(&mut sealed, range).is_ok() {
            verdict.resealed_loaded = Some(loads(&sealed)?);
        }
    }
    Ok(verdict)
}

/// Whether `bytes` carry a findable checksum section whose value matches.
pub fn checksum_is_valid(bytes: &[u8]) -> bool {
    checksum_range(bytes).is_some_and(|r| kiln_format::artifact::verify_checksum(bytes, r).is_ok())
}

/// The file range of `.kiln.checksum`'s contents, read leniently from a
/// possibly damaged ELF64 little-endian file.
pub fn checksum_range(b: &[u8]) -> Option<Range<usize>> {
    let u16_at = |o: usize| Some(u16::from_le_bytes(b.get(o..o + 2)?.try_into().ok()?));
    let u32_at = |o: usize| Some(u32::from_le_bytes(b.get(o..o + 4)?.try_into().ok()?));
    let u64_at = |o: usize| Some(u64::from_le_bytes(b.get(o..o + 8)?.try_into().ok()?));
    let shoff = usize::try_from(u64_at(0x28)?).ok()?;
    let shentsize = usize::from(u16_at(0x3a)?);
    let shnum = usize::from(u16_at(0x3c)?);
    let shstrndx = usize::from(u16_at(0x3e)?);
    if shentsize < 0x28 {
        return None;
    }
    let header = |i: usize| shoff.checked_add(i.checked_mul(shentsize)?);
    let field =
        |h: usize, at: usize| u64_at(h.checked_add(at)?).and_then(|v| usize::try_from(v).ok());
    let strtab = field(header(shstrndx)?, 0x18)?;
    let want = kiln_format::artifact::CHECKSUM_SECTION.as_bytes();
    (0..shnum).find_map(|i| {
        let h = header(i)?;
        let name = strtab.checked_add(usize::try_from(u32_at(h)?).ok()?)?;
        let name_end = name.checked_add(want.len())?;
        if b.get(name..name_end)? != want || b.get(name_end) != Some(&0) {
            return None;
        }
        let start = field(h, 0x18)?;
        let size = field(h, 0x20)?;
        Some(start..start.checked_add(size)?)
    })
}

/// Applies one to four random changes to a copy of `original`: bit flips,
/// random bytes, interesting integers (often in the ELF and section
/// headers, where parsing starts), truncation, and copied or inserted
/// chunks.
pub fn mutate(original: &[u8], rng: &mut SplitMix) -> Vec<u8> {
    let mut b = original.to_vec();
    for _ in 0..=rng.below(4) {
        if b.is_empty() {
            b.push(rng.next_u64() as u8);
        }
        let at = offset(&b, rng);
        match rng.below(8) {
            0 | 1 => b[at] ^= 1 << rng.below(8),
            2 => b[at] = rng.next_u64() as u8,
            3 | 4 => {
                const EDGES: [u64; 8] = [
                    0,
                    1,
                    0x7f,
                    0xff,
                    0x7fff_ffff,
                    u32::MAX as u64,
                    u64::MAX,
                    1 << 40,
                ];
                let v = match rng.below(3) {
                    0 => EDGES[rng.below(8) as usize],
                    1 => b.len() as u64 + rng.below(64) - 32,
                    _ => rng.below(4096),
                };
                let width = [2, 4, 8][rng.below(3) as usize];
                let end = (at + width).min(b.len());
                b[at..end].copy_from_slice(&v.to_le_bytes()[..end - at]);
            }
            5 => b.truncate(at),
            6 => {
                let len = (rng.below(64) as usize).min(b.len() - at);
                let from = rng.below(b.len() as u64) as usize;
                let chunk: Vec<u8> = b[from..(from + len).min(b.len())].to_vec();
                b[at..at + chunk.len()].copy_from_slice(&chunk);
            }
            _ => {
                let chunk: Vec<u8> = (0..rng.below(16)).map(|_| rng.next_u64() as u8).collect();
                b.splice(at..at, chunk);
            }
        }
    }
    b
}

/// An offset in `b` (non-empty): a third of the time in the ELF header,
/// a third in the section header table, otherwise anywhere.
fn offset(b: &[u8], rng: &mut SplitMix) -> usize {
    let n = b.len() as u64;
    let shoff = b
        .get(0x28..0x30)
        .map_or(0, |s| u64::from_le_bytes(s.try_into().unwrap_or_default()));
    let at = match rng.below(3) {
        0 => rng.below(64),
        1 if shoff < n => shoff + rng.below(n - shoff),
        _ => rng.below(n),
    };
    (at % n) as usize
}

/// Totals of a mutation run.
#[derive(Clone, Copy, Debug, Default)]
pub struct Totals {
    /// Mutations tried.
    pub mutations: u64,
    /// Mutations that left the file as it was.
    pub unchanged: u64,
    /// Raw mutations refused.
    pub raw_refused: u64,
    /// Resealed mutations that loaded.
    pub resealed_loaded: u64,
    /// Resealed mutations refused.
    pub resealed_refused: u64,
    /// Mutations whose checksum section could not be found to reseal.
    pub unsealable: u64,
}

/// Runs `count` seeded mutations of the `corpus` artifacts, stopping at the
/// first violation.
pub fn run(corpus: &[Vec<u8>], count: u64, seed: u64) -> Result<Totals, String> {
    let mut rng = SplitMix::new(seed);
    let mut t = Totals::default();
    if corpus.is_empty() {
        return Err("no artifacts to mutate".into());
    }
    for i in 0..count {
        let original = &corpus[rng.below(corpus.len() as u64) as usize];
        let mutated = mutate(original, &mut rng);
        let v =
            check(original, &mutated).map_err(|e| format!("mutation {i} (seed {seed}): {e}"))?;
        t.mutations += 1;
        t.unchanged += u64::from(mutated == *original);
        t.raw_refused += u64::from(v.raw_refused);
        match v.resealed_loaded {
            Some(true) => t.resealed_loaded += 1,
            Some(false) => t.resealed_refused += 1,
            None => t.unsealable += 1,
        }
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn artifact() -> Vec<u8> {
        let wasm = wat::parse_str(
            r#"(module (memory 1) (func (export "f") (param i32) (result i32)
                 (i32.load (local.get 0))))"#,
        )
        .unwrap();
        let target = kiln_compiler::TargetSpec::host().unwrap();
        kiln_compiler::compile_artifact(&wasm, &kiln_compiler::CompileOptions::new(target)).unwrap()
    }

    #[test]
    fn the_checksum_section_is_found_and_the_original_loads() {
        let a = artifact();
        let r = checksum_range(&a).expect("found");
        assert_eq!(r.len(), 8);
        let v = check(&a, &a).unwrap();
        assert_eq!(
            v,
            Verdict {
                raw_refused: false,
                resealed_loaded: Some(true)
            }
        );
    }

    #[test]
    fn seeded_mutations_are_refused_raw_and_never_panic() {
        let t = run(&[artifact()], 300, 7).unwrap();
        assert_eq!(t.mutations, 300);
        assert_eq!(t.raw_refused + t.unchanged, 300, "{t:?}");
        assert!(t.unchanged < 10, "{t:?}");
        assert!(t.resealed_refused > 0, "{t:?}");
    }

    #[test]
    fn section_headers_near_the_address_limit_are_not_followed() {
        let mut a = artifact();
        a[0x28..0x30].copy_from_slice(&(u64::MAX - 8).to_le_bytes());
        assert_eq!(checksum_range(&a), None);
        assert!(!checksum_is_valid(&a));
    }

    #[test]
    fn trailing_bytes_are_refused_by_the_checksum() {
        let a = artifact();
        let mut b = a.clone();
        b.push(0);
        // Trailing bytes change the file, so the checksum refuses it.
        assert!(check(&a, &b).unwrap().raw_refused);
    }
}
