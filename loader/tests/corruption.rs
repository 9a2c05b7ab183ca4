//! Corrupt and wrong artifacts: thousands of deterministic cases, each
//! refused with a clear error or (where the change cannot matter) loaded
//! correctly. None may crash or hang.
//!
//! - every truncation of the x86_64 test artifact;
//! - a bit flip in every byte (and all 8 bits of every 5th byte): the
//!   checksum covers the whole file, so every one is refused;
//! - the same flips with the checksum re-sealed afterwards, which drives
//!   the corruption past the checksum into the ELF, symbol and relocation
//!   checks: each is refused or loads;
//!
//! Named refusals (versions, targets, CPU features, ...) are in
//! `refusals.rs`.

mod common;

use std::ops::Range;

use common::*;
use kiln_format::artifact::*;
use kiln_loader::load;

/// Whether `e` comes from the checks made before or by the checksum
/// (SPEC.md 4.1 steps 1 to 3), as every refusal of an unsealed change
/// must.
fn before_checksum(e: &ArtifactError) -> bool {
    match e {
        ArtifactError::NotElf(_)
        | ArtifactError::BadElf(_)
        | ArtifactError::MissingSection(_)
        | ArtifactError::UnsupportedVersion { .. }
        | ArtifactError::ChecksumMismatch { .. } => true,
        ArtifactError::BadSection { section, .. } => {
            section == HEADER_SECTION || section == CHECKSUM_SECTION
        }
        _ => false,
    }
}

/// Flips each bit in `bits` of `good` (and reseals at `reseal` if given),
/// loads each for a host of `arch`, and counts (refused, loaded).
fn flips(
    arch: Arch,
    good: &[u8],
    bits: &[usize],
    reseal_at: Option<Range<usize>>,
) -> (usize, usize) {
    let functions = load(good, &opts_for(arch))
        .unwrap()
        .metadata()
        .functions
        .len();
    let (mut refused, mut loaded) = (0, 0);
    for &bit in bits {
        let mut bad = good.to_vec();
        bad[bit / 8] ^= 1 << (bit % 8);
        if let Some(range) = &reseal_at {
            if range.contains(&(bit / 8)) {
                continue;
            }
            reseal(&mut bad, range.clone());
        }
        match load(&bad, &opts_for(arch)) {
            Ok(l) => {
                assert_eq!(l.metadata().functions.len(), functions);
                loaded += 1;
            }
            Err(e) => {
                clear(&e);
                if reseal_at.is_none() {
                    let early = e.artifact_error().is_some_and(before_checksum);
                    assert!(early, "bit {bit}: {e}");
                }
                refused += 1;
            }
        }
    }
    (refused, loaded)
}

/// One bit of every byte (bit `i % 8` of byte `i`) plus all bits of every
/// 5th byte.
fn sample_bits(len: usize) -> Vec<usize> {
    let mut bits: Vec<usize> = (0..len).map(|i| i * 8 + i % 8).collect();
    bits.extend(
        (0..len)
            .step_by(5)
            .flat_map(|i| (0..8).map(move |b| i * 8 + b)),
    );
    bits.sort_unstable();
    bits.dedup();
    bits
}

#[test]
fn every_truncation_is_refused() {
    let good = x86_64().write();
    try_load(&good).unwrap();
    for len in 0..good.len() {
        let e = try_load(&good[..len])
            .err()
            .unwrap_or_else(|| panic!("length {len} loaded"));
        clear(&e);
    }
    // And one byte more is caught by the checksum.
    let mut longer = good.clone();
    longer.push(0);
    assert!(matches!(
        refusal(&longer),
        ArtifactError::ChecksumMismatch { .. }
    ));
    eprintln!("truncations: {} cases", good.len() + 1);
}

#[test]
fn every_bit_flip_is_refused() {
    let good = x86_64().write();
    let bits = sample_bits(good.len());
    let (refused, loaded) = flips(Arch::X86_64, &good, &bits, None);
    assert_eq!(loaded, 0);
    assert_eq!(refused, bits.len());
    eprintln!("bit flips: {refused} cases, all refused");
}

#[test]
fn resealed_bit_flips_are_refused_or_load() {
    for build in [x86_64(), aarch64(), riscv64()] {
        let good = build.write();
        let range = checksum_range(&good);
        let bits = sample_bits(good.len());
        let (refused, loaded) = flips(build.arch, &good, &bits, Some(range));
        // Flips in code and constants load (with different bytes); flips
        // in structure are refused.
        assert!(
            refused > 0 && loaded > 0,
            "{refused} refused, {loaded} loaded"
        );
        eprintln!(
            "resealed bit flips ({}): {refused} refused, {loaded} loaded",
            build.arch
        );
    }
}

#[test]
fn resealed_flips_in_every_section_header_field() {
    // All 8 bits of every byte of the section header table and ELF header.
    let good = x86_64().write();
    let range = checksum_range(&good);
    let shoff = u64::from_le_bytes(good[40..48].try_into().unwrap()) as usize;
    let bits: Vec<usize> = (0..64)
        .chain(shoff..good.len())
        .flat_map(|i| (0..8).map(move |b| i * 8 + b))
        .collect();
    let (refused, loaded) = flips(Arch::X86_64, &good, &bits, Some(range));
    assert!(refused > 1000, "{refused} refused, {loaded} loaded");
    eprintln!("resealed header flips: {refused} refused, {loaded} loaded");
}
