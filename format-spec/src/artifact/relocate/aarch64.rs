//! aarch64 relocations (SPEC.md 4.12) and the aarch64 veneer. Instruction
//! fields follow the Arm ARM: `adr`/`adrp` split imm21 into immlo (bits
//! 29-30) and immhi (bits 5-23); `add` and loads/stores keep imm12 at bits
//! 10-21; `b`/`bl` keep imm26 at bits 0-25.

use super::site::{call_target, fits_signed, get32, put32, put64, signed32, Need, Overflow, Site};

const ABS64: u32 = 257;
const PREL64: u32 = 260;
const PREL32: u32 = 261;
const ADR_PREL_LO21: u32 = 274;
const ADR_PREL_PG_HI21: u32 = 275;
const ADD_ABS_LO12_NC: u32 = 277;
const LDST8_ABS_LO12_NC: u32 = 278;
const JUMP26: u32 = 282;
const CALL26: u32 = 283;
const LDST16_ABS_LO12_NC: u32 = 284;
const LDST32_ABS_LO12_NC: u32 = 285;
const LDST64_ABS_LO12_NC: u32 = 286;
const LDST128_ABS_LO12_NC: u32 = 299;
const ADR_GOT_PAGE: u32 = 311;
const LD64_GOT_LO12_NC: u32 = 312;

/// Size of one veneer: `ldr x16, #8; br x16`, then the 8-byte target.
pub const VENEER_SIZE: usize = 16;

/// Size of one table stub: `adrp x16, slot; ldr x16, [x16, :lo12:slot];
/// br x16; udf #0`.
pub const STUB_SIZE: usize = 16;

/// Writes, at `out[..STUB_SIZE]` (address `at`), a stub that jumps to the
/// address held in the table slot at `slot`, through x16.
pub fn write_stub(out: &mut [u8], at: u64, slot: u64) -> Result<(), Overflow> {
    for (i, insn) in [0x9000_0010u32, 0xf940_0210, 0xd61f_0200, 0]
        .into_iter()
        .enumerate()
    {
        put32(&mut out[i * 4..], insn);
    }
    let site = Site {
        r_type: ADR_PREL_PG_HI21,
        p: at,
        s: slot,
        ..Site::default()
    };
    apply(&mut out[..4], &site)?;
    let site = Site {
        r_type: LDST64_ABS_LO12_NC,
        p: at + 4,
        ..site
    };
    apply(&mut out[4..8], &site).map(|_| ())
}

/// Writes a veneer jumping to `target` into `out[..VENEER_SIZE]`. It uses
/// x16 (IP0), which the AAPCS64 reserves for exactly this.
pub fn write_veneer(out: &mut [u8], target: u64) {
    out[..4].copy_from_slice(&0x5800_0050u32.to_le_bytes());
    out[4..8].copy_from_slice(&0xd61f_0200u32.to_le_bytes());
    out[8..16].copy_from_slice(&target.to_le_bytes());
}

/// Bytes written at the place.
pub fn width(r_type: u32) -> usize {
    match r_type {
        ABS64 | PREL64 => 8,
        _ => 4,
    }
}

/// Which helpers the kind uses.
pub fn need(r_type: u32) -> Need {
    match r_type {
        ADR_GOT_PAGE | LD64_GOT_LO12_NC => Need::Got,
        JUMP26 | CALL26 => Need::Call,
        _ => Need::Plain,
    }
}

fn page(x: i128) -> i128 {
    x & !0xfff
}

fn set_adr_imm(insn: u32, imm: i128) -> u32 {
    let imm = imm as u32;
    (insn & !((0x3 << 29) | (0x7_ffff << 5))) | ((imm & 0x3) << 29) | (((imm >> 2) & 0x7_ffff) << 5)
}

fn set_imm12(insn: u32, imm: u32) -> u32 {
    (insn & !(0xfff << 10)) | ((imm & 0xfff) << 10)
}

fn adr(insn: u32, v: i128, what: &str) -> Result<u32, Overflow> {
    if fits_signed(v, 21) {
        Ok(set_adr_imm(insn, v))
    } else {
        Err(format!("{what} {v:#x} does not fit a signed 21-bit field"))
    }
}

fn scaled_lo12(v: i128, shift: u32) -> Result<u32, Overflow> {
    let lo = (v & 0xfff) as u32;
    if lo & ((1 << shift) - 1) != 0 {
        return Err(format!(
            "offset {lo:#x} is not a multiple of {}",
            1 << shift
        ));
    }
    Ok(lo >> shift)
}

