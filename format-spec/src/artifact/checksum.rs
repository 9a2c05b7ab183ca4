//! The whole-file checksum: XXH64 (seed 0) of the file with the checksum's
//! own eight bytes counted as zero.
//!
//! It is verified on every load, so its speed is start-up time: XXH64
//! takes well under one instruction per byte (CRC-64, which format 1 and
//! 2 used, took about four with eight tables, a fifth of an artifact's
//! start-up). It catches accidental corruption (a truncated copy, a bad
//! sector, a flipped bit) with probability 1 - 2^-64; like the CRC before
//! it, it is no defence against a crafted file, which the loader's checks
//! handle.

use std::ops::Range;

use super::sections::{CHECKSUM_SECTION, CHECKSUM_SIZE};
use super::xxh64::Xxh64;
use super::ArtifactError;

const ZEROS: [u8; 64] = [0; 64];

/// The artifact checksum of `file`: XXH64 over all of it, with the bytes
/// inside `checksum_range` counted as zero. The parts of the range beyond
/// the end of the file are ignored, so this never panics.
pub fn compute_checksum(file: &[u8], checksum_range: Range<usize>) -> u64 {
    let mut s = ChecksumStream::new(checksum_range);
    s.update(file);
    s.finish()
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
    verify_checksum_with(file, checksum_range, |range| {
        Ok(compute_checksum(file, range))
    })
}

/// The checksum computed over the file's bytes given piece by piece, in
/// order (a loader reading the file with `pread` rather than through its
/// mapping, so that checking it faults no mapped page in).
#[derive(Clone, Debug)]
pub struct ChecksumStream {
    hash: Xxh64,
    at: usize,
    zero: Range<usize>,
}

impl ChecksumStream {
    /// A checksum whose bytes at `checksum_range` count as zero.
    pub fn new(checksum_range: Range<usize>) -> Self {
        ChecksumStream {
            hash: Xxh64::default(),
            at: 0,
            zero: checksum_range,
        }
    }

    /// Adds the next bytes of the file.
    pub fn update(&mut self, piece: &[u8]) {
        let start = self.at;
        let end = start + piece.len();
        let z0 = self.zero.start.clamp(start, end) - start;
        let z1 = self.zero.end.clamp(start, end) - start;
        self.hash.update(&piece[..z0]);
        let mut zeros = z1 - z0;
        while zeros > 0 {
            let n = zeros.min(ZEROS.len());
            self.hash.update(&ZEROS[..n]);
            zeros -= n;
        }
        self.hash.update(&piece[z1..]);
        self.at = end;
    }

    /// The checksum of the bytes given.
    pub fn finish(&self) -> u64 {
        self.hash.finish()
    }
}

/// [`verify_checksum`] with the checksum computed by `compute` (given
/// the range to count as zero); `file` gives the stored value and length.
pub fn verify_checksum_with(
    file: &[u8],
    checksum_range: Range<usize>,
    compute: impl FnOnce(Range<usize>) -> Result<u64, ArtifactError>,
) -> Result<(), ArtifactError> {
    check_range(file.len(), &checksum_range)?;
    let mut stored = [0u8; CHECKSUM_SIZE];
    stored.copy_from_slice(&file[checksum_range.clone()]);
    let stored = u64::from_le_bytes(stored);
    let computed = compute(checksum_range)?;
    if stored == computed {
        Ok(())
    } else {
        Err(ArtifactError::ChecksumMismatch { stored, computed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::artifact::xxh64::xxh64;

    #[test]
    fn the_checksum_range_counts_as_zero() {
        let mut file: Vec<u8> = (0..100u8).collect();
        let range = 40..48;
        let mut zeroed = file.clone();
        zeroed[range.clone()].fill(0);
        assert_eq!(compute_checksum(&file, range.clone()), xxh64(&zeroed));
        file[range.clone()].fill(0xee);
        assert_eq!(compute_checksum(&file, range), xxh64(&zeroed));
        assert_eq!(compute_checksum(&file, 98..200), {
            let mut z = file.clone();
            z[98..].fill(0);
            xxh64(&z)
        });
        assert_eq!(compute_checksum(&file, 500..600), xxh64(&file));
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
    fn streamed_pieces_agree_with_the_whole() {
        let file: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
        for split in [0, 1, 100, 104, 106, 999, 1000] {
            let mut s = ChecksumStream::new(100..108);
            s.update(&file[..split]);
            s.update(&file[split..]);
            assert_eq!(s.finish(), compute_checksum(&file, 100..108), "{split}");
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
