//! RISC-V label differences in jump tables, as one PC-relative relocation.
//!
//! With PIC, LLVM's RISC-V jump table entries are `.LBB - .LJTI` words in
//! `.rodata`, and the RISC-V object writer emits each as a pair
//! `R_RISCV_ADD32 .LBB` + `R_RISCV_SUB32 .LJTI` at the same place (word =
//! word + S_A + A_A - S_B - A_B). The format allows neither (SPEC.md 4.12)
//! but allows `R_RISCV_32_PCREL` (word = S + A - P). When `B` lies in the
//! relocated section itself, `S_B - P` is a constant known now, so
//!
//! ```text
//! word + S_A + A_A - S_B - A_B = S_A + (word + A_A - (off_B + A_B - off_P)) - P
//! ```
//!
//! and the pair becomes one `R_RISCV_32_PCREL` against `A` with that
//! addend, the word itself zeroed. The stored value is exactly what the
//! pair gives, wherever the sections are loaded.

use object::elf::{R_RISCV_32_PCREL, R_RISCV_ADD32, R_RISCV_SUB32};
use object::read::ObjectSymbol as _;
use object::{Relocation, RelocationFlags, RelocationTarget, SectionIndex};

/// The folded form of an ADD32/SUB32 pair: target `A`, type
/// `R_RISCV_32_PCREL`, and the addend.
pub struct Folded {
    pub target: RelocationTarget,
    pub flags: RelocationFlags,
    pub addend: i64,
}

fn r_type(r: &Relocation) -> Option<u32> {
    match r.flags() {
        RelocationFlags::Elf { r_type } => Some(r_type),
        _ => None,
    }
}

/// Folds `add` (at `offset`) and `sub` (the next relocation) if they are
/// an ADD32/SUB32 pair at the same place whose `B` is a symbol of
/// `section`; `word` is the 32-bit value stored at the place now.
pub fn fold<'a>(
    file: &impl object::Object<'a>,
    section: SectionIndex,
    (offset, add): (u64, &Relocation),
    (sub_offset, sub): (u64, &Relocation),
    word: i32,
) -> Option<Folded> {
    if offset != sub_offset
        || r_type(add) != Some(R_RISCV_ADD32)
        || r_type(sub) != Some(R_RISCV_SUB32)
    {
        return None;
    }
    let RelocationTarget::Symbol(b) = sub.target() else {
        return None;
    };
    let b = file.symbol_by_index(b).ok()?;
    if b.section_index() != Some(section) {
        return None;
    }
    // In a relocatable object a symbol's value is its section offset.
    let distance = b.address() as i64 + sub.addend() - offset as i64;
    Some(Folded {
        target: add.target(),
        flags: RelocationFlags::Elf {
            r_type: R_RISCV_32_PCREL,
        },
        addend: i64::from(word) + add.addend() - distance,
    })
}