/// Stores the relocated value in `place` (exactly [`width`] bytes).
/// Returns the value computed.
pub fn apply(place: &mut [u8], site: &Site) -> Result<i128, Overflow> {
    let insn = get32(place);
    let (v, new) = match site.r_type {
        ABS64 => {
            put64(place, site.abs());
            return Ok(site.abs());
        }
        PREL64 => {
            let v = site.rel(site.s);
            put64(place, v);
            return Ok(v);
        }
        PREL32 => {
            let v = site.rel(site.s);
            (v, signed32(v)? as u32)
        }
        ADR_PREL_LO21 => {
            let v = site.rel(site.s);
            (v, adr(insn, v, "offset")?)
        }
        ADR_PREL_PG_HI21 => {
            let v = (page(site.abs()) - page(site.p.into())) >> 12;
            (v, adr(insn, v, "page offset")?)
        }
        ADR_GOT_PAGE | LD64_GOT_LO12_NC if site.a != 0 => {
            return Err(format!(
                "a GOT relocation with addend {} is not supported",
                site.a
            ))
        }
        ADR_GOT_PAGE => {
            let v = (page(site.got.into()) - page(site.p.into())) >> 12;
            (v, adr(insn, v, "page offset")?)
        }
        LD64_GOT_LO12_NC => {
            let v = i128::from(site.got);
            (v, set_imm12(insn, scaled_lo12(v, 3)?))
        }
        ADD_ABS_LO12_NC | LDST8_ABS_LO12_NC => {
            let v = site.abs();
            (v, set_imm12(insn, (v & 0xfff) as u32))
        }
        LDST16_ABS_LO12_NC | LDST32_ABS_LO12_NC | LDST64_ABS_LO12_NC | LDST128_ABS_LO12_NC => {
            let shift = match site.r_type {
                LDST16_ABS_LO12_NC => 1,
                LDST32_ABS_LO12_NC => 2,
                LDST64_ABS_LO12_NC => 3,
                _ => 4,
            };
            let v = site.abs();
            (v, set_imm12(insn, scaled_lo12(v, shift)?))
        }
        JUMP26 | CALL26 => {
            let v = call_target(site, |v| v & 3 == 0 && fits_signed(v, 28))?;
            (v, (insn & !0x03ff_ffff) | ((v >> 2) as u32 & 0x03ff_ffff))
        }
        other => return Err(format!("type {other} has no aarch64 encoding")),
    };
    put32(place, new);
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: u64 = 0x40_1234;

    fn run(r_type: u32, insn: u32, s: u64, a: i64) -> Result<u32, Overflow> {
        let site = Site {
            r_type,
            p: P,
            s,
            a,
            got: 0x50_0008,
            veneer: 0x40_2000,
            pcrel_hi: 0,
        };
        let mut buf = insn.to_le_bytes().to_vec();
        buf.resize(width(r_type), 0);
        apply(&mut buf, &site)?;
        Ok(get32(&buf))
    }

    #[test]
    fn branches() {
        // bl +0x100
        assert_eq!(run(CALL26, 0x9400_0000, P + 0x100, 0), Ok(0x9400_0040));
        // b -4
        assert_eq!(run(JUMP26, 0x1400_0000, P - 4, 0), Ok(0x17ff_ffff));
        // Out of ±128 MiB: through the veneer at 0x402000 (0xdcc ahead).
        assert_eq!(
            run(CALL26, 0x9400_0000, 0x7f00_0000_0000, 0),
            Ok(0x9400_0373)
        );
    }

    #[test]
    fn pages_and_low_bits() {
        // adrp x0, page of 0x12345678: pages 0x12345 - 0x401 = 0x11f44.
        let adrp = run(ADR_PREL_PG_HI21, 0x9000_0000, 0x1234_5678, 0).unwrap();
        let imm = ((adrp >> 29) & 3) | (((adrp >> 5) & 0x7_ffff) << 2);
        assert_eq!(imm, 0x11f44);
        assert_eq!(adrp & 0x9f00_001f, 0x9000_0000);
        // add x0, x0, #0x678
        assert_eq!(
            run(ADD_ABS_LO12_NC, 0x9100_0000, 0x1234_5678, 0),
            Ok(0x9119_e000)
        );
        // ldr x0, [x0, #0x678] would be misaligned; #0x670 is 0xce << 3.
        assert!(run(LDST64_ABS_LO12_NC, 0xf940_0000, 0x1234_5674, 0).is_err());
        assert_eq!(
            run(LDST64_ABS_LO12_NC, 0xf940_0000, 0x1234_5670, 0),
            Ok(0xf940_0000 | (0xce << 10))
        );
        assert_eq!(
            run(LDST8_ABS_LO12_NC, 0x3940_0000, 0x1001, 0),
            Ok(0x3940_0400)
        );
        assert_eq!(
            run(LDST128_ABS_LO12_NC, 0x3dc0_0000, 0x1010, 0),
            Ok(0x3dc0_0400)
        );
    }

    #[test]
    fn got_and_data() {
        let page = run(ADR_GOT_PAGE, 0x9000_0010, 0, 0).unwrap();
        let imm = ((page >> 29) & 3) | (((page >> 5) & 0x7_ffff) << 2);
        assert_eq!(imm, 0xff);
        assert_eq!(run(LD64_GOT_LO12_NC, 0xf940_0210, 0, 0), Ok(0xf940_0610));
        assert!(run(ADR_GOT_PAGE, 0x9000_0010, 0, 8).is_err());
        assert_eq!(run(PREL32, 0, P + 0x10, 4), Ok(0x14));
        assert!(run(PREL32, 0, P + (1 << 32), 0).is_err());
        assert_eq!(run(ADR_PREL_LO21, 0x1000_0000, P + 5, 0), Ok(0x3000_0020));
        assert!(run(ADR_PREL_LO21, 0x1000_0000, P + (1 << 20), 0).is_err());
        let mut buf = [0u8; 8];
        let site = Site {
            r_type: ABS64,
            s: 0x1122_3344_5566_7788,
            a: 8,
            ..Site::default()
        };
        apply(&mut buf, &site).unwrap();
        assert_eq!(u64::from_le_bytes(buf), 0x1122_3344_5566_7790);
    }

    #[test]
    fn veneer_loads_and_branches_through_x16() {
        let mut v = [0u8; VENEER_SIZE];
        write_veneer(&mut v, 42);
        assert_eq!(get32(&v[..4]), 0x5800_0050);
        assert_eq!(get32(&v[4..8]), 0xd61f_0200);
        assert_eq!(u64::from_le_bytes(v[8..].try_into().unwrap()), 42);
    }
}
