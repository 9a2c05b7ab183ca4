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

/// `TABLES[0]` is the byte-at-a-time table; `TABLES[k][b]` is the CRC
/// of byte `b` followed by `k` zero bytes, so eight bytes can be folded at
/// once ("slicing by 8"): the file is checked on every load, and one table
/// lookup per byte made it a fifth of an artifact's start-up time.
const fn make_tables() -> [[u64; 256]; 8] {
    let mut tables = [[0u64; 256]; 8];
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
        tables[0][i] = crc;
        i += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut i = 0;
        while i < 256 {
            let prev = tables[k - 1][i];
            tables[k][i] = tables[0][(prev & 0xff) as usize] ^ (prev >> 8);
            i += 1;
        }
        k += 1;
    }
    tables
}

static TABLES: [[u64; 256]; 8] = make_tables();

fn update_byte(crc: u64, b: u8) -> u64 {
    TABLES[0][((crc ^ b as u64) & 0xff) as usize] ^ (crc >> 8)
}

fn update(mut crc: u64, bytes: &[u8]) -> u64 {
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let v = crc ^ u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        crc = TABLES[7][(v & 0xff) as usize]
            ^ TABLES[6][((v >> 8) & 0xff) as usize]
            ^ TABLES[5][((v >> 16) & 0xff) as usize]
            ^ TABLES[4][((v >> 24) & 0xff) as usize]
            ^ TABLES[3][((v >> 32) & 0xff) as usize]
            ^ TABLES[2][((v >> 40) & 0xff) as usize]
            ^ TABLES[1][((v >> 48) & 0xff) as usize]
            ^ TABLES[0][(v >> 56) as usize];
    }
    words
        .remainder()
        .iter()
        .fold(crc, |c, &b| update_byte(c, b))
}

/// CRC-64/XZ of `bytes`.
pub fn crc64(bytes: &[u8]) -> u64 {
    !update(!0, bytes)
}

/// The artifact checksum of `file`: CRC-64/XZ over all of it, with the
/// bytes inside `checksum_range` counted as zero. The parts of the range
/// beyond the end of the file are ignored, so this never panics.
pub fn compute_checksum(file: &[u8], checksum_range: Range<usize>) -> u64 {
    let start = checksum_range.start.min(file.len());
    let end = checksum_range.end.clamp(start, file.len());
    let crc = update(!0, &file[..start]);
    let crc = (start..end).fold(crc, |c, _| update_byte(c, 0));
    !update(crc, &file[end..])
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
    crc: u64,
    at: usize,
    zero: Range<usize>,
}

impl ChecksumStream {
    /// A checksum whose bytes at `checksum_range` count as zero.
    pub fn new(checksum_range: Range<usize>) -> Self {
        ChecksumStream {
            crc: !0,
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
        self.crc = update(self.crc, &piece[..z0]);
        self.crc = (z0..z1).fold(self.crc, |c, _| update_byte(c, 0));
        self.crc = update(self.crc, &piece[z1..]);
        self.at = end;
    }

    /// The checksum of the bytes given.
    pub fn finish(&self) -> u64 {
        !self.crc
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

    /// The CRC bit by bit, straight from the definition.
    fn crc64_bitwise(bytes: &[u8]) -> u64 {
        let mut crc = !0u64;
        for &b in bytes {
            crc ^= b as u64;
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ POLY_REVERSED
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn eight_at_a_time_agrees_with_the_definition() {
        let data: Vec<u8> = (0u32..300)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for start in 0..9 {
            for end in (start..data.len()).step_by(7) {
                assert_eq!(
                    crc64(&data[start..end]),
                    crc64_bitwise(&data[start..end]),
                    "{start}..{end}"
                );
            }
        }
    }

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
