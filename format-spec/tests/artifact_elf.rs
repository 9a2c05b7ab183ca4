//! End-to-end: write real ELF artifacts for each architecture with the
//! `object` crate, then check them the way the loader will, in the order
//! the spec gives. Also pins the relocation numbers against `object`'s
//! ELF constants.

use std::ops::Range;

use kiln_format::artifact::*;
use object::read::{Object as _, ObjectSection as _, ObjectSymbol as _};
use object::write::{Object, Relocation, StandardSection, Symbol, SymbolSection};
use object::{elf, BinaryFormat, Endianness, FileFlags, RelocationFlags, SymbolFlags};

fn header_for(target: &str, features: &[&str]) -> ArtifactHeader {
    ArtifactHeader {
        format_version: FORMAT_VERSION,
        compiler_version: "kilnc test".into(),
        target: target.into(),
        cpu: "generic".into(),
        cpu_features: features.iter().map(|f| f.to_string()).collect(),
        flags: CompileFlags {
            opt_level: 2,
            size_level: 0,
            bounds_checks: BoundsChecks::Explicit,
            llvm_passes: vec![],
        },
        wasm_hash: wasm_hash(WASM),
    }
}

/// `(module (func (export "f")))`.
const WASM: &[u8] =
    b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x07\x05\x01\x01f\0\0\x0a\x04\x01\x02\0\x0b";

fn metadata() -> ModuleMetadata {
    ModuleMetadata {
        types: vec![FuncType::default()],
        functions: vec![0],
        exports: vec![Export {
            name: "f".into(),
            kind: ExternKind::Func,
            index: 0,
        }],
        ..Default::default()
    }
}

/// An artifact with one function calling a runtime intrinsic through
/// relocation `call_reloc`, sealed with its checksum.
fn build(arch: Arch, call_reloc: u32, header: &ArtifactHeader) -> Vec<u8> {
    let (oarch, e_flags) = match arch {
        Arch::X86_64 => (object::Architecture::X86_64, 0),
        Arch::Aarch64 => (object::Architecture::Aarch64, 0),
        Arch::Riscv64 => (object::Architecture::Riscv64, 0x5),
    };
    let mut obj = Object::new(BinaryFormat::Elf, oarch, Endianness::Little);
    obj.flags = FileFlags::Elf {
        os_abi: 0,
        abi_version: 0,
        e_flags,
    };
    let text = obj.section_id(StandardSection::Text);
    let offset = obj.append_section_data(text, &[0u8; 16], 16);
    obj.add_symbol(Symbol {
        name: KilnSymbol::Func(0).to_string().into_bytes(),
        value: offset,
        size: 16,
        kind: object::SymbolKind::Text,
        scope: object::SymbolScope::Linkage,
        weak: false,
        section: SymbolSection::Section(text),
        flags: SymbolFlags::None,
    });
    let trap = obj.add_symbol(Symbol {
        name: b"kiln_rt_trap".to_vec(),
        value: 0,
        size: 0,
        kind: object::SymbolKind::Text,
        scope: object::SymbolScope::Dynamic,
        weak: false,
        section: SymbolSection::Undefined,
        flags: SymbolFlags::None,
    });
    obj.add_relocation(
        text,
        Relocation {
            offset: 4,
            symbol: trap,
            addend: 0,
            flags: RelocationFlags::Elf { r_type: call_reloc },
        },
    )
    .unwrap();
    for (name, contents) in kiln_sections(header, &metadata(), b"") {
        let id = obj.add_section(vec![], name.as_bytes().to_vec(), object::SectionKind::Other);
        obj.append_section_data(id, &contents, 1);
    }
    let mut bytes = obj.write().unwrap();
    let range = checksum_range(&bytes).unwrap();
    seal_checksum(&mut bytes, range).unwrap();
    bytes
}

fn section_range(
    file: &object::File<'_>,
    bytes: &[u8],
    name: &'static str,
) -> Result<Range<usize>, ArtifactError> {
    let section = file
        .section_by_name(name)
        .ok_or(ArtifactError::MissingSection(name))?;
    let (offset, size) = section.file_range().unwrap_or((0, 0));
    section_bytes(bytes, name, offset, size)?;
    Ok(offset as usize..(offset + size) as usize)
}

fn checksum_range(bytes: &[u8]) -> Result<Range<usize>, ArtifactError> {
    let file = object::File::parse(bytes).map_err(|e| ArtifactError::BadElf(e.to_string()))?;
    section_range(&file, bytes, CHECKSUM_SECTION)
}

