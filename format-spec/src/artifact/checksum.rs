//! The whole-file checksum: CRC-64/XZ.
//!
//! Parameters (as in the CRC catalogue): width 64, polynomial
//! `0x42f0e1eba9ea3693` (ECMA-182), reflected input and output (so the
//! table below uses the reversed polynomial `0xc96c5795d7870f42`), initial
//! value and final XOR both `0xffffffffffffffff`. The check value for the
//! ASCII bytes `123456789` is `0x995dc9bbdf1939fa`.
//!
//! The checksum covers every byte of the file, with the bytes of the
//! `.kiln.checksum` section's contents counted as zero. Any single-bit
//! change, and any burst of up to 64 bits, changes it.

use std::ops::Range;

use super::sections::{CHECKSUM_SECTION, CHECKSUM_SIZE};
use super::ArtifactError;

const POLY_REVERSED: u64 = 0xc96c_5795_d787_0f42;

const fn make_table() -> [u64; 256] {
    let mut table = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u64;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ POLY_REVERSED
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
}

static TABLE: [u64; 256] = make_table();

fn update(mut crc: u64, bytes: impl Iterator<Item = u8>) -> u64 {
    for b in bytes {
        crc = TABLE[((crc ^ b as u64) & 0xff) as usize] ^ (crc >> 8);
    }
    crc
}

/// CRC-64/XZ of `bytes`.
pub fn crc64(bytes: &[u8]) -> u64 {
    !update(!0, bytes.iter().copied())
}

/// The artifact checksum of `file`: CRC-64/XZ over all of it, with the
/// bytes inside `checksum_range` counted as zero. The parts of the range
/// beyond the end of the file are ignored, so this never panics.
pub fn compute_checksum(file: &[u8], checksum_range: Range<usize>) -> u64 {
    let start = checksum_range.start.min(file.len());
    let end = checksum_range.end.clamp(start, file.len());
    let crc = update(!0, file[..start].iter().copied());
    let crc = update(crc, std::iter::repeat_n(0u8, end - start));
    !update(crc, file[end..].iter().copied())
}

fn check_range(file_len: usize, range: &Range<usize>) -> Result<(), ArtifactError> {
    if range.end.checked_sub(range.start) != Some(CHECKSUM_SIZE) || range.end > file_len {
        return Err(ArtifactError::BadSection {
            section: CHECKSUM_SECTION.into(),
            reason: format!(
                "contents must be {CHECKSUM_SIZE} bytes inside the file, found {range:?} \
                 in a file of {file_len} bytes"
            ),
        });
    }
    Ok(())
}

/// Computes the checksum of `file` and stores it little-endian in
/// `checksum_range` (the file range of `.kiln.checksum`'s contents).
/// This is the last step of writing an artifact.
pub fn seal_checksum(file: &mut [u8], checksum_range: Range<usize>) -> Result<u64, ArtifactError> {
    check_range(file.len(), &checksum_range)?;
    let sum = compute_checksum(file, checksum_range.clone());
    file[checksum_range].copy_from_slice(&sum.to_le_bytes());
    Ok(sum)
}

/// Checks the checksum stored in `checksum_range` against the file.
pub fn verify_checksum(file: &[u8], checksum_range: Range<usize>) -> Result<(), ArtifactError> {
    check_range(file.len(), &checksum_range)?;
    let mut stored = [0u8; CHECKSUM_SIZE];
    stored.copy_from_slice(&file[checksum_range.clone()]);
    let stored = u64::from_le_bytes(stored);
    let computed = compute_checksum(file, checksum_range);
    if stored == computed {
        Ok(())
    } else {
        Err(ArtifactError::ChecksumMismatch { stored, computed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_catalogue_check_value() {
        assert_eq!(crc64(b"123456789"), 0x995d_c9bb_df19_39fa);
        assert_eq!(crc64(b""), 0);
    }

    #[test]
    fn the_checksum_range_counts_as_zero() {
        let mut file: Vec<u8> = (0..100u8).collect();
        let range = 40..48;
        let mut zeroed = file.clone();
        zeroed[range.clone()].fill(0);
        assert_eq!(compute_checksum(&file, range.clone()), crc64(&zeroed));
        file[range.clone()].fill(0xee);
        assert_eq!(compute_checksum(&file, range), crc64(&zeroed));
        assert_eq!(compute_checksum(&file, 98..200), {
            let mut z = file.clone();
            z[98..].fill(0);
            crc64(&z)
        });
        assert_eq!(compute_checksum(&file, 500..600), crc64(&file));
    }

    #[test]
    fn detects_every_single_bit_flip() {
        let mut file: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        let range = 128..136;
        seal_checksum(&mut file, range.clone()).unwrap();
        verify_checksum(&file, range.clone()).unwrap();
        for bit in 0..file.len() * 8 {
            let mut bad = file.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            assert!(
                matches!(
                    verify_checksum(&bad, range.clone()),
                    Err(ArtifactError::ChecksumMismatch { .. })
                ),
                "bit {bit}"
            );
        }
    }

    #[test]
    fn refuses_bad_ranges() {
        let mut file = vec![0u8; 16];
        assert!(seal_checksum(&mut file, 12..20).is_err());
        assert!(verify_checksum(&file, 0..4).is_err());
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = 9..1;
        assert!(verify_checksum(&file, backwards).is_err());
    }
}
