//! Value slots: how a single wasm value is passed across host boundaries.
//!
//! Host-to-wasm and wasm-to-host trampolines pass parameters and results as
//! an array of 16-byte slots, one value per slot, so that a `v128` fits and
//! every slot is addressed the same way. Integers and floats are stored as
//! their little-endian bit patterns in the low bytes; the unused high bytes
//! are zero. References are stored as a pointer-sized integer (0 is null).

/// Size in bytes of one value slot.
pub const SLOT_SIZE: usize = 16;

/// One value slot (16 bytes, 16-byte aligned).
#[repr(C, align(16))]
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct ValueSlot(pub [u8; SLOT_SIZE]);

impl ValueSlot {
    /// A slot holding the low 64 bits `bits`, high bits zero.
    pub fn from_u64(bits: u64) -> Self {
        Self::from_u128(bits as u128)
    }

    /// A slot holding all 128 bits.
    pub fn from_u128(bits: u128) -> Self {
        ValueSlot(bits.to_le_bytes())
    }

    /// The low 64 bits of the slot.
    pub fn as_u64(&self) -> u64 {
        self.as_u128() as u64
    }

    /// All 128 bits of the slot.
    pub fn as_u128(&self) -> u128 {
        u128::from_le_bytes(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_is_sixteen_bytes_and_aligned() {
        assert_eq!(std::mem::size_of::<ValueSlot>(), SLOT_SIZE);
        assert_eq!(std::mem::align_of::<ValueSlot>(), 16);
    }

    #[test]
    fn round_trips_keep_bits() {
        let v = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210u128;
        assert_eq!(ValueSlot::from_u128(v).as_u128(), v);
        let s = ValueSlot::from_u64(u64::MAX);
        assert_eq!(s.as_u64(), u64::MAX);
        assert_eq!(s.as_u128() >> 64, 0);
    }
}
