//! The checks made before anything is mapped (SPEC.md 4.1 steps 1 to 6):
//! file identification, format version, checksum, sections, header
//! against the host and the wasm at hand, metadata.

use goblin::elf::section_header::{SHT_NOBITS, SHT_PROGBITS};
use kiln_format::artifact::{
    classify_section, decode_header, decode_metadata, header_version, identify, verify_checksum,
    Arch, ArtifactError, ArtifactHeader, HostInfo, ImageGroup, ImageLayout, ModuleMetadata,
    SectionKind, CHECKSUM_SECTION, DATA_SECTION, DEBUG_SECTION, FORMAT_VERSION, HEADER_SECTION,
    IMAGE_SECTION, KILN_SECTIONS, METADATA_SECTION, NAMES_SECTION, SITES_SECTION,
};

use crate::elf::ElfView;

/// The largest section alignment honoured; anything above is refused.
pub(crate) const MAX_SECTION_ALIGN: u64 = 4096;

/// An artifact that passed every check that does not need symbols.
#[derive(Debug)]
pub(crate) struct Checked<'a> {
    /// The architecture of the code.
    pub arch: Arch,
    /// The section table.
    pub elf: ElfView<'a>,
    /// How each section (by index) is treated.
    pub kinds: Vec<SectionKind>,
    /// The decoded `.kiln.header`.
    pub header: ArtifactHeader,
    /// The decoded and validated `.kiln.meta`.
    pub metadata: ModuleMetadata,
    /// The contents of `.kiln.data`.
    pub data: &'a [u8],
    /// The contents of `.kiln.sites`, if present (decoded by `load`).
    pub sites: Option<&'a [u8]>,
    /// The contents of `.kiln.names`, if present (decoded on first use).
    pub names: Option<&'a [u8]>,
    /// The file range of `.kiln.debug`, if present (read by the runtime,
    /// only when it shows source lines).
    pub debug: Option<std::ops::Range<usize>>,
    /// A prelinked image (`.kiln.image`, SPEC.md 4.18): its layout and
    /// each loaded section's image offset and page group, by section
    /// index. `None`: a relocatable object, laid out by the loader.
    pub image: Option<Image>,
}

/// Where a prelinked artifact's sections lie in its image.
#[derive(Debug)]
pub(crate) struct Image {
    /// The decoded `.kiln.image`.
    pub layout: ImageLayout,
    /// Image offset and page group of each loaded section.
    pub sections: Vec<Option<(u64, ImageGroup)>>,
}

/// How the checksum over the whole file is computed: from the bytes, or
/// by the caller (reading the file rather than its mapping).
pub(crate) type ChecksumFn<'a> =
    &'a dyn Fn(&[u8], std::ops::Range<usize>) -> Result<(), ArtifactError>;

fn required(elf: &ElfView<'_>, name: &'static str) -> Result<usize, ArtifactError> {
    elf.find(name)?.ok_or(ArtifactError::MissingSection(name))
}

fn bad_section(name: &str, reason: String) -> ArtifactError {
    ArtifactError::BadSection {
        section: name.into(),
        reason,
    }
}

/// Steps 1 to 6 of SPEC.md 4.1, in that order, so the error names the
/// first thing that is wrong.
pub(crate) fn check<'a>(
    file: &'a [u8],
    host: &HostInfo<'_>,
    wasm: Option<&[u8]>,
) -> Result<Checked<'a>, ArtifactError> {
    check_with(file, host, wasm, &|f, r| verify_checksum(f, r))
}

