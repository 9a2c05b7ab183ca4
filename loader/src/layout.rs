//! Where everything goes in the one mapping: code sections then veneers
//! (read+execute), then, from the next page on, read-only sections then
//! the GOT (read-only). Permissions are per page, so the two regions never
//! share one.

use kiln_format::artifact::{Arch, ArtifactError, SectionKind};

use crate::check::Checked;
use kiln_format::artifact::relocate::veneer_size;

use crate::reloc::Plan;

/// Alignment of the veneer table.
const VENEER_ALIGN: usize = 16;
/// Size and alignment of one GOT slot.
const GOT_SLOT: usize = 8;

/// Offsets inside the image.
#[derive(Debug)]
pub(crate) struct Layout {
    /// Offset of each loaded section, by section index.
    pub sections: Vec<Option<usize>>,
    /// Offset of the first veneer.
    pub veneers: usize,
    /// Size of one veneer.
    pub veneer_size: usize,
    /// Offset of the first GOT slot.
    pub got: usize,
    /// Length of the executable region, from offset 0; a page multiple.
    pub code_len: usize,
    /// Length of the whole image; a page multiple.
    pub total: usize,
}

fn too_big() -> ArtifactError {
    ArtifactError::BadElf("the loaded sections are too large to map".into())
}

fn align(x: usize, to: usize) -> Result<usize, ArtifactError> {
    x.checked_next_multiple_of(to.max(1)).ok_or_else(too_big)
}

impl Layout {
    /// Places every loaded section of `checked` and the helpers `plan`
    /// needs, for pages of `page` bytes.
    pub fn new(checked: &Checked<'_>, plan: &Plan, page: usize) -> Result<Layout, ArtifactError> {
        let arch: Arch = checked.arch;
        let mut sections = vec![None; checked.elf.sections.len()];
        let mut end = 0usize;
        let mut place = |want: SectionKind, end: &mut usize| -> Result<(), ArtifactError> {
            for (i, s) in checked.elf.sections.iter().enumerate() {
                if checked.kinds[i] != want {
                    continue;
                }
                let start = align(*end, s.header.sh_addralign as usize)?;
                sections[i] = Some(start);
                *end = start
                    .checked_add(s.header.sh_size as usize)
                    .ok_or_else(too_big)?;
            }
            Ok(())
        };
        place(SectionKind::Code, &mut end)?;
        let veneers = align(end, VENEER_ALIGN)?;
        let veneer_size = veneer_size(arch);
        end = plan
            .veneers
            .len()
            .checked_mul(veneer_size)
            .and_then(|n| veneers.checked_add(n))
            .ok_or_else(too_big)?;
        let code_len = align(end, page)?;
        end = code_len;
        place(SectionKind::ReadOnly, &mut end)?;
        let got = align(end, GOT_SLOT)?;
        end = got
            .checked_add(plan.got.len() * GOT_SLOT)
            .ok_or_else(too_big)?;
        let total = align(end, page)?;
        if total > isize::MAX as usize {
            return Err(too_big());
        }
        Ok(Layout {
            sections,
            veneers,
            veneer_size,
            got,
            code_len,
            total,
        })
    }

    /// Offset of veneer `i`.
    pub fn veneer(&self, i: usize) -> usize {
        self.veneers + i * self.veneer_size
    }

    /// Offset of GOT slot `i`.
    pub fn got_slot(&self, i: usize) -> usize {
        self.got + i * GOT_SLOT
    }
}
