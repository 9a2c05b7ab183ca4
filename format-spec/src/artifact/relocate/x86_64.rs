//! x86_64 relocations (SPEC.md 4.12) and the x86_64 veneer.

use super::site::{call_target, fits_signed, put32, put64, signed32, Need, Overflow, Site};

const R_64: u32 = 1;
const R_PC32: u32 = 2;
const R_PLT32: u32 = 4;
const R_GOTPCREL: u32 = 9;
const R_PC64: u32 = 24;
const R_GOTPCRELX: u32 = 41;
const R_REX_GOTPCRELX: u32 = 42;

/// Size of one veneer: `jmp *0(%rip)`, the 8-byte target, `ud2`.
pub const VENEER_SIZE: usize = 16;

/// Size of one table stub: `jmp *slot(%rip)`, then `ud2`.
pub const STUB_SIZE: usize = 8;

/// Writes, at `out[..STUB_SIZE]` (address `at`), a stub that jumps to the
/// address held in the table slot at `slot`.
pub fn write_stub(out: &mut [u8], at: u64, slot: u64) -> Result<(), Overflow> {
    out[..8].copy_from_slice(&[0xff, 0x25, 0, 0, 0, 0, 0x0f, 0x0b]);
    let site = Site {
        r_type: R_PC32,
        p: at + 2,
        s: slot,
        a: -4,
        ..Site::default()
    };
    apply(&mut out[2..6], &site).map(|_| ())
}

/// Writes a veneer jumping to `target` into `out[..VENEER_SIZE]`.
pub fn write_veneer(out: &mut [u8], target: u64) {
    out[..6].copy_from_slice(&[0xff, 0x25, 0, 0, 0, 0]);
    out[6..14].copy_from_slice(&target.to_le_bytes());
    out[14..16].copy_from_slice(&[0x0f, 0x0b]);
}

/// Bytes written at the place.
pub fn width(r_type: u32) -> usize {
    match r_type {
        R_64 | R_PC64 => 8,
        _ => 4,
    }
}

/// Which helpers the kind uses.
pub fn need(r_type: u32) -> Need {
    match r_type {
        R_GOTPCREL | R_GOTPCRELX | R_REX_GOTPCRELX => Need::Got,
        R_PLT32 => Need::Call,
        _ => Need::Plain,
    }
}

/// Stores the relocated value in `place` (exactly [`width`] bytes).
/// Returns the value computed.
pub fn apply(place: &mut [u8], site: &Site) -> Result<i128, Overflow> {
    let v = match site.r_type {
        R_64 => {
            let v = site.abs();
            put64(place, v);
            return Ok(v);
        }
        R_PC64 => {
            let v = site.rel(site.s);
            put64(place, v);
            return Ok(v);
        }
        R_PC32 => site.rel(site.s),
        R_PLT32 => call_target(site, |v| fits_signed(v, 32))?,
        R_GOTPCREL | R_GOTPCRELX | R_REX_GOTPCRELX => site.rel(site.got),
        other => return Err(format!("type {other} has no x86_64 encoding")),
    };
    put32(place, signed32(v)? as u32);
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(r_type: u32) -> Site {
        Site {
            r_type,
            p: 0x7000_0000_1000,
            s: 0x7000_0000_3000,
            a: -4,
            got: 0x7000_0000_2000,
            veneer: 0x7000_0000_1800,
            pcrel_hi: 0,
        }
    }

    fn run(s: &Site) -> Result<Vec<u8>, Overflow> {
        let mut buf = vec![0xaa; width(s.r_type)];
        apply(&mut buf, s)?;
        Ok(buf)
    }

    #[test]
    fn formulas() {
        assert_eq!(run(&site(R_64)).unwrap(), 0x7000_0000_2ffcu64.to_le_bytes());
        assert_eq!(run(&site(R_PC64)).unwrap(), 0x1ffcu64.to_le_bytes());
        assert_eq!(run(&site(R_PC32)).unwrap(), 0x1ffcu32.to_le_bytes());
        assert_eq!(run(&site(R_PLT32)).unwrap(), 0x1ffcu32.to_le_bytes());
        for got in [R_GOTPCREL, R_GOTPCRELX, R_REX_GOTPCRELX] {
            assert_eq!(run(&site(got)).unwrap(), 0xffcu32.to_le_bytes());
            assert_eq!(need(got), Need::Got);
        }
        let back = Site {
            s: 0x7000_0000_0000,
            ..site(R_PC32)
        };
        assert_eq!(run(&back).unwrap(), (-0x1004i32).to_le_bytes());
    }

    #[test]
    fn far_calls_use_the_veneer_and_far_data_is_refused() {
        let far = Site {
            s: 0x1000,
            ..site(R_PLT32)
        };
        assert_eq!(run(&far).unwrap(), 0x7fcu32.to_le_bytes());
        let far_data = Site {
            s: 0x1000,
            ..site(R_PC32)
        };
        assert!(run(&far_data).unwrap_err().contains("signed 32-bit"));
    }

    #[test]
    fn veneer_is_an_indirect_jump() {
        let mut v = [0u8; VENEER_SIZE];
        write_veneer(&mut v, 0x1122_3344_5566_7788);
        assert_eq!(v[..6], [0xff, 0x25, 0, 0, 0, 0]);
        assert_eq!(v[6..14], 0x1122_3344_5566_7788u64.to_le_bytes());
    }
}