/// [`check`] with the checksum verified by `checksum`.
pub(crate) fn check_with<'a>(
    file: &'a [u8],
    host: &HostInfo<'_>,
    wasm: Option<&[u8]>,
    checksum: ChecksumFn<'_>,
) -> Result<Checked<'a>, ArtifactError> {
    // 1. The first 64 bytes.
    let arch = identify(file)?;
    // 2. The format version, before anything that could change with it.
    let elf = ElfView::parse(file)?;
    let header_index = required(&elf, HEADER_SECTION)?;
    header_version(elf.contents(header_index)?)?.check_readable_by(FORMAT_VERSION)?;
    // 3. The checksum over the whole file.
    let checksum_index = required(&elf, CHECKSUM_SECTION)?;
    checksum(file, elf.range(checksum_index)?)?;
    // 4. Every section inside the file and allowed; a prelinked image's
    // sections each inside its page group.
    let kinds = classify_all(&elf)?;
    let image = match elf.find(IMAGE_SECTION)? {
        Some(i) => Some(place_image(&elf, &kinds, elf.contents(i)?)?),
        None => None,
    };
    // 5. The header against the host and the wasm at hand.
    let header = decode_header(elf.contents(header_index)?)?;
    header.check_host(arch, host)?;
    if let Some(wasm) = wasm {
        header.check_wasm(wasm)?;
    }
    // 6. Metadata and data segment ranges.
    let metadata = decode_metadata(elf.contents(required(&elf, METADATA_SECTION)?)?)?;
    let data = elf.contents(required(&elf, DATA_SECTION)?)?;
    metadata.validate_data(data.len())?;
    let sites = match elf.find(SITES_SECTION)? {
        Some(i) => Some(elf.contents(i)?),
        None => None,
    };
    let names = match elf.find(NAMES_SECTION)? {
        Some(i) => Some(elf.contents(i)?),
        None => None,
    };
    let debug = match elf.find(DEBUG_SECTION)? {
        Some(i) => Some(elf.range(i)?),
        None => None,
    };
    Ok(Checked {
        arch,
        elf,
        kinds,
        header,
        metadata,
        data,
        sites,
        names,
        debug,
        image,
    })
}

fn place_image(
    elf: &ElfView<'_>,
    kinds: &[SectionKind],
    bytes: &[u8],
) -> Result<Image, ArtifactError> {
    let layout = ImageLayout::decode(bytes, elf.file.len() as u64)?;
    let mut sections = Vec::with_capacity(kinds.len());
    for (s, &kind) in elf.sections.iter().zip(kinds) {
        let h = &s.header;
        sections.push(match kind {
            SectionKind::Code | SectionKind::ReadOnly => {
                Some(layout.place(s.name, kind, h.sh_offset, h.sh_size)?)
            }
            _ => None,
        });
    }
    Ok(Image { layout, sections })
}

fn classify_all(elf: &ElfView<'_>) -> Result<Vec<SectionKind>, ArtifactError> {
    let mut kinds = Vec::with_capacity(elf.sections.len());
    for (i, s) in elf.sections.iter().enumerate() {
        if let Some(e) = &s.bad_name {
            return Err(e.clone());
        }
        elf.contents(i)?;
        let h = &s.header;
        let kind = classify_section(s.name, h.sh_flags)?;
        match kind {
            SectionKind::Kiln if h.sh_type != SHT_PROGBITS => {
                return Err(bad_section(
                    s.name,
                    format!("type {} is not SHT_PROGBITS", h.sh_type),
                ))
            }
            SectionKind::Code | SectionKind::ReadOnly => {
                if h.sh_type == SHT_NOBITS {
                    return Err(bad_section(
                        s.name,
                        "a loaded section must have contents in the file (not SHT_NOBITS)".into(),
                    ));
                }
                if h.sh_addralign > MAX_SECTION_ALIGN
                    || (h.sh_addralign > 1 && !h.sh_addralign.is_power_of_two())
                {
                    return Err(bad_section(
                        s.name,
                        format!(
                            "alignment {} is not a power of two up to {MAX_SECTION_ALIGN}",
                            h.sh_addralign
                        ),
                    ));
                }
            }
            _ => {}
        }
        kinds.push(kind);
    }
    for name in KILN_SECTIONS {
        required(elf, name)?;
    }
    Ok(kinds)
}
