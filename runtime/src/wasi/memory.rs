//! Bounds-checked access to the calling instance's linear memory: every
//! guest pointer and length goes through here, and anything outside the
//! memory is `Errno::Fault`, never a host access.

use super::errno::Errno;

/// The guest's linear memory during one WASI call.
pub struct GuestMemory<'a> {
    bytes: &'a mut [u8],
}

impl<'a> GuestMemory<'a> {
    /// Wraps the memory's bytes.
    pub fn new(bytes: &'a mut [u8]) -> Self {
        GuestMemory { bytes }
    }

    fn range(&self, ptr: u32, len: u64) -> Result<std::ops::Range<usize>, Errno> {
        let start = ptr as u64;
        let end = start.checked_add(len).ok_or(Errno::Fault)?;
        if end > self.bytes.len() as u64 {
            return Err(Errno::Fault);
        }
        Ok(start as usize..end as usize)
    }

    /// `len` bytes at `ptr`.
    pub fn slice(&self, ptr: u32, len: u32) -> Result<&[u8], Errno> {
        let r = self.range(ptr, len as u64)?;
        Ok(&self.bytes[r])
    }

    /// `len` bytes at `ptr`, writable.
    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> Result<&mut [u8], Errno> {
        let r = self.range(ptr, len as u64)?;
        Ok(&mut self.bytes[r])
    }

    /// Copies `data` to `ptr`.
    pub fn write(&mut self, ptr: u32, data: &[u8]) -> Result<(), Errno> {
        let r = self.range(ptr, data.len() as u64)?;
        self.bytes[r].copy_from_slice(data);
        Ok(())
    }

    /// A little-endian `u16` at `ptr`.
    pub fn u16(&self, ptr: u32) -> Result<u16, Errno> {
        Ok(u16::from_le_bytes(self.slice(ptr, 2)?.try_into().unwrap()))
    }

    /// A little-endian `u32` at `ptr`.
    pub fn u32(&self, ptr: u32) -> Result<u32, Errno> {
        Ok(u32::from_le_bytes(self.slice(ptr, 4)?.try_into().unwrap()))
    }

    /// A little-endian `u64` at `ptr`.
    pub fn u64(&self, ptr: u32) -> Result<u64, Errno> {
        Ok(u64::from_le_bytes(self.slice(ptr, 8)?.try_into().unwrap()))
    }

    /// Stores `v` little-endian at `ptr`.
    pub fn put_u32(&mut self, ptr: u32, v: u32) -> Result<(), Errno> {
        self.write(ptr, &v.to_le_bytes())
    }

    /// Stores `v` little-endian at `ptr`.
    pub fn put_u64(&mut self, ptr: u32, v: u64) -> Result<(), Errno> {
        self.write(ptr, &v.to_le_bytes())
    }

    /// A UTF-8 path of `len` bytes at `ptr` (`Ilseq` when it is not UTF-8,
    /// as WASI paths must be).
    pub fn str(&self, ptr: u32, len: u32) -> Result<&str, Errno> {
        std::str::from_utf8(self.slice(ptr, len)?).map_err(|_| Errno::Ilseq)
    }

    /// The `(buf, len)` pairs of an iovec array: `count` 8-byte entries at
    /// `iovs`, each checked to lie inside memory.
    pub fn iovecs(&self, iovs: u32, count: u32) -> Result<Vec<(u32, u32)>, Errno> {
        let table = self.slice(iovs, count.checked_mul(8).ok_or(Errno::Fault)?)?;
        let mut out = Vec::with_capacity(count as usize);
        for e in table.chunks_exact(8) {
            let buf = u32::from_le_bytes(e[0..4].try_into().unwrap());
            let len = u32::from_le_bytes(e[4..8].try_into().unwrap());
            self.range(buf, len as u64)?;
            out.push((buf, len));
        }
        Ok(out)
    }

    /// The bytes of the iovecs `iovs`, concatenated (for writes).
    pub fn gather(&self, iovs: &[(u32, u32)]) -> Result<Vec<u8>, Errno> {
        let mut out = Vec::new();
        for &(buf, len) in iovs {
            out.extend_from_slice(self.slice(buf, len)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accesses_outside_memory_fault() {
        let mut bytes = vec![0u8; 16];
        let mut m = GuestMemory::new(&mut bytes);
        assert_eq!(m.put_u32(12, 7), Ok(()));
        assert_eq!(m.u32(12), Ok(7));
        assert_eq!(m.put_u32(13, 7), Err(Errno::Fault));
        assert_eq!(m.slice(u32::MAX, 2).err(), Some(Errno::Fault));
        assert_eq!(m.iovecs(0, u32::MAX).err(), Some(Errno::Fault));
        m.put_u32(0, 8).unwrap();
        m.put_u32(4, 100).unwrap();
        assert_eq!(m.iovecs(0, 1).err(), Some(Errno::Fault));
    }
}
