//! riscv64 relocations (SPEC.md 4.12) and the riscv64 veneer. `hi20(x) =
//! (x + 0x800) >> 12` goes into the U-type immediate (bits 12-31) of
//! `auipc`; `lo12(x) = x - (hi20(x) << 12)` into an I-type (bits 20-31) or
//! S-type (bits 25-31 and 7-11) immediate.

use super::site::{call_target, get32, put32, put64, signed32, Need, Overflow, Site};

const R_64: u32 = 2;
const CALL: u32 = 18;
const CALL_PLT: u32 = 19;
const GOT_HI20: u32 = 20;
const PCREL_HI20: u32 = 23;
const PCREL_LO12_I: u32 = 24;
const PCREL_LO12_S: u32 = 25;
const R_32_PCREL: u32 = 57;

/// Size of one veneer: `auipc t1, 0; ld t1, 16(t1); jr t1; nop`, then the
/// 8-byte target (8-aligned when the veneer is).
pub const VENEER_SIZE: usize = 24;

/// Size of one table stub: `auipc t1, hi20; ld t1, lo12(t1); jr t1; nop`.
pub const STUB_SIZE: usize = 16;

/// Writes, at `out[..STUB_SIZE]` (address `at`), a stub that jumps to the
/// address held in the table slot at `slot`, through t1.
pub fn write_stub(out: &mut [u8], at: u64, slot: u64) -> Result<(), Overflow> {
    for (i, insn) in [0x0000_0317u32, 0x0003_3303, 0x0003_0067, 0x0000_0013]
        .into_iter()
        .enumerate()
    {
        put32(&mut out[i * 4..], insn);
    }
    let site = Site {
        r_type: PCREL_HI20,
        p: at,
        s: slot,
        ..Site::default()
    };
    let hi = apply(&mut out[..4], &site)?;
    let lo = Site {
        r_type: PCREL_LO12_I,
        p: at + 4,
        pcrel_hi: hi as i64,
        ..site
    };
    apply(&mut out[4..8], &lo).map(|_| ())
}

/// Writes a veneer jumping to `target` into `out[..VENEER_SIZE]`. It uses
/// t1, which the psABI lets call stubs clobber.
pub fn write_veneer(out: &mut [u8], target: u64) {
    for (i, insn) in [0x0000_0317u32, 0x0103_3303, 0x0003_0067, 0x0000_0013]
        .into_iter()
        .enumerate()
    {
        put32(&mut out[i * 4..], insn);
    }
    out[16..24].copy_from_slice(&target.to_le_bytes());
}

/// Bytes written at the place.
pub fn width(r_type: u32) -> usize {
    match r_type {
        R_64 | CALL | CALL_PLT => 8,
        _ => 4,
    }
}

/// Which helpers the kind uses.
pub fn need(r_type: u32) -> Need {
    match r_type {
        GOT_HI20 => Need::Got,
        CALL | CALL_PLT => Need::Call,
        PCREL_LO12_I | PCREL_LO12_S => Need::PcrelLo,
        _ => Need::Plain,
    }
}

/// Whether the kind is an `auipc` whose value a `PCREL_LO12_*` may use.
pub fn is_hi20(r_type: u32) -> bool {
    matches!(r_type, GOT_HI20 | PCREL_HI20)
}

fn hi20(v: i128) -> i128 {
    (v + 0x800) >> 12
}

fn lo12(v: i128) -> u32 {
    (v - (hi20(v) << 12)) as u32 & 0xfff
}

fn fits_hi20(v: i128) -> bool {
    (-(1i128 << 19)..(1i128 << 19)).contains(&hi20(v))
}

fn set_u(insn: u32, v: i128) -> Result<u32, Overflow> {
    if !fits_hi20(v) {
        return Err(format!(
            "pc-relative value {v:#x} does not fit auipc's reach"
        ));
    }
    Ok((insn & 0xfff) | ((hi20(v) as u32) << 12))
}

fn set_i(insn: u32, lo: u32) -> u32 {
    (insn & 0x000f_ffff) | (lo << 20)
}

fn set_s(insn: u32, lo: u32) -> u32 {
    (insn & 0x01ff_f07f) | ((lo >> 5) << 25) | ((lo & 0x1f) << 7)
}