/// What the loader does, minus mapping and applying relocations.
fn check(
    bytes: &[u8],
    host: &HostInfo<'_>,
    wasm: Option<&[u8]>,
) -> Result<ModuleMetadata, ArtifactError> {
    let arch = identify(bytes)?;
    let file = object::File::parse(bytes).map_err(|e| ArtifactError::BadElf(e.to_string()))?;
    let contents = |name: &'static str| {
        let range = section_range(&file, bytes, name)?;
        Ok::<_, ArtifactError>(&bytes[range])
    };
    header_version(contents(HEADER_SECTION)?)?.check_readable_by(FORMAT_VERSION)?;
    verify_checksum(bytes, checksum_range(bytes)?)?;
    let mut kinds = Vec::new();
    for section in file.sections() {
        let name = section
            .name()
            .map_err(|e| ArtifactError::BadElf(e.to_string()))?;
        let (offset, size) = section.file_range().unwrap_or((0, 0));
        section_bytes(bytes, name, offset, size)?;
        let object::SectionFlags::Elf { sh_flags } = section.flags() else {
            unreachable!()
        };
        kinds.push((section.index(), classify_section(name, sh_flags)?));
    }
    let header = decode_header(contents(HEADER_SECTION)?)?;
    header.check_host(arch, host)?;
    if let Some(wasm) = wasm {
        header.check_wasm(wasm)?;
    }
    let meta = decode_metadata(contents(METADATA_SECTION)?)?;
    meta.validate_data(contents(DATA_SECTION)?.len())?;
    for symbol in file.symbols() {
        let name = symbol
            .name()
            .map_err(|e| ArtifactError::BadElf(e.to_string()))?;
        if symbol.is_undefined() && !name.is_empty() && !is_allowed_import(name) {
            return Err(ArtifactError::BadSymbol {
                name: name.into(),
                reason: "not a runtime intrinsic or allowed libcall".into(),
            });
        }
    }
    for section in file.sections() {
        let kind = kinds.iter().find(|(i, _)| *i == section.index()).unwrap().1;
        if !matches!(kind, SectionKind::Code | SectionKind::ReadOnly) {
            continue;
        }
        for (offset, reloc) in section.relocations() {
            let RelocationFlags::Elf { r_type } = reloc.flags() else {
                unreachable!()
            };
            let sname = section.name().unwrap_or("?");
            check_relocation(arch, r_type, || format!("{sname}+{offset:#x}"))?;
        }
    }
    Ok(meta)
}

fn host(arch: Arch, features: &'static [&'static str]) -> HostInfo<'static> {
    HostInfo {
        arch,
        cpu_features: features,
        guard_size: Some(2 << 30),
    }
}

#[test]
fn artifacts_for_every_arch_load() {
    for (arch, triple, reloc) in [
        (
            Arch::X86_64,
            "x86_64-unknown-linux-gnu",
            elf::R_X86_64_PLT32,
        ),
        (
            Arch::Aarch64,
            "aarch64-unknown-linux-gnu",
            elf::R_AARCH64_CALL26,
        ),
        (
            Arch::Riscv64,
            "riscv64gc-unknown-linux-gnu",
            elf::R_RISCV_CALL_PLT,
        ),
    ] {
        let bytes = build(arch, reloc, &header_for(triple, &[]));
        let meta = check(&bytes, &host(arch, &[]), Some(WASM)).unwrap();
        assert_eq!(meta, metadata());
    }
}

