//! Reading bincode 2's standard encoding (SPEC.md 4.7), written out for
//! the artifact's own records ([`super::decode`]) instead of through
//! serde: every load decodes `.kiln.header` and `.kiln.meta`, and the
//! generic decoders were a sixth of the artifact-only `kiln` and most of
//! the decoding time. `kilnc` still encodes with bincode; the golden and
//! round-trip tests hold the two to the same bytes.
//!
//! A length is refused when it is larger than the bytes left (every
//! element takes at least one), so a corrupt length can never make the
//! reader allocate more than the section could describe.

/// A decoding failure, as a reason for `BadSection` or `Metadata`.
pub(crate) type WireResult<T> = Result<T, String>;

/// A cursor over encoded bytes.
pub(crate) struct Wire<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// Varint tags: a first byte below 251 is the value itself; these say
/// that a 2-, 4-, 8- or 16-byte little-endian value follows.
const U16_TAG: u8 = 251;
const U32_TAG: u8 = 252;
const U64_TAG: u8 = 253;
const U128_TAG: u8 = 254;

impl<'a> Wire<'a> {
    /// A cursor at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Wire { bytes, at: 0 }
    }

    /// Succeeds when every byte was read.
    pub fn finish(&self) -> WireResult<()> {
        match self.bytes.len() - self.at {
            0 => Ok(()),
            n => Err(format!("{n} trailing bytes")),
        }
    }

    fn left(&self) -> usize {
        self.bytes.len() - self.at
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> WireResult<&'a [u8]> {
        if n > self.left() {
            return Err(format!(
                "unexpected end: {n} bytes wanted at offset {}, {} left",
                self.at,
                self.left()
            ));
        }
        let bytes = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(bytes)
    }

    /// A raw byte (`u8` fields).
    pub fn u8(&mut self) -> WireResult<u8> {
        Ok(self.take(1)?[0])
    }

    /// `N` raw bytes (`[u8; N]` fields).
    pub fn array<const N: usize>(&mut self) -> WireResult<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn le(&mut self, n: usize) -> WireResult<u64> {
        let mut b = [0u8; 8];
        b[..n].copy_from_slice(self.take(n)?);
        Ok(u64::from_le_bytes(b))
    }

    /// An unsigned varint (`u16`, `u32`, `u64` and `usize` fields).
    pub fn u64(&mut self) -> WireResult<u64> {
        match self.u8()? {
            b @ 0..=250 => Ok(u64::from(b)),
            U16_TAG => self.le(2),
            U32_TAG => self.le(4),
            U64_TAG => self.le(8),
            U128_TAG => Err("a 128-bit integer where at most 64 bits fit".into()),
            _ => Err("invalid integer tag 255".into()),
        }
    }

    /// A `u32` varint.
    pub fn u32(&mut self) -> WireResult<u32> {
        let v = self.u64()?;
        u32::try_from(v).map_err(|_| format!("{v} does not fit a u32"))
    }

    /// A zigzag `i32` varint.
    pub fn i32(&mut self) -> WireResult<i32> {
        let v = self.u32()?;
        Ok((v >> 1) as i32 ^ -((v & 1) as i32))
    }

    /// A zigzag `i64` varint.
    pub fn i64(&mut self) -> WireResult<i64> {
        let v = self.u64()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// A `bool`: one byte, 0 or 1.
    pub fn bool(&mut self) -> WireResult<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(format!("invalid bool {b}")),
        }
    }

    /// An enum's variant index, below `count`.
    pub fn tag(&mut self, what: &str, count: u32) -> WireResult<u32> {
        let tag = self.u32()?;
        if tag < count {
            Ok(tag)
        } else {
            Err(format!("invalid {what} variant {tag}"))
        }
    }

    /// The length of a sequence or string: at most the bytes left.
    fn len(&mut self) -> WireResult<usize> {
        let n = self.u64()?;
        match usize::try_from(n) {
            Ok(n) if n <= self.left() => Ok(n),
            _ => Err(format!(
                "length {n} at offset {} is more than the {} bytes left",
                self.at,
                self.left()
            )),
        }
    }

    /// A UTF-8 string.
    pub fn string(&mut self) -> WireResult<String> {
        let n = self.len()?;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|e| format!("invalid string: {e}"))
    }

    /// A sequence whose elements `item` reads.
    pub fn seq<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> WireResult<T>,
    ) -> WireResult<Vec<T>> {
        let n = self.len()?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(item(self)?);
        }
        Ok(out)
    }

    /// An option whose value `value` reads.
    pub fn option<T>(
        &mut self,
        value: impl FnOnce(&mut Self) -> WireResult<T>,
    ) -> WireResult<Option<T>> {
        match self.u8()? {
            0 => Ok(None),
            1 => value(self).map(Some),
            b => Err(format!("invalid option tag {b}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::codec::encode;

    #[test]
    fn integers_read_as_bincode_writes_them() {
        for v in [
            0u64,
            1,
            250,
            251,
            255,
            65535,
            65536,
            u32::MAX as u64,
            u64::MAX,
        ] {
            let bytes = encode(v);
            let mut w = Wire::new(&bytes);
            assert_eq!(w.u64(), Ok(v));
            w.finish().unwrap();
        }
        for v in [0i64, -1, 1, i32::MIN as i64, i64::MAX, i64::MIN] {
            assert_eq!(Wire::new(&encode(v)).i64(), Ok(v));
        }
        for v in [0i32, -1, 7, i32::MAX, i32::MIN] {
            assert_eq!(Wire::new(&encode(v)).i32(), Ok(v));
        }
        assert!(Wire::new(&encode(u64::from(u32::MAX) + 1)).u32().is_err());
    }

    #[test]
    fn strings_sequences_and_options_round_trip() {
        let value = (
            "kiln".to_string(),
            vec![3u32, 300, 70000],
            Some(5u64),
            None::<u64>,
            true,
        );
        let bytes = encode(&value);
        let mut w = Wire::new(&bytes);
        assert_eq!(w.string().unwrap(), "kiln");
        assert_eq!(w.seq(Wire::u32).unwrap(), vec![3, 300, 70000]);
        assert_eq!(w.option(Wire::u64).unwrap(), Some(5));
        assert_eq!(w.option(Wire::u64).unwrap(), None);
        assert!(w.bool().unwrap());
        w.finish().unwrap();
    }

    #[test]
    fn lies_and_ends_are_errors() {
        // A length far beyond the bytes left.
        let mut bytes = vec![U64_TAG];
        bytes.extend_from_slice(&(1u64 << 40).to_le_bytes());
        assert!(Wire::new(&bytes)
            .string()
            .unwrap_err()
            .contains("bytes left"));
        assert!(Wire::new(&[U32_TAG, 1]).u64().unwrap_err().contains("end"));
        assert!(Wire::new(&[2]).bool().is_err());
        assert!(Wire::new(&[255]).u64().is_err());
        assert!(Wire::new(&[1, 0xff]).string().is_err());
        assert!(Wire::new(&[1]).finish().is_err());
    }
}