/// Stores the relocated value in `place` (exactly [`width`] bytes).
/// Returns the value computed, which for `*_HI20` kinds is what the
/// matching `PCREL_LO12_*` relocations use.
pub fn apply(place: &mut [u8], site: &Site) -> Result<i128, Overflow> {
    let insn = get32(place);
    let (v, new) = match site.r_type {
        R_64 => {
            put64(place, site.abs());
            return Ok(site.abs());
        }
        CALL | CALL_PLT => {
            let v = call_target(site, fits_hi20)?;
            let auipc = set_u(insn, v)?;
            let jalr = set_i(get32(&place[4..]), lo12(v));
            put32(&mut place[4..], jalr);
            (v, auipc)
        }
        GOT_HI20 => {
            let v = site.rel(site.got);
            (v, set_u(insn, v)?)
        }
        PCREL_HI20 => {
            let v = site.rel(site.s);
            (v, set_u(insn, v)?)
        }
        PCREL_LO12_I => {
            let v = i128::from(site.pcrel_hi);
            (v, set_i(insn, lo12(v)))
        }
        PCREL_LO12_S => {
            let v = i128::from(site.pcrel_hi);
            (v, set_s(insn, lo12(v)))
        }
        R_32_PCREL => {
            let v = site.rel(site.s);
            (v, signed32(v)? as u32)
        }
        other => return Err(format!("type {other} has no riscv64 encoding")),
    };
    put32(place, new);
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: u64 = 0x1_0000;

    fn site(r_type: u32, s: u64) -> Site {
        Site {
            r_type,
            p: P,
            s,
            a: 0,
            got: P + 0x3000,
            veneer: P + 0x100,
            pcrel_hi: 0,
        }
    }

    fn run(s: &Site, insns: &[u32]) -> Result<Vec<u32>, Overflow> {
        let mut buf: Vec<u8> = insns.iter().flat_map(|i| i.to_le_bytes()).collect();
        apply(&mut buf, s)?;
        Ok(buf.chunks(4).map(get32).collect())
    }

    #[test]
    fn call_pairs_split_the_offset() {
        // auipc ra, 0; jalr ra, 0(ra) -> target P + 0x1801: hi 2, lo -0x7ff.
        let out = run(&site(CALL_PLT, P + 0x1801), &[0x0000_0097, 0x0000_80e7]).unwrap();
        assert_eq!(out, [0x0000_2097, 0x8010_80e7]);
        // Far targets go through the veneer, 0x100 ahead.
        let out = run(&site(CALL, 0x7f00_0000_0000), &[0x0000_0097, 0x0000_80e7]).unwrap();
        assert_eq!(out, [0x0000_0097, 0x1000_80e7]);
    }

    #[test]
    fn hi_lo_pairs() {
        let hi = site(PCREL_HI20, P + 0x12_3fff);
        let mut buf = 0x0000_0517u32.to_le_bytes(); // auipc a0, 0
        let v = apply(&mut buf, &hi).unwrap();
        assert_eq!(v, 0x12_3fff);
        assert_eq!(get32(&buf), 0x0012_4517);
        let lo_i = Site {
            r_type: PCREL_LO12_I,
            pcrel_hi: v as i64,
            ..hi
        };
        // addi a0, a0, 0 -> addi a0, a0, -1
        assert_eq!(run(&lo_i, &[0x0005_0513]).unwrap(), [0xfff5_0513]);
        let lo_s = Site {
            r_type: PCREL_LO12_S,
            ..lo_i
        };
        // sd a1, 0(a0) -> sd a1, -1(a0)
        assert_eq!(run(&lo_s, &[0x00b5_3023]).unwrap(), [0xfeb5_3fa3]);
        let got = run(&site(GOT_HI20, 0), &[0x0000_0517]).unwrap();
        assert_eq!(got, [0x0000_3517]);
        assert!(run(&site(PCREL_HI20, 1 << 40), &[0x517]).is_err());
    }

    #[test]
    fn data_words() {
        assert_eq!(
            run(&site(R_32_PCREL, P - 8), &[0]).unwrap(),
            [(-8i32) as u32]
        );
        let mut buf = [0u8; 8];
        apply(
            &mut buf,
            &Site {
                a: 1,
                ..site(R_64, 0x1234)
            },
        )
        .unwrap();
        assert_eq!(u64::from_le_bytes(buf), 0x1235);
    }

    #[test]
    fn veneer_loads_its_target() {
        let mut v = [0u8; VENEER_SIZE];
        write_veneer(&mut v, 7);
        assert_eq!(get32(&v[4..]), 0x0103_3303);
        assert_eq!(u64::from_le_bytes(v[16..].try_into().unwrap()), 7);
    }
}
