//! What applying one relocation needs to know, and the arithmetic shared
//! by every architecture. Everything here works on plain byte buffers, so
//! each architecture's encodings are testable on any host.

/// How a relocation kind uses loader-made helpers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Only the symbol's address.
    Plain,
    /// A GOT slot holding the symbol's address (`G`).
    Got,
    /// A call that may go through a veneer (`L`).
    Call,
    /// RISC-V `PCREL_LO12_*`: the value computed for the `HI20` place that
    /// the symbol labels.
    PcrelLo,
}

/// The addresses one relocation is computed from.
#[derive(Clone, Copy, Debug, Default)]
pub struct Site {
    /// The ELF `r_type`.
    pub r_type: u32,
    /// `P`: the address of the place.
    pub p: u64,
    /// `S`: the symbol's address.
    pub s: u64,
    /// `A`: the addend.
    pub a: i64,
    /// `G`: the symbol's GOT slot, for [`Need::Got`] kinds.
    pub got: u64,
    /// The symbol's veneer, for [`Need::Call`] kinds.
    pub veneer: u64,
    /// For [`Need::PcrelLo`] kinds: the value computed at the `HI20` place.
    pub pcrel_hi: i64,
}

impl Site {
    /// `x + A - P` as an exact integer.
    pub fn rel(&self, x: u64) -> i128 {
        i128::from(x) + i128::from(self.a) - i128::from(self.p)
    }

    /// `S + A` as an exact integer.
    pub fn abs(&self) -> i128 {
        i128::from(self.s) + i128::from(self.a)
    }
}

/// Why a value could not be stored; becomes part of the refusal.
pub type Overflow = String;

/// Whether `v` fits a signed field of `bits` bits.
pub fn fits_signed(v: i128, bits: u32) -> bool {
    let half = 1i128 << (bits - 1);
    (-half..half).contains(&v)
}

/// `v` as a signed 32-bit word, or why not.
pub fn signed32(v: i128) -> Result<i32, Overflow> {
    i32::try_from(v).map_err(|_| format!("value {v:#x} does not fit a signed 32-bit field"))
}

/// Stores `v` modulo 2^64 little-endian in `place[..8]`.
pub fn put64(place: &mut [u8], v: i128) {
    place[..8].copy_from_slice(&(v as u64).to_le_bytes());
}

/// Stores `v` little-endian in `place[..4]`.
pub fn put32(place: &mut [u8], v: u32) {
    place[..4].copy_from_slice(&v.to_le_bytes());
}

/// Reads the little-endian word at `place[..4]` (an instruction).
pub fn get32(place: &[u8]) -> u32 {
    u32::from_le_bytes([place[0], place[1], place[2], place[3]])
}

/// Uses `direct` when `fits`, else the veneer: the value `L + A - P` for a
/// call whose direct reach is checked by `fits`.
pub fn call_target(site: &Site, fits: impl Fn(i128) -> bool) -> Result<i128, Overflow> {
    let direct = site.rel(site.s);
    if fits(direct) {
        return Ok(direct);
    }
    let through = site.rel(site.veneer);
    if site.veneer != 0 && fits(through) {
        return Ok(through);
    }
    Err(format!(
        "call target {direct:#x} away is out of reach, and so is its veneer"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_limits() {
        assert!(fits_signed(-(1 << 20), 21));
        assert!(!fits_signed(1 << 20, 21));
        assert_eq!(signed32(-1), Ok(-1));
        assert!(signed32(1 << 31).is_err());
        let site = Site {
            p: 0x1000,
            s: 0x10_0000_0000,
            a: -4,
            veneer: 0x2000,
            ..Site::default()
        };
        assert_eq!(call_target(&site, |v| fits_signed(v, 32)), Ok(0xffc));
        let no_veneer = Site { veneer: 0, ..site };
        assert!(call_target(&no_veneer, |v| fits_signed(v, 32)).is_err());
    }
}
