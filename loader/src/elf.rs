//! The ELF structure of an artifact, read with goblin: the file header,
//! the section header table and section names. Nothing here trusts an
//! offset: every range is checked before it is sliced.

use goblin::container::{Container, Ctx};
use goblin::elf::section_header::{SectionHeader, SHN_XINDEX};
use goblin::elf::Elf;
use kiln_format::artifact::{section_bytes, ArtifactError};

/// Size of one ELF64 section header.
const SHDR_SIZE: u16 = 64;

/// The context every artifact is read with: ELF64, little-endian.
pub(crate) fn ctx() -> Ctx {
    Ctx::new(Container::Big, goblin::container::Endian::Little)
}

fn bad_elf(why: impl Into<String>) -> ArtifactError {
    ArtifactError::BadElf(why.into())
}

/// One section: its name and header.
#[derive(Debug)]
pub(crate) struct Section<'a> {
    /// The name from the section name table (empty if it is unreadable).
    pub name: &'a str,
    /// Why the name could not be read. Reported when sections are checked
    /// (after the checksum), so that a corrupt file is called corrupt.
    pub bad_name: Option<ArtifactError>,
    /// The raw header.
    pub header: SectionHeader,
}

/// The section header table of an artifact, with names.
#[derive(Debug)]
pub(crate) struct ElfView<'a> {
    /// The whole file.
    pub file: &'a [u8],
    /// Every section, in header-table order (index 0 is the null section).
    pub sections: Vec<Section<'a>>,
}

/// The NUL-terminated string at `offset` in a string table.
pub(crate) fn name_at<'a>(
    table: &'a [u8],
    offset: usize,
    what: &str,
) -> Result<&'a str, ArtifactError> {
    let rest = table.get(offset..).ok_or_else(|| {
        bad_elf(format!(
            "{what} name offset {offset} is outside its string table"
        ))
    })?;
    let len = rest.iter().position(|&b| b == 0).ok_or_else(|| {
        bad_elf(format!(
            "{what} name at offset {offset} is not NUL-terminated"
        ))
    })?;
    let name = &rest[..len];
    if name.is_ascii() {
        // SAFETY: ASCII bytes are valid UTF-8 (the common case, checked
        // a word at a time; a load reads thousands of symbol names).
        return Ok(unsafe { std::str::from_utf8_unchecked(name) });
    }
    std::str::from_utf8(name)
        .map_err(|_| bad_elf(format!("{what} name at offset {offset} is not UTF-8")))
}

impl<'a> ElfView<'a> {
    /// Reads the section header table and the section names. The file
    /// header must already have passed [`identify`](kiln_format::artifact::identify).
    pub fn parse(file: &'a [u8]) -> Result<Self, ArtifactError> {
        let header = Elf::parse_header(file).map_err(|e| bad_elf(format!("ELF header: {e}")))?;
        if header.e_shoff == 0 {
            return Ok(ElfView {
                file,
                sections: Vec::new(),
            });
        }
        if header.e_shentsize != SHDR_SIZE {
            return Err(bad_elf(format!(
                "section header size is {}, expected {SHDR_SIZE}",
                header.e_shentsize
            )));
        }
        let shoff = usize::try_from(header.e_shoff)
            .ok()
            .filter(|&off| off < file.len())
            .ok_or_else(|| bad_elf("section header table lies outside the file"))?;
        let headers = SectionHeader::parse(file, shoff, header.e_shnum.into(), ctx())
            .map_err(|e| bad_elf(format!("section header table: {e}")))?;
        let mut strndx = usize::from(header.e_shstrndx);
        if strndx == SHN_XINDEX as usize {
            strndx = headers.first().map_or(0, |h| h.sh_link as usize);
        }
        let names = match headers.get(strndx) {
            Some(h) if strndx != 0 => {
                section_bytes(file, "section name table", h.sh_offset, h.sh_size)
                    .map_err(|_| bad_elf("the section name table lies outside the file"))?
            }
            _ => return Err(bad_elf("the section name table is missing")),
        };
        let sections = headers
            .into_iter()
            .map(|header| match name_at(names, header.sh_name, "section") {
                Ok(name) => Section {
                    name,
                    bad_name: None,
                    header,
                },
                Err(e) => Section {
                    name: "",
                    bad_name: Some(e),
                    header,
                },
            })
            .collect();
        Ok(ElfView { file, sections })
    }

    /// The index of the section called `name`; refused if there are two.
    pub fn find(&self, name: &str) -> Result<Option<usize>, ArtifactError> {
        let mut found = None;
        for (i, s) in self.sections.iter().enumerate() {
            if s.name == name {
                if found.is_some() {
                    return Err(ArtifactError::BadSection {
                        section: name.into(),
                        reason: "appears more than once".into(),
                    });
                }
                found = Some(i);
            }
        }
        Ok(found)
    }

    /// The contents of section `index`, checked to lie inside the file.
    pub fn contents(&self, index: usize) -> Result<&'a [u8], ArtifactError> {
        let s = &self.sections[index];
        section_bytes(self.file, s.name, s.header.sh_offset, s.header.sh_size)
    }

    /// The file range of section `index`'s contents, checked.
    pub fn range(&self, index: usize) -> Result<std::ops::Range<usize>, ArtifactError> {
        let bytes = self.contents(index)?;
        let start = bytes.as_ptr() as usize - self.file.as_ptr() as usize;
        Ok(start..start + bytes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        let table = b"\0.text\0bad\xff\0unterminated";
        assert_eq!(name_at(table, 1, "section"), Ok(".text"));
        assert_eq!(name_at(table, 0, "section"), Ok(""));
        assert!(name_at(table, 7, "section").is_err());
        assert!(name_at(table, 12, "section").is_err());
        assert!(name_at(table, 100, "section").is_err());
    }

    #[test]
    fn garbage_after_a_valid_header_is_refused() {
        let mut file = vec![0u8; 64];
        file[..4].copy_from_slice(b"\x7fELF");
        file[4] = 2;
        file[5] = 1;
        file[6] = 1;
        file[16] = 1;
        file[18] = 62;
        file[20] = 1;
        // No section headers at all: an empty view.
        assert!(ElfView::parse(&file).unwrap().sections.is_empty());
        // A table beyond the end of the file.
        file[40] = 0xff;
        file[58] = 64;
        file[60] = 3;
        assert!(ElfView::parse(&file).is_err());
        file[40] = 0;
        file[41] = 1;
        file[58] = 40;
        assert!(ElfView::parse(&file).is_err());
    }
}
