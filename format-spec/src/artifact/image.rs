//! `.kiln.image` (SPEC.md 4.18): where the prelinked image lies in the
//! file and how its pages are used, so that a loader maps code and
//! constants straight from the file and relocates only the last pages.
//!
//! The image is one file range starting at a multiple of [`IMAGE_ALIGN`]:
//! code pages (`0..code_end`: code sections, then table stubs), constant
//! pages (`code_end..readonly_end`: read-only sections `kilnc` fully
//! relocated), then relocated pages (`readonly_end..end`: sections holding
//! absolute addresses, and the table [`TABLE_SECTION`] the loader fills).
//! A loaded section's place in the image is its file offset less
//! `offset`.

use super::{ArtifactError, SectionKind};

/// The section describing the image.
pub const IMAGE_SECTION: &str = ".kiln.image";
/// The table of runtime symbol addresses: one 8-byte slot per symbol,
/// each filled at load by an absolute relocation.
pub const TABLE_SECTION: &str = ".got";
/// Alignment of the image's file offset and of each page group.
pub const IMAGE_ALIGN: u64 = 4096;
/// Size of `.kiln.image`: four `u64`, little-endian.
pub const IMAGE_SIZE: usize = 32;
/// Size of one table slot.
pub const TABLE_SLOT: u64 = 8;

/// Which pages of the image a place lies in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ImageGroup {
    /// Read+execute, mapped from the file; never written.
    Code,
    /// Read-only, mapped from the file; never written.
    Constants,
    /// Copied, relocated at load, then read-only.
    Relocated,
}

/// The contents of `.kiln.image`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ImageLayout {
    /// File offset of the image, a multiple of [`IMAGE_ALIGN`].
    pub offset: u64,
    /// End of the code pages, relative to the image.
    pub code_end: u64,
    /// End of the constant pages, relative to the image.
    pub readonly_end: u64,
    /// End of the image (of the relocated pages).
    pub end: u64,
}

fn bad(reason: String) -> ArtifactError {
    ArtifactError::BadSection {
        section: IMAGE_SECTION.into(),
        reason,
    }
}

impl ImageLayout {
    /// The section's bytes.
    pub fn encode(&self) -> [u8; IMAGE_SIZE] {
        let mut out = [0u8; IMAGE_SIZE];
        for (i, v) in [self.offset, self.code_end, self.readonly_end, self.end]
            .into_iter()
            .enumerate()
        {
            out[i * 8..i * 8 + 8].copy_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Decodes the section and checks it against a file of `file_len`
    /// bytes: every field a multiple of [`IMAGE_ALIGN`], the groups in
    /// order, and no page of the image past the file's last page.
    pub fn decode(bytes: &[u8], file_len: u64) -> Result<ImageLayout, ArtifactError> {
        if bytes.len() != IMAGE_SIZE {
            return Err(bad(format!("size {} is not {IMAGE_SIZE}", bytes.len())));
        }
        let word = |i: usize| u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().unwrap());
        let layout = ImageLayout {
            offset: word(0),
            code_end: word(1),
            readonly_end: word(2),
            end: word(3),
        };
        let fields = [
            layout.offset,
            layout.code_end,
            layout.readonly_end,
            layout.end,
        ];
        if fields.iter().any(|f| f % IMAGE_ALIGN != 0) {
            return Err(bad(format!(
                "image offset and page groups must be multiples of {IMAGE_ALIGN}: {fields:#x?}"
            )));
        }
        if !(layout.code_end <= layout.readonly_end && layout.readonly_end <= layout.end) {
            return Err(bad(format!("page groups out of order: {fields:#x?}")));
        }
        let last_page = file_len.next_multiple_of(IMAGE_ALIGN);
        if layout
            .offset
            .checked_add(layout.end)
            .is_none_or(|e| e > last_page)
        {
            return Err(bad(format!(
                "the image ({:#x} bytes at {:#x}) lies outside the {file_len}-byte file",
                layout.end, layout.offset
            )));
        }
        Ok(layout)
    }

    /// The group holding image offsets `start..end`, if one holds all.
    pub fn group(&self, start: u64, end: u64) -> Option<ImageGroup> {
        let groups = [
            (0, self.code_end, ImageGroup::Code),
            (self.code_end, self.readonly_end, ImageGroup::Constants),
            (self.readonly_end, self.end, ImageGroup::Relocated),
        ];
        groups
            .into_iter()
            .find(|&(s, e, _)| s <= start && start < end && end <= e)
            .map(|(.., g)| g)
    }

    /// Where a loaded section of `kind` at file range `sh_offset`,
    /// `sh_size` lies in the image (its image offset and group), or why
    /// it may not lie there: code only in code pages, constants only
    /// outside them.
    pub fn place(
        &self,
        name: &str,
        kind: SectionKind,
        sh_offset: u64,
        sh_size: u64,
    ) -> Result<(u64, ImageGroup), ArtifactError> {
        let refuse = |why: &str| ArtifactError::BadSection {
            section: name.into(),
            reason: format!("{sh_size} bytes at file offset {sh_offset:#x} {why}"),
        };
        let start = sh_offset
            .checked_sub(self.offset)
            .ok_or_else(|| refuse("start before the image"))?;
        let end = start
            .checked_add(sh_size)
            .ok_or_else(|| refuse("overflow"))?;
        if sh_size == 0 && start <= self.end {
            // An empty section holds nothing to place.
            let group = match kind {
                SectionKind::Code => ImageGroup::Code,
                _ => ImageGroup::Constants,
            };
            return Ok((start, group));
        }
        let group = self
            .group(start, end)
            .ok_or_else(|| refuse("do not lie inside one page group of the image"))?;
        match (kind, group) {
            (SectionKind::Code, ImageGroup::Code) => Ok((start, group)),
            (SectionKind::ReadOnly, ImageGroup::Constants | ImageGroup::Relocated) => {
                Ok((start, group))
            }
            _ => Err(refuse(&format!("lie in the image's {group:?} pages"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_bad_layouts() {
        let l = ImageLayout {
            offset: 0x1000,
            code_end: 0x2000,
            readonly_end: 0x3000,
            end: 0x4000,
        };
        assert_eq!(ImageLayout::decode(&l.encode(), 0x4800), Ok(l));
        let bad = |l: ImageLayout, len| ImageLayout::decode(&l.encode(), len).is_err();
        assert!(bad(ImageLayout { offset: 0x800, ..l }, 0x8000));
        assert!(bad(
            ImageLayout {
                code_end: 0x3800,
                ..l
            },
            0x8000
        ));
        assert!(bad(
            ImageLayout {
                readonly_end: 0x1000,
                ..l
            },
            0x8000
        ));
        assert!(bad(l, 0x3fff));
        assert!(ImageLayout::decode(&[0; 8], 0x8000).is_err());
        let ro = SectionKind::ReadOnly;
        assert_eq!(
            l.place(".text", SectionKind::Code, 0x1000, 0x800),
            Ok((0, ImageGroup::Code))
        );
        assert!(l.place(".text", SectionKind::Code, 0x3000, 8).is_err());
        assert!(l.place(".rodata", ro, 0x1ff0, 0x20).is_err());
        assert!(l.place(".rodata", ro, 0x800, 8).is_err());
        assert_eq!(
            l.place(".got", ro, 0x4000, 8),
            Ok((0x3000, ImageGroup::Relocated))
        );
    }
}