#[test]
fn refusals_name_what_did_not_match() {
    let x86 = |features: &[&str]| header_for("x86_64-unknown-linux-gnu", features);
    let good = build(Arch::X86_64, elf::R_X86_64_PLT32, &x86(&["avx2"]));
    let host_x86 = host(Arch::X86_64, &["sse4.2", "avx2"]);
    check(&good, &host_x86, Some(WASM)).unwrap();

    let err = check(&good, &host(Arch::Aarch64, &[]), None).unwrap_err();
    assert!(matches!(err, ArtifactError::TargetMismatch { .. }), "{err}");
    let err = check(&good, &host(Arch::X86_64, &["sse4.2"]), None).unwrap_err();
    assert_eq!(err, ArtifactError::MissingCpuFeatures(vec!["avx2".into()]));
    let err = check(&good, &host_x86, Some(b"\0asm\x01\0\0\0")).unwrap_err();
    assert!(err.to_string().starts_with("stale artifact"), "{err}");

    let bad_reloc = build(Arch::X86_64, elf::R_X86_64_32S, &x86(&[]));
    let err = check(&bad_reloc, &host_x86, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "relocation type 11 at .text+0x4 is not allowed on x86_64"
    );

    let mut wrong_machine = build(Arch::X86_64, elf::R_X86_64_PLT32, &x86(&[]));
    wrong_machine[18..20].copy_from_slice(&183u16.to_le_bytes());
    let err = check(&wrong_machine, &host_x86, None).unwrap_err();
    assert!(
        matches!(err, ArtifactError::ChecksumMismatch { .. }),
        "{err}"
    );
    let range = checksum_range(&wrong_machine).unwrap();
    seal_checksum(&mut wrong_machine, range).unwrap();
    let err = check(&wrong_machine, &host_x86, None).unwrap_err();
    assert!(matches!(err, ArtifactError::BadElf(m) if m.contains("header's target")));

    let mut future = x86(&[]);
    future.format_version = FormatVersion { major: 4, minor: 0 };
    let err = check(
        &build(Arch::X86_64, elf::R_X86_64_PLT32, &future),
        &host_x86,
        None,
    );
    assert!(matches!(
        err,
        Err(ArtifactError::UnsupportedVersion { found, .. }) if found.major == 4
    ));
    // An artifact from before the prelinked image (1.1) is refused the same way.
    future.format_version = FormatVersion { major: 1, minor: 1 };
    let err = check(
        &build(Arch::X86_64, elf::R_X86_64_PLT32, &future),
        &host_x86,
        None,
    );
    assert!(matches!(
        err,
        Err(ArtifactError::UnsupportedVersion { found, .. }) if found.major == 1
    ));

    let err = check(b"\0aot\x03\0\0\0rest", &host_x86, None).unwrap_err();
    assert_eq!(err, ArtifactError::WamrAot { version: Some(3) });
}

#[test]
fn checksum_catches_every_bit_flip_of_a_real_artifact() {
    let bytes = build(
        Arch::X86_64,
        elf::R_X86_64_PLT32,
        &header_for("x86_64-unknown-linux-gnu", &[]),
    );
    let range = checksum_range(&bytes).unwrap();
    verify_checksum(&bytes, range.clone()).unwrap();
    for bit in 0..bytes.len() * 8 {
        let mut bad = bytes.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        assert!(verify_checksum(&bad, range.clone()).is_err(), "bit {bit}");
        // The full check may fail earlier, but must fail and never panic.
        assert!(
            check(&bad, &host(Arch::X86_64, &[]), None).is_err(),
            "bit {bit}"
        );
    }
}

#[test]
fn relocation_numbers_match_the_elf_abi() {
    let expected: &[(Arch, &[u32])] = &[
        (
            Arch::X86_64,
            &[
                elf::R_X86_64_64,
                elf::R_X86_64_PC32,
                elf::R_X86_64_PLT32,
                elf::R_X86_64_GOTPCREL,
                elf::R_X86_64_PC64,
                elf::R_X86_64_GOTPCRELX,
                elf::R_X86_64_REX_GOTPCRELX,
            ],
        ),
        (
            Arch::Aarch64,
            &[
                elf::R_AARCH64_ABS64,
                elf::R_AARCH64_PREL64,
                elf::R_AARCH64_PREL32,
                elf::R_AARCH64_ADR_PREL_LO21,
                elf::R_AARCH64_ADR_PREL_PG_HI21,
                elf::R_AARCH64_ADD_ABS_LO12_NC,
                elf::R_AARCH64_LDST8_ABS_LO12_NC,
                elf::R_AARCH64_JUMP26,
                elf::R_AARCH64_CALL26,
                elf::R_AARCH64_LDST16_ABS_LO12_NC,
                elf::R_AARCH64_LDST32_ABS_LO12_NC,
                elf::R_AARCH64_LDST64_ABS_LO12_NC,
                elf::R_AARCH64_LDST128_ABS_LO12_NC,
                elf::R_AARCH64_ADR_GOT_PAGE,
                elf::R_AARCH64_LD64_GOT_LO12_NC,
            ],
        ),
        (
            Arch::Riscv64,
            &[
                elf::R_RISCV_64,
                elf::R_RISCV_CALL,
                elf::R_RISCV_CALL_PLT,
                elf::R_RISCV_GOT_HI20,
                elf::R_RISCV_PCREL_HI20,
                elf::R_RISCV_PCREL_LO12_I,
                elf::R_RISCV_PCREL_LO12_S,
                elf::R_RISCV_32_PCREL,
            ],
        ),
    ];
    for (arch, numbers) in expected {
        let got: Vec<u32> = arch.allowed_relocs().iter().map(|r| r.r_type).collect();
        assert_eq!(&got, numbers, "{arch}");
    }
    assert_eq!(Arch::X86_64.elf_machine(), elf::EM_X86_64);
    assert_eq!(Arch::Aarch64.elf_machine(), elf::EM_AARCH64);
    assert_eq!(Arch::Riscv64.elf_machine(), elf::EM_RISCV);
}
